import datetime

import factory
from django.utils import timezone

from waypoint.accounts.factories import UserFactory
from waypoint.patients.factories import CarerFactory, PersonFactory

from .models import Assessment, AssessmentRevision, Kind, Status
from .schema import HOLISTIC_DOMAINS


def holistic_answers(need="no"):
    answers = {}
    for key, label in HOLISTIC_DOMAINS:
        answers[f"{key}_says"] = f"What the person says about {label.lower()} (synthetic)"
        answers[f"{key}_need"] = need
        answers[f"{key}_notes"] = ""
    return answers


class AssessmentFactory(factory.django.DjangoModelFactory):
    """A draft holistic needs assessment (with one revision) unless told otherwise."""

    class Meta:
        model = Assessment
        skip_postgeneration_save = True

    person = factory.SubFactory(PersonFactory)
    kind = Kind.HOLISTIC
    assessed_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=3))
    answers = factory.LazyFunction(holistic_answers)
    created_by = factory.SubFactory(UserFactory)
    updated_by = factory.SelfAttribute("created_by")

    class Params:
        completed = factory.Trait(
            status=Status.COMPLETED,
            completed_by=factory.SelfAttribute("created_by"),
            completed_at=factory.LazyFunction(timezone.now),
        )

    @factory.post_generation
    def revision(self, create, extracted, **kwargs):
        if create:
            AssessmentRevision.objects.create(
                assessment=self,
                number=self.version,
                status=self.status,
                assessed_on=self.assessed_on,
                review_on=self.review_on,
                answers=self.answers,
                saved_by=self.created_by,
            )


class CarerAssessmentFactory(AssessmentFactory):
    kind = Kind.CARER
    carer = factory.SubFactory(CarerFactory, person=factory.SelfAttribute("..person"))
    answers = factory.LazyFunction(
        lambda: {
            "offered_on": (timezone.localdate() - datetime.timedelta(days=10)).isoformat(),
            "response": "accepted",
        }
    )
