"""Allocation: assign an assessing worker or a care coordinator, keeping the history."""

from django.db import transaction
from django.utils import timezone

from waypoint.audit import services as audit
from waypoint.audit.models import Action, Basis

from .models import Allocation


class NotATeamMember(Exception):
    """The chosen worker is not a current member of the team."""


@transaction.atomic
def allocate(*, user, referral, worker, kind: str, weight: int = 1, path="") -> Allocation:
    """Allocate a worker. The previous allocation of the same kind for this person and team ends now."""
    if referral.team_id not in worker.current_team_ids():
        raise NotATeamMember()
    now = timezone.now()
    previous = list(
        Allocation.objects.current(now)
        .select_for_update()
        .filter(person=referral.person, team=referral.team, kind=kind)
    )
    for allocation in previous:
        allocation.ended_at = now
        allocation.save(update_fields=["ended_at"])
        audit.record(
            user=user,
            person=referral.person,
            action=Action.UPDATE,
            record_type="allocation",
            record_id=allocation.pk,
            basis=Basis.TEAM,
            fields_changed=["ended_at"],
            path=path,
        )
    allocation = Allocation.objects.create(
        person=referral.person,
        team=referral.team,
        referral=referral,
        worker=worker,
        kind=kind,
        weight=weight,
        started_at=now,
        allocated_by=user,
    )
    audit.record(
        user=user,
        person=referral.person,
        action=Action.CREATE,
        record_type="allocation",
        record_id=allocation.pk,
        basis=Basis.TEAM,
        fields_changed=["worker", "kind", "weight"],
        path=path,
    )
    return allocation


@transaction.atomic
def end_allocation(*, user, allocation, path="") -> Allocation:
    allocation.ended_at = timezone.now()
    allocation.save(update_fields=["ended_at"])
    audit.record(
        user=user,
        person=allocation.person,
        action=Action.UPDATE,
        record_type="allocation",
        record_id=allocation.pk,
        basis=Basis.TEAM,
        fields_changed=["ended_at"],
        path=path,
    )
    return allocation
