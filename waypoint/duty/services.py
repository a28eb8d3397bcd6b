"""Duty operations: the only code that writes. Atomic, by the acting user.

Every change to an enquiry about a known person writes its audit row in the same transaction,
with the actor's basis for that person (the view builds it from the access policy), and field
NAMES only. Rota changes and handover notes are audited as team records (no person).
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from waypoint.access.actor import Actor
from waypoint.access.policy import visible_person_ids
from waypoint.accounts import permissions
from waypoint.accounts.permissions import Do
from waypoint.audit import services as audit
from waypoint.audit.models import Action, RecordType

from .models import (
    LOG_FIELDS,
    LOGGED_FIELDS,
    UPDATABLE_FIELDS,
    DutyEnquiry,
    DutyLogEntry,
    DutyRole,
    DutyShift,
    EnquiryStatus,
    Handover,
)
from .selectors import may_edit_rota, team_members


class StaleEnquiry(Exception):
    """Someone else saved the enquiry after this form was opened."""

    def __init__(self, current_version):
        super().__init__(f"Enquiry is now at version {current_version}")
        self.current_version = current_version


class ConveyedBeforeTheCall(ValueError):
    """A conveyance cannot happen before the call that led to it was received."""


class AlreadyClosed(Exception):
    pass


class OutcomeRequired(ValueError):
    """An enquiry is only closed with an outcome."""


class RotaProblem(ValueError):
    """A rota change that cannot be made (not a working day, not a team member, same person twice)."""


def _require_member(user, team):
    if team is None or team.pk not in user.current_team_ids():
        raise PermissionDenied("Not a member of this team")


def _audit(by, enquiry, action, fields):
    """The audit row for a change to an enquiry, against its person with the actor's basis for
    them (`none` when the team member has no relationship). Unlinked enquiries: no row."""
    if enquiry.person_id is None:
        return
    audit.write(
        by,
        person=enquiry.person,
        action=action,
        record_type=RecordType.DUTY_ENQUIRY,
        record_id=enquiry.pk,
        fields_changed=fields,
    )


def _filled(data):
    return [name for name, value in data.items() if value not in (None, "", [], False)]


@transaction.atomic
def log_enquiry(*, by: Actor, team, data: dict) -> DutyEnquiry:
    """Log a call to the team's duty line. It stays open until closed with an outcome."""
    permissions.require(by, Do.LOG_DUTY_CALL)
    user = by.user
    _require_member(user, team)
    unknown = set(data) - set(LOGGED_FIELDS)
    if unknown:
        raise ValueError(f"Not fields a duty worker logs: {sorted(unknown)}")
    data = {name: value for name, value in data.items() if not (name == "received_at" and value is None)}
    person = data.get("person")
    if person is not None and not visible_person_ids(user).filter(pk=person.pk).exists():
        raise PermissionDenied("Only people the user may see can be linked to a call")
    now = timezone.now()
    enquiry = DutyEnquiry.objects.create(team=team, logged_by=user, logged_at=now, **data)
    _audit(by, enquiry, Action.CREATE, _filled(data))
    return enquiry


@transaction.atomic
def update_enquiry(*, by: Actor, enquiry, data: dict, version: int | None) -> DutyEnquiry:
    """Add to an open enquiry's log and record its crisis response.

    Safety concerns, action taken and what happened in a crisis are *added* to the call's log as
    timestamped entries (`DutyLogEntry`), never written over. The crisis response's structure is
    recorded on the enquiry: `is_crisis`, escalations (a list of `Escalation` values) and
    conveyance to an urgent appointment (who, when, where to); a conveyance before the call was
    received is refused.

    Refuses a stale form (someone else saved first) and a closed enquiry.
    """
    permissions.require(by, Do.LOG_DUTY_CALL)
    user = by.user
    unknown = set(data) - set(UPDATABLE_FIELDS)
    if unknown:
        raise ValueError(f"Not fields that change on an open enquiry: {sorted(unknown)}")
    current = DutyEnquiry.objects.select_for_update().select_related("team").get(pk=enquiry.pk)
    _require_member(user, current.team)
    if current.status != EnquiryStatus.OPEN:
        raise AlreadyClosed()
    if version is not None and current.version != version:
        raise StaleEnquiry(current.version)
    conveyed_at = data.get("conveyed_at")
    if conveyed_at is not None and conveyed_at < current.received_at:
        raise ConveyedBeforeTheCall("The time conveyed is before the call was received")
    now = timezone.now()
    entries = [
        DutyLogEntry(enquiry=current, kind=name, text=text.strip(), written_by=user, written_at=now)
        for name in LOG_FIELDS
        if (text := data.get(name) or "").strip()
    ]
    changed = [
        name for name, value in data.items() if name not in LOG_FIELDS and getattr(current, name) != value
    ]
    if not changed and not entries:
        return current
    for name in changed:
        setattr(current, name, data[name])
    DutyLogEntry.objects.bulk_create(entries)
    current.version += 1
    current.save()
    _audit(by, current, Action.UPDATE, sorted(changed + [f"log:{entry.kind}" for entry in entries]))
    return current


