"""Who may see a member of staff's workforce record, and the one way a view opens it.

The rule (issue 14): the member of staff themselves, their current line manager, a team manager
of a team they are currently in, and a workforce administrator. Nobody else: 404, before any
audit row, as for a person's record. Each opening writes one audit row with the staff member's
user id as the record id and a `STAFF_*` record type (no person).
"""

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404

from waypoint.access.actor import Actor
from waypoint.accounts.models import Membership, RoleCode, User
from waypoint.audit import services as audit
from waypoint.audit.models import Action, Basis, RecordType

from .models import LineManagement


def staff_basis(viewer, staff) -> str | None:
    """Why `viewer` may see `staff`'s workforce record, or None."""
    if viewer is None or staff is None or not viewer.is_authenticated:
        return None
    if viewer.pk == staff.pk:
        return Basis.STAFF_SELF
    if LineManagement.objects.current().filter(staff=staff, manager=viewer).exists():
        return Basis.LINE_MANAGER
    if viewer.has_role(RoleCode.TEAM_MANAGER):
        shared = Membership.objects.current().filter(user=staff, team_id__in=viewer.current_team_ids())
        if shared.exists():
            return Basis.TEAM_MANAGER
    if viewer.has_role(RoleCode.WORKFORCE_ADMINISTRATOR):
        return Basis.WORKFORCE_ADMIN
    return None


@dataclass(frozen=True)
class StaffAccess:
    staff: Any
    basis: str
    actor: Actor

    @property
    def is_self(self) -> bool:
        return self.basis == Basis.STAFF_SELF


def open_staff(request, staff_id, *, record_type: RecordType, also=None) -> StaffAccess:
    """Open `staff_id`'s workforce record for this request: 404 unless the rule allows (or
    `also(viewer, staff)` gives a basis, for example "was at this supervision"), then one audit
    row (a view of `record_type`, record id the staff member's id), as `open_record` does."""
    staff = User.objects.filter(pk=staff_id).prefetch_related("roles").first()
    basis = staff_basis(request.user, staff)
    if basis is None and staff is not None and also is not None:
        basis = also(request.user, staff)
    if basis is None:
        raise Http404("No member of staff found")
    actor = Actor(user=request.user, basis=basis, path=request.path)
    with transaction.atomic():
        audit.write(actor, action=Action.VIEW, record_type=record_type, record_id=staff.pk)
    return StaffAccess(staff, basis, actor)


# What each basis may record on the workforce record (self: their own registration, approval hours,
# training and supervision; the rest is recorded by their managers or a workforce administrator).
SELF_MAY_RECORD = {"registration", "approval_hours", "training", "supervision", "appraisal_progress"}


def may_record(access: StaffAccess, what: str) -> bool:
    if access.basis == Basis.SUPERVISOR:
        return False
    if access.is_self and not access.actor.user.has_role(RoleCode.WORKFORCE_ADMINISTRATOR):
        return what in SELF_MAY_RECORD
    return True


class NotYoursToRecord(PermissionDenied):
    """The workforce rule refuses this write (raised by the services, whatever the view did)."""


def require_may_record(by, staff, what: str) -> None:
    """The service-level check of the workforce rule: `by` may record `what` on `staff`'s
    workforce record (the same answer as `open_staff` and `may_record` give a page). Management
    commands (no user) act for the Trust and are not refused."""
    user = getattr(by, "user", by)
    if user is None:
        return
    basis = staff_basis(user, staff)
    if basis is None or not may_record(StaffAccess(staff, basis, by), what):
        raise NotYoursToRecord(f"Not yours to record: {what}")


def require_may_manage_catalogue(by) -> None:
    user = getattr(by, "user", by)
    if user is not None and not may_manage_catalogue(user):
        raise NotYoursToRecord("Only a workforce administrator changes the course catalogue")


def may_manage_catalogue(user) -> bool:
    return user.has_role(RoleCode.WORKFORCE_ADMINISTRATOR)


def visible_staff_ids(viewer, candidate_ids) -> set[int]:
    """Of `candidate_ids`, those whose workforce record `viewer` may see (three queries at most)."""
    ids = set(candidate_ids)
    if viewer.has_role(RoleCode.WORKFORCE_ADMINISTRATOR):
        return ids
    seen = {viewer.pk} & ids
    seen |= set(
        LineManagement.objects.current()
        .filter(manager=viewer, staff_id__in=ids)
        .values_list("staff_id", flat=True)
    )
    if viewer.has_role(RoleCode.TEAM_MANAGER):
        seen |= set(
            Membership.objects.current()
            .filter(user_id__in=ids, team_id__in=viewer.current_team_ids())
            .values_list("user_id", flat=True)
        )
    return seen
