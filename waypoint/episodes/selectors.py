"""Caseloads: every team member with their current counts, in one query."""

from datetime import timedelta

from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from waypoint.accounts.models import Membership, User

from .models import Allocation, AllocationKind, Discharge, Episode, Transfer, TransferStatus


def team_members_with_caseloads(team, now=None):
    now = now or timezone.now()
    current = Q(allocations__started_at__lte=now) & (
        Q(allocations__ended_at__isnull=True) | Q(allocations__ended_at__gt=now)
    )
    member_ids = Membership.objects.current().filter(team=team).values("user_id")
    coordinating = current & Q(allocations__kind=AllocationKind.CARE_COORDINATOR)
    assessing = current & Q(allocations__kind=AllocationKind.ASSESSING)
    return (
        User.objects.filter(pk__in=member_ids, is_active=True)
        .annotate(
            coordinating_count=Count("allocations", filter=coordinating),
            coordinating_weight=Coalesce(Sum("allocations__weight", filter=coordinating), 0),
            assessing_count=Count("allocations", filter=assessing),
        )
        .prefetch_related("roles")
        .order_by("last_name", "first_name")
    )


def allocation_history(referral):
    return (
        Allocation.objects.filter(person=referral.person, team=referral.team)
        .select_related("worker", "allocated_by")
        .order_by("-started_at")
    )


# Episodes of care -------------------------------------------------------------------------------


def episode_by_id(episode_id):
    """Unscoped: callers must pass the person through the access policy before showing anything."""
    return Episode.objects.filter(pk=episode_id).select_related("person", "team", "referral").first()


def transfer_by_id(transfer_id):
    """Unscoped: callers must pass the person through the access policy before showing anything."""
    return (
        Transfer.objects.filter(pk=transfer_id)
        .select_related("person", "to_team", "from_episode__team", "requested_by", "decided_by", "to_episode")
        .first()
    )


def coordinator_history(episode):
    return list(
        Allocation.objects.filter(episode=episode, kind=AllocationKind.CARE_COORDINATOR)
        .select_related("worker", "allocated_by")
        .order_by("-started_at", "-pk")
    )


def care_approach_history(episode):
    return list(episode.care_approach_changes.select_related("changed_by").order_by("-changed_at", "-pk"))


def transfers_of_episode(episode):
    """Transfers out of this episode and the one that opened it, newest first."""
    return list(
        Transfer.objects.filter(Q(from_episode=episode) | Q(to_episode=episode))
        .select_related("to_team", "from_episode__team", "requested_by", "decided_by", "to_episode")
        .order_by("-requested_at", "-pk")
    )


def discharge_of(episode):
    return Discharge.objects.filter(episode=episode).select_related("recorded_by").first()


def open_episodes_for_teams(person, team_ids):
    return list(Episode.objects.open().filter(person=person, team_id__in=team_ids).select_related("team"))


def teams_person_is_on_books_of(person, team_ids):
    from waypoint.patients.models import TeamRegistration

    return [
        registration.team
        for registration in TeamRegistration.objects.current()
        .filter(person=person, team_id__in=team_ids)
        .select_related("team")
        .order_by("team__name")
    ]


def transfer_destinations(exclude_team):
    from waypoint.accounts.models import Team

    return list(Team.objects.filter(is_active=True).exclude(pk=exclude_team.pk).order_by("name"))


def record_summary(person):
    """Everything the record page's episode section shows, in a fixed number of queries (3)."""
    episodes = list(
        Episode.objects.filter(person=person)
        .select_related("team", "discharge")
        .order_by("-started_on", "-pk")
    )
    coordinators = {}
    for allocation in (
        Allocation.objects.current()
        .filter(person=person)
        .select_related("worker", "team")
        .order_by("started_at")
    ):
        coordinators.setdefault(allocation.team_id, []).append(allocation)
    pending = {}
    for transfer in Transfer.objects.pending().filter(person=person).select_related("to_team"):
        pending[transfer.from_episode_id] = transfer
    current = []
    for episode in episodes:
        if episode.is_open:
            team_allocations = coordinators.get(episode.team_id, [])
            current.append(
                {
                    "episode": episode,
                    "coordinator": next(
                        (a for a in reversed(team_allocations) if a.kind == AllocationKind.CARE_COORDINATOR),
                        None,
                    ),
                    "transfer": pending.get(episode.pk),
                }
            )
    episode_team_ids = {episode.team_id for episode in episodes if episode.is_open}
    other_allocations = [
        allocation
        for team_id, allocations in coordinators.items()
        if team_id not in episode_team_ids
        for allocation in allocations
    ]
    return {
        "current": current,
        "past": [episode for episode in episodes if episode.is_closed],
        "other_allocations": other_allocations,
    }


def team_transfers(team, *, user, recent_days=30, now=None):
    """Incoming and outgoing transfers for a team: pending, and decided in the last `recent_days`.

    Only people the user may still see are listed: a declined transfer ends the receiving team's
    relationship, and an accepted one ends the sending team's after the grace period."""
    from waypoint.patients.models import Person

    now = now or timezone.now()
    since = now - timedelta(days=recent_days)
    base = (
        Transfer.objects.select_related(
            "person", "to_team", "from_episode__team", "requested_by", "decided_by"
        )
        .filter(Q(status=TransferStatus.PENDING) | Q(decided_at__gte=since))
        .filter(person__in=Person.objects.visible_to(user))
    )
    return {
        "incoming": list(base.filter(to_team=team).order_by("requested_at", "pk")),
        "outgoing": list(base.filter(from_episode__team=team).order_by("requested_at", "pk")),
    }


def pending_transfers_for(person_ids):
    return Transfer.objects.pending().filter(person_id__in=person_ids).select_related("to_team")
