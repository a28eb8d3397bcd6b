"""Caseloads: every team member with their current counts, in one query."""

from datetime import timedelta

from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from waypoint.access.policy import open_record
from waypoint.accounts import permissions
from waypoint.accounts.models import Membership, Team, User
from waypoint.audit.models import Action, RecordType
from waypoint.core.memo import per_request
from waypoint.patients.models import Person, TeamRegistration

from .models import (
    OPEN_EPISODE_STATUSES,
    Allocation,
    AllocationKind,
    Discharge,
    Episode,
    Transfer,
    TransferStatus,
)


def team_members_with_caseloads(team, now=None, *, may_hold=None):
    """The team's current members with their caseload counts; with `may_hold` (a permission such as
    `Do.HOLD_CARE_COORDINATION`), only those whose roles may hold that allocation."""
    now = now or timezone.now()
    current = Q(allocations__started_at__lte=now) & (
        Q(allocations__ended_at__isnull=True) | Q(allocations__ended_at__gt=now)
    )
    member_ids = Membership.objects.current().filter(team=team).values("user_id")
    if may_hold is not None:
        member_ids = member_ids.filter(user__roles__code__in=permissions.roles_for(may_hold))
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
    return [
        registration.team
        for registration in TeamRegistration.objects.current()
        .filter(person=person, team_id__in=team_ids)
        .select_related("team")
        .order_by("team__name")
    ]


def transfer_destinations(exclude_team):
    return list(Team.objects.filter(is_active=True).exclude(pk=exclude_team.pk).order_by("name"))


def episodes_of(person) -> list[Episode]:
    """Every episode of care of the person, newest first, with team and discharge. One query."""
    return list(
        Episode.objects.filter(person=person)
        .select_related("team", "discharge")
        .order_by("-started_on", "-pk")
    )


def allocations_now(person, now=None) -> list[Allocation]:
    """The person's current allocations (care coordinators and assessing workers), oldest first. One
    query, shared within a request with the worklist's "who has a care coordinator"."""
    return current_allocations_for([person.pk], now)


def pending_transfers_of(person) -> list[Transfer]:
    return pending_transfers_for([person.pk])


def record_summary(person, *, episodes=None, allocations=None, transfers=None):
    """Everything the record page's episode section shows, in a fixed number of queries (3, or
    none when the record's shared facts are passed in)."""
    episodes = episodes_of(person) if episodes is None else episodes
    coordinators = {}
    for allocation in allocations_now(person) if allocations is None else allocations:
        coordinators.setdefault(allocation.team_id, []).append(allocation)
    pending = {}
    for transfer in pending_transfers_of(person) if transfers is None else transfers:
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


def incoming_transfers(team_ids, *, user) -> list[Transfer]:
    """Transfers to these teams still waiting for the receiving team's decision, oldest first, for
    the people the user may see (one query): the team worklist and My caseload list them."""
    ids = sorted(set(team_ids))
    if not ids:
        return []
    return list(
        Transfer.objects.pending()
        .filter(to_team_id__in=ids, person__in=Person.objects.visible_to(user))
        .select_related("person", "to_team", "from_episode__team")
        .order_by("requested_at", "pk")
    )


@per_request
def pending_transfers_for(person_ids) -> list[Transfer]:
    return list(Transfer.objects.pending().filter(person_id__in=person_ids).select_related("to_team"))


# Who coordinates / is allocated to these people: the one place other apps ask ------------------

CASELOAD_KINDS = (AllocationKind.CARE_COORDINATOR, AllocationKind.ASSESSING)


@per_request
def current_allocations_for(person_ids, now=None) -> list[Allocation]:
    """Every current allocation of these people (any kind), with worker and team, oldest first.
    One query; within a request the record's care team, "who has a care coordinator" and the first
    review date all share it (`waypoint/core/memo.py`)."""
    ids = sorted({pk for pk in person_ids if pk is not None})
    if not ids:
        return []
    return list(
        Allocation.objects.current(now)
        .filter(person_id__in=ids)
        .select_related("worker", "team")
        .order_by("started_at", "pk")
    )


def people_with_a_care_coordinator(person_ids, now=None) -> set[int]:
    """Of these people, those with a current care coordinator. One query (shared)."""
    return {
        allocation.person_id
        for allocation in current_allocations_for(person_ids, now)
        if allocation.kind == AllocationKind.CARE_COORDINATOR
    }


def care_coordination_started(person_ids, now=None, exclude=()) -> list[tuple[int, int, object]]:
    """(person id, team id, started at) of each current care coordination of these people, earliest
    first, leaving out the people in `exclude`. One query (shared)."""
    exclude = set(exclude)
    return [
        (allocation.person_id, allocation.team_id, allocation.started_at)
        for allocation in current_allocations_for(person_ids, now)
        if allocation.kind == AllocationKind.CARE_COORDINATOR and allocation.person_id not in exclude
    ]


