"""Duty operations: the only code that writes. Atomic, by the acting user.

Every change to an enquiry about a known person writes its audit row in the same transaction,
with the basis the access policy gives the user for that person, and field NAMES only.
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from waypoint.access.policy import access_for
from waypoint.audit import services as audit
from waypoint.audit.models import Action, Basis

from .models import LOGGED_FIELDS, UPDATABLE_FIELDS, DutyEnquiry, DutyRole, DutyShift, EnquiryStatus, Handover
from .selectors import may_edit_rota, team_members


class StaleEnquiry(Exception):
    """Someone else saved the enquiry after this form was opened."""

    def __init__(self, current_version):
        super().__init__(f"Enquiry is now at version {current_version}")
        self.current_version = current_version


class AlreadyClosed(Exception):
    pass


class OutcomeRequired(ValueError):
    """An enquiry is only closed with an outcome."""


class RotaProblem(ValueError):
    """A rota change that cannot be made (not a working day, not a team member, same person twice)."""


def _require_member(user, team):
    if team is None or team.pk not in user.current_team_ids():
        raise PermissionDenied("Not a member of this team")


def _audit(user, enquiry, action, fields, path):
    """The audit row for a change to an enquiry. Unlinked enquiries concern no record: no row."""
    if enquiry.person_id is None:
        return
    access = access_for(user, enquiry.person)
    audit.record(
        user=user,
        person=enquiry.person,
        action=action,
        record_type="duty_enquiry",
        record_id=enquiry.pk,
        basis=access.basis if access else Basis.NONE,
        break_glass_reason=access.break_glass_reason if access else "",
        fields_changed=fields,
        path=path,
    )


def _filled(data):
    return [name for name, value in data.items() if value not in (None, "", [], False)]


@transaction.atomic
def log_enquiry(*, user, team, data: dict, path="") -> DutyEnquiry:
    """Log a call to the team's duty line. It stays open until closed with an outcome."""
    _require_member(user, team)
    unknown = set(data) - set(LOGGED_FIELDS)
    if unknown:
        raise ValueError(f"Not fields a duty worker logs: {sorted(unknown)}")
    data = {name: value for name, value in data.items() if not (name == "received_at" and value is None)}
    person = data.get("person")
    if person is not None and access_for(user, person) is None:
        raise PermissionDenied("Only people the user may see can be linked to a call")
    now = timezone.now()
    enquiry = DutyEnquiry.objects.create(team=team, logged_by=user, logged_at=now, **data)
    _audit(user, enquiry, Action.CREATE, _filled(data), path)
    return enquiry


@transaction.atomic
def update_enquiry(*, user, enquiry, data: dict, version: int | None, path="") -> DutyEnquiry:
    """Record action taken, safety concerns and any crisis response on an open enquiry.

    A crisis response is recorded here: `is_crisis`, what happened, escalations (a list of
    `Escalation` values) and conveyance to an urgent appointment (who, when, where to).

    Refuses a stale form (someone else saved first) and a closed enquiry.
    """
    unknown = set(data) - set(UPDATABLE_FIELDS)
    if unknown:
        raise ValueError(f"Not fields that change on an open enquiry: {sorted(unknown)}")
    current = DutyEnquiry.objects.select_for_update().select_related("team").get(pk=enquiry.pk)
    _require_member(user, current.team)
    if current.status != EnquiryStatus.OPEN:
        raise AlreadyClosed()
    if version is not None and current.version != version:
        raise StaleEnquiry(current.version)
    changed = [name for name, value in data.items() if getattr(current, name) != value]
    if not changed:
        return current
    for name in changed:
        setattr(current, name, data[name])
    current.version += 1
    current.save()
    _audit(user, current, Action.UPDATE, changed, path)
    return current


@transaction.atomic
def close_enquiry(*, user, enquiry, outcome: str, path="") -> DutyEnquiry:
    """Close an enquiry with its outcome. Without an outcome it stays open."""
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
    _audit(user, current, Action.UPDATE, ["outcome", "status", "closed_at", "closed_by"], path)
    return current


@transaction.atomic
def set_rota_day(*, user, team, day, duty_worker, backup_worker) -> None:
    """Set (or clear, with None) the duty worker and back-up for a team on a working day."""
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


@transaction.atomic
def write_handover(*, user, team, note: str) -> Handover:
    """The end-of-day note for the next duty worker. Open items stay open: nothing is closed here."""
    _require_member(user, team)
    note = (note or "").strip()
    if not note:
        raise ValueError("A handover needs a note")
    return Handover.objects.create(team=team, for_date=timezone.localdate(), note=note, written_by=user)
