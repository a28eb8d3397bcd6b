"""Writes to assessments. Each operation is atomic, takes the acting user, keeps a revision, audits.

No clinical text goes into audit rows: only the names of the answers that changed.
"""

from django.db import transaction
from django.utils import timezone

from waypoint.access.actor import Actor
from waypoint.accounts import permissions
from waypoint.accounts.permissions import Do
from waypoint.audit import services as audit
from waypoint.audit.models import Action, RecordType
from waypoint.patients.models import Carer, CarerAssessmentStatus
from waypoint.referrals import services as referral_services
from waypoint.referrals.models import Referral

from .models import CLOCK_STOP_KINDS, Assessment, AssessmentRevision, CarerAssessmentState, Kind, Status

RECORD_TYPE = RecordType.ASSESSMENT


class StaleAssessment(Exception):
    """Someone else saved the assessment after this form was opened."""

    def __init__(self, current_version: int):
        super().__init__(f"Assessment is now at version {current_version}")
        self.current_version = current_version


class AssessmentCompleted(Exception):
    """A completed assessment is read-only: correct it by starting a replacement."""


class CannotReplace(Exception):
    """Only a completed assessment, not already replaced, can be replaced."""


def _revision(assessment, user, now):
    return AssessmentRevision.objects.create(
        assessment=assessment,
        number=assessment.version,
        status=assessment.status,
        assessed_on=assessment.assessed_on,
        review_on=assessment.review_on,
        referral_id_at_save=assessment.referral_id,
        answers=assessment.answers,
        saved_by=user,
        saved_at=now,
    )


def _changed(before: dict, after: dict, columns_before: dict, columns_after: dict) -> list[str]:
    names = [name for name in set(before) | set(after) if before.get(name) != after.get(name)]
    names += [name for name in columns_after if columns_before.get(name) != columns_after[name]]
    return names


def _apply_columns(assessment, columns: dict):
    for name in ("assessed_on", "review_on", "referral", "carer"):
        if name in columns:
            setattr(assessment, name, columns[name])


def _columns_of(assessment) -> dict:
    return {
        "assessed_on": assessment.assessed_on,
        "review_on": assessment.review_on,
        "referral": assessment.referral,
        "carer": assessment.carer,
    }


@transaction.atomic
def start_assessment(
    *, by: Actor, person, kind, answers: dict, columns: dict, complete=False, replaces=None
) -> Assessment:
    """Start an assessment (a draft, or completed straight away). `replaces` corrects a completed one."""
    permissions.require(by, Do.COMPLETE_ASSESSMENT if complete else Do.START_ASSESSMENT)
    user = by.user
    if replaces is not None:
        earlier = Assessment.objects.select_for_update().get(pk=replaces.pk)
        if (
            earlier.person_id != person.pk
            or earlier.kind != kind
            or not earlier.is_completed
            or Assessment.objects.filter(replaces=earlier).exists()
        ):
            raise CannotReplace()
    now = timezone.now()
    assessment = Assessment(
        person=person,
        kind=kind,
        answers=answers,
        replaces=replaces,
        created_by=user,
        created_at=now,
        updated_by=user,
        updated_at=now,
    )
    _apply_columns(assessment, columns)
    if complete:
        _sign_off(assessment, user, now)
    assessment.save()
    _revision(assessment, user, now)
    audit.write(
        by,
        person=person,
        action=Action.CREATE,
        record_type=RECORD_TYPE,
        record_id=assessment.pk,
        fields_changed=[name for name, value in answers.items() if value not in (None, "", [])]
        + [name for name, value in columns.items() if value not in (None, "")]
        + (["replaces"] if replaces else []),
    )
    _after_save(assessment, by)
    return assessment


def _sign_off(assessment, user, now):
    assessment.status = Status.COMPLETED
    assessment.completed_by = user
    assessment.completed_at = now


@transaction.atomic
def save_assessment(
    *,
    by: Actor,
    assessment,
    answers: dict,
    columns: dict,
    version: int | None,
    complete=False,
) -> Assessment:
    """Save a draft's answers, and sign it off if `complete`. Refuses a stale form and a completed
    assessment. Every save keeps a revision."""
    permissions.require(by, Do.COMPLETE_ASSESSMENT if complete else Do.START_ASSESSMENT)
    user = by.user
    current = Assessment.objects.select_for_update().select_related("person").get(pk=assessment.pk)
    if current.is_completed:
        raise AssessmentCompleted()
    if version is None or current.version != version:  # a form without its version is out of date
        raise StaleAssessment(current.version)
    changed = _changed(current.answers, answers, _columns_of(current), columns)
    now = timezone.now()
    current.answers = answers
    _apply_columns(current, columns)
    current.version += 1
    current.updated_by = user
    current.updated_at = now
    if complete:
        _sign_off(current, user, now)
        changed += ["status", "completed_by", "completed_at"]
    current.save()
    _revision(current, user, now)
    audit.write(
        by,
        person=current.person,
        action=Action.COMPLETE if complete else Action.UPDATE,
        record_type=RECORD_TYPE,
        record_id=current.pk,
        fields_changed=changed,
    )
    _after_save(current, by)
    return current


def _after_save(assessment, by):
    if assessment.kind == Kind.CARER:
        _sync_carer_status(assessment, by)
    if assessment.is_completed and assessment.kind in CLOCK_STOP_KINDS:
        _record_first_assessment(assessment, by)


CARER_STATUS = {
    CarerAssessmentState.OFFERED: CarerAssessmentStatus.OFFERED,
    CarerAssessmentState.DECLINED: CarerAssessmentStatus.DECLINED,
    CarerAssessmentState.COMPLETED: CarerAssessmentStatus.COMPLETED,
}


def _sync_carer_status(assessment, by):
    """Keep the carer's own "Carer's assessment" field (shown on their details) in step.

    This writes one field of `patients.Carer` (owned by the person index, which has no service for
    it yet), in the same transaction and with its own audit row.
    """
    wanted = CARER_STATUS[assessment.carer_state]
    updated = (
        Carer.objects.filter(pk=assessment.carer_id)
        .exclude(carer_assessment=wanted)
        .update(carer_assessment=wanted)
    )
    if updated:
        audit.write(
            by,
            person=assessment.person,
            action=Action.UPDATE,
            record_type=RecordType.CARER,
            record_id=assessment.carer_id,
            fields_changed=["carer_assessment"],
        )


def _record_first_assessment(assessment, by):
    """A completed initial or holistic needs assessment is the referral's first coded assessment.

    The linked referral, or else each open referral of the person received before now, gets its
    `first_assessment_at` clock event (through the referrals service, which audits it) unless an
    earlier one is already recorded. The clock-stop component reads that field, so the waiting
    list and duty board keep a fixed number of queries.
    """
    moment = assessment.completed_at
    if assessment.referral_id:
        referrals = Referral.objects.filter(pk=assessment.referral_id)
    else:
        referrals = Referral.objects.filter(person=assessment.person, received_at__lte=moment).open()
    for referral in referrals:
        if referral.first_assessment_at is None or referral.first_assessment_at > moment:
            referral_services.record_clock_event(
                by=by, referral=referral, event="first_assessment_at", moment=moment
            )