def safety_items_due(person_ids, now=None) -> dict:
    """{person id: the date by which a risk formulation and a safety plan are expected}, for each
    coordinated person: `WAYPOINT_SAFETY_ITEMS_DAYS` after care coordination started (the earliest
    current allocation). Missing after that date is "Overdue", not "Due soon". One query (shared)."""
    from datetime import timedelta

    from django.conf import settings

    if not settings.WAYPOINT_SAFETY_ITEMS_DAYS:
        return {}  # switched off: missing items stay "Due soon"
    days = timedelta(days=settings.WAYPOINT_SAFETY_ITEMS_DAYS)
    due: dict = {}
    for person_id, _team_id, started_at in care_coordination_started(person_ids, now):
        on = timezone.localtime(started_at).date() + days
        due[person_id] = min(on, due.get(person_id, on))
    return due


def caseload_allocations(worker, *, team=None, visible_to=None, now=None):
    """The worker's current care coordinator and assessing worker allocations, with the person, in
    name order. `team` limits to one team; `visible_to` (a user) to the people that user may see."""

    allocations = (
        Allocation.objects.current(now)
        .filter(worker=worker, kind__in=CASELOAD_KINDS)
        .select_related("person")
        .order_by("person__family_name", "person__given_name", "person_id", "kind")
    )
    if team is not None:
        allocations = allocations.filter(team=team)
    if visible_to is not None:
        allocations = allocations.filter(person__in=Person.objects.visible_to(visible_to, now))
    return allocations


def caseload_people_by_worker(team, worker_ids, now=None) -> dict[int, set[int]]:
    """worker id -> the ids of the people they coordinate or assess in this team. One query."""
    people: dict[int, set[int]] = {}
    pairs = (
        Allocation.objects.current(now)
        .filter(team=team, worker__in=worker_ids, kind__in=CASELOAD_KINDS)
        .values_list("worker_id", "person_id")
    )
    for worker_id, person_id in pairs:
        people.setdefault(worker_id, set()).add(person_id)
    return people


def allocations_for_referral(referral):
    return (
        Allocation.objects.filter(referral=referral)
        .select_related("worker", "allocated_by")
        .order_by("-started_at")
    )


def episode_for_page(
    request, person_id, episode_id, *, action=Action.VIEW, record_type=RecordType.EPISODE, where=None
):
    """Open the episode through the access policy, then read it with its person, team and referral.

    `open_record` answers 404 unless the episode is this person's and matches `where`, and the user
    has a basis for them, before anything is audited; then it writes the one audit row.
    Returns (Episode, RecordAccess).
    """
    opened = open_record(
        request,
        person_id,
        model=Episode,
        record_id=episode_id,
        where=where,
        record_type=record_type,
        action=action,
    )
    return episode_by_id(episode_id), opened


def transfer_for_page(request, person_id, transfer_id, where=None):
    """Open the transfer through the access policy, then read it with its teams, episodes and people.

    `open_record` answers 404 unless the transfer is this person's and matches `where`, and the user
    has a basis for them, before anything is audited; then it writes the one audit row.
    Returns (Transfer, RecordAccess).
    """
    opened = open_record(
        request,
        person_id,
        model=Transfer,
        record_id=transfer_id,
        where=where,
        record_type=RecordType.TRANSFER,
    )
    return transfer_by_id(transfer_id), opened


def planned_discharges(team, until) -> list[Episode]:
    """Open episodes of the team with a discharge planned on or before `until` (dates already passed
    included: the person is still not discharged), soonest first. One query."""
    return list(
        Episode.objects.open()
        .filter(team=team, discharge_planned_on__isnull=False, discharge_planned_on__lte=until)
        .only("id", "person_id", "discharge_planned_on")
        .order_by("discharge_planned_on", "pk")
    )


@per_request
def planned_discharges_for(person_ids) -> dict[int, tuple]:
    """person_id -> (the planned discharge date, the episode's team id) for each open episode here
    with a discharge planned (the earliest, if more than one). One query, shared within a request."""
    found: dict[int, tuple] = {}
    rows = (
        Episode.objects.filter(
            person_id__in=sorted(set(person_ids)),
            status__in=OPEN_EPISODE_STATUSES,
            discharge_planned_on__isnull=False,
        )
        .order_by("discharge_planned_on", "pk")
        .values_list("person_id", "discharge_planned_on", "team_id")
    )
    for person_id, planned_on, team_id in rows:
        found.setdefault(person_id, (planned_on, team_id))
    return found