@transaction.atomic
def close_enquiry(*, by: Actor, enquiry, outcome: str) -> DutyEnquiry:
    """Close an enquiry with its outcome. Without an outcome it stays open."""
    permissions.require(by, Do.LOG_DUTY_CALL)
    user = by.user
    outcome = (outcome or "").strip()
    if not outcome:
        raise OutcomeRequired("Enter the outcome before closing the enquiry")
    current = DutyEnquiry.objects.select_for_update().select_related("team").get(pk=enquiry.pk)
    _require_member(user, current.team)
    if current.status != EnquiryStatus.OPEN:
        raise AlreadyClosed()
    current.outcome = outcome
    current.status = EnquiryStatus.CLOSED
    current.closed_at = timezone.now()
    current.closed_by = user
    current.version += 1
    current.save()
    _audit(by, current, Action.UPDATE, ["outcome", "status", "closed_at", "closed_by"])
    return current


@transaction.atomic
def set_rota_day(*, by: Actor, team, day, duty_worker, backup_worker) -> None:
    """Set (or clear, with None) the duty worker and back-up for a team on a working day."""
    permissions.require(by, Do.SET_DUTY_ROTA)
    user = by.user
    if not may_edit_rota(user, team):
        raise PermissionDenied("Only the team's manager sets its duty rota")
    if day.weekday() >= 5:
        raise RotaProblem("The duty rota covers working days, Monday to Friday")
    if duty_worker is not None and duty_worker == backup_worker:
        raise RotaProblem("Choose a different person as back-up")
    chosen = {worker.pk for worker in (duty_worker, backup_worker) if worker is not None}
    if chosen - set(team_members(team).filter(pk__in=chosen).values_list("pk", flat=True)):
        raise RotaProblem("Choose from the team's current members")
    now = timezone.now()
    for role, worker in ((DutyRole.DUTY, duty_worker), (DutyRole.BACKUP, backup_worker)):
        existing = DutyShift.objects.select_for_update().filter(team=team, date=day, role=role).first()
        if worker is None:
            if existing is not None:
                existing.delete()
        elif existing is None:
            DutyShift.objects.create(team=team, date=day, role=role, worker=worker, set_by=user, set_at=now)
        elif existing.worker_id != worker.pk:
            existing.worker = worker
            existing.set_by = user
            existing.set_at = now
            existing.save(update_fields=["worker", "set_by", "set_at"])
    audit.write(
        by,
        action=Action.UPDATE,
        record_type=RecordType.DUTY_ROTA,
        record_id=f"{team.pk}:{day.isoformat()}",
        fields_changed=["duty_worker", "backup_worker"],
    )


@transaction.atomic
def write_handover(*, by: Actor, team, note: str) -> Handover:
    """The end-of-day note for the next duty worker. Open items stay open: nothing is closed here."""
    permissions.require(by, Do.LOG_DUTY_CALL)
    user = by.user
    _require_member(user, team)
    note = (note or "").strip()
    if not note:
        raise ValueError("A handover needs a note")
    handover = Handover.objects.create(team=team, for_date=timezone.localdate(), note=note, written_by=user)
    # Team record, not a person's: who wrote it and when (never the note's text).
    audit.write(
        by,
        action=Action.CREATE,
        record_type=RecordType.HANDOVER_NOTE,
        record_id=handover.pk,
        fields_changed=["note"],
    )
    return handover
