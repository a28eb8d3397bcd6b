import datetime

import factory
from django.utils import timezone

from waypoint.accounts.factories import UserFactory
from waypoint.patients.factories import PersonFactory

from . import scoring
from .licences import any_definition
from .models import CompletedBy, Measure, Mode, Timing


def phq9_answers(total=12, item9=0):
    """PHQ-9 answers adding up to `total` (item 9 as given)."""
    answers = {str(n): 0 for n in range(1, 10)}
    answers["9"] = item9
    rest = total - item9
    for n in range(1, 9):
        part = min(3, rest)
        answers[str(n)] = part
        rest -= part
    return answers


class MeasureFactory(factory.django.DjangoModelFactory):
    """A scored PHQ-9 baseline unless told otherwise (scored from its definition on build)."""

    class Meta:
        model = Measure

    person = factory.SubFactory(PersonFactory)
    code = "phq9"
    timing = Timing.BASELINE
    completed_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=3))
    completed_by_who = CompletedBy.PERSON
    mode = Mode.WITH_PERSON
    answers = factory.LazyFunction(phq9_answers)
    recorded_by = factory.SubFactory(UserFactory)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        measure = model_class(*args, **kwargs)
        result = scoring.score(any_definition(measure.code), measure.answers)
        measure.total, measure.raw_total, measure.band, measure.prorated = (
            result.total,
            result.raw,
            result.band,
            result.prorated,
        )
        measure.subscales = {k: (str(v) if v is not None else None) for k, v in result.subscales.items()}
        measure.save()
        return measure
