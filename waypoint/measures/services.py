"""Recording outcome measures: atomic, audited, and read-only once recorded.

A measure is recorded complete in one step (staff enter a completed questionnaire, on paper or
with the person). It is never changed: `replace_measure` records a corrected copy that names the
one it replaces and says why; the earlier one stays, marked as replaced. The database refuses any
UPDATE of a measure row (migration 0002), so this holds even outside this service.
"""

from datetime import date

from django.db import transaction
from django.utils import timezone

from waypoint.access.actor import Actor
from waypoint.audit import services as audit
from waypoint.audit.models import Action, RecordType

from . import scoring
from .definitions import Definition
from .models import Measure

RECORD_TYPE = RecordType.OUTCOME_MEASURE


class CannotReplace(Exception):
    """The measure is not this person's, is another measure, or has already been replaced."""


def _apply_score(measure: Measure, defn: Definition):
    result = scoring.score(defn, measure.answers)
    measure.total = result.total
    measure.raw_total = result.raw
    measure.band = result.band
    measure.prorated = result.prorated
    measure.subscales = {
        key: (str(value) if value is not None else None) for key, value in result.subscales.items()
    }


@transaction.atomic
def record_measure(
    *,
    by: Actor,
    person,
    defn: Definition,
    answers: dict,
    timing: str,
    completed_on: date,
    completed_by_who: str,
    mode: str,
    details: dict | None = None,
    replaces: Measure | None = None,
    reason: str = "",
) -> Measure:
    """Record a completed measure (scored now, from its definition). `replaces` corrects an earlier one."""
    if replaces is not None:
        earlier = Measure.objects.select_for_update().get(pk=replaces.pk)
        if (
            earlier.person_id != person.pk
            or earlier.code != defn.code
            or Measure.objects.filter(replaces=earlier).exists()
            or not reason.strip()
        ):
            raise CannotReplace()
    measure = Measure(
        person=person,
        code=defn.code,
        timing=timing,
        completed_on=completed_on,
        completed_by_who=completed_by_who,
        mode=mode,
        answers={key: value for key, value in answers.items()},
        details=details or {},
        replaces=replaces,
        replacement_reason=reason.strip() if replaces else "",
        recorded_by=by.user,
        recorded_at=timezone.now(),
    )
    _apply_score(measure, defn)
    measure.save()
    audit.write(
        by,
        person=person,
        action=Action.CREATE,
        record_type=RECORD_TYPE,
        record_id=measure.pk,
        fields_changed=[f"item {key}" for key, value in answers.items() if value is not None]
        + ["timing", "completed_on", "completed_by_who", "mode"]
        + (["replaces", "replacement_reason"] if replaces else []),
    )
    return measure


def replace_measure(*, by: Actor, measure: Measure, defn: Definition, reason: str, **fields) -> Measure:
    return record_measure(by=by, person=measure.person, defn=defn, replaces=measure, reason=reason, **fields)
