"""Allocation, episodes of care, transfers and discharge. Atomic, audited, by the acting user.

Every function here writes its audit row in the same transaction as the change, with field
names only (never the text typed). Episodes are never deleted; a closed episode is read-only.
"""

from django.db import IntegrityError, transaction
from django.utils import timezone

from waypoint.access.actor import Actor
from waypoint.accounts import permissions
from waypoint.accounts.permissions import Do
from waypoint.audit import services as audit
from waypoint.audit.models import Action, RecordType

from .models import (
    Allocation,
    AllocationKind,
    CareApproachChange,
    Discharge,
    DischargeKind,
    EndReason,
    Episode,
    EpisodeStatus,
    Transfer,
    TransferStatus,
    UnplannedReason,
)


class NotATeamMember(Exception):
    """The chosen worker (or the acting user) is not a current member of the team."""


class EpisodeProblem(Exception):
    """The operation is not possible in the episode's current state; the message says why."""


class RoleCannotHold(EpisodeProblem):
    """The chosen worker's roles may not hold this allocation (`permissions.HOLD_*`)."""

    def __init__(self, worker, kind):
        self.message = f"{worker} cannot be allocated as {AllocationKind(kind).label.lower()}: their role does not allow it"
        super().__init__(self.message)


HOLDS = {
    AllocationKind.CARE_COORDINATOR: Do.HOLD_CARE_COORDINATION,
    AllocationKind.ASSESSING: Do.HOLD_ASSESSMENT,
}


def _check_may_hold(worker, kind):
    if not permissions.may(worker, HOLDS[kind]):
        raise RoleCannotHold(worker, kind)


class ReferralNotAccepted(EpisodeProblem):
    pass


class AlreadyOpen(EpisodeProblem):
    pass


class EpisodeClosed(EpisodeProblem):
    pass


class TransferPending(EpisodeProblem):
    pass


class TransferNotPending(EpisodeProblem):
    pass


class StaleEpisode(EpisodeProblem):
    def __init__(self, current_version):
        super().__init__(f"Episode is now at version {current_version}")
        self.current_version = current_version


def _audit(by, person, action, record_type, record_id, fields=()):
    """Audit a change with the actor's basis (team, episode, transfer, break-glass...), as the access
    policy gave it when the page was opened, so the row says why they could make it."""
    audit.write(
        by,
        person=person,
        action=action,
        record_type=record_type,
        record_id=record_id,
        fields_changed=list(fields),
    )


# Allocation -------------------------------------------------------------------------------------


def _end_allocations(by, allocations, now):
    for allocation in allocations:
        allocation.ended_at = max(now, allocation.started_at)
        allocation.save(update_fields=["ended_at"])
        _audit(by, allocation.person, Action.UPDATE, RecordType.ALLOCATION, allocation.pk, ["ended_at"])


def _open_episode_of(person, team):
    return Episode.objects.open().filter(person=person, team=team).first()


@transaction.atomic
def allocate(*, by: Actor, referral, worker, kind: str, weight: int = 1) -> Allocation:
    """Allocate a worker. The previous allocation of the same kind for this person and team ends now.

    A care coordinator allocated while the person has an open episode with the team is linked to it.
    """
    permissions.require(by, Do.ALLOCATE)
    user = by.user
    if referral.team_id not in worker.current_team_ids():
        raise NotATeamMember()
    _check_may_hold(worker, kind)
    now = timezone.now()
    previous = list(
        Allocation.objects.current(now)
        .select_for_update()
        .filter(person=referral.person, team=referral.team, kind=kind)
    )
    _end_allocations(by, previous, now)
    episode = (
        _open_episode_of(referral.person, referral.team) if kind == AllocationKind.CARE_COORDINATOR else None
    )
    allocation = Allocation.objects.create(
        person=referral.person,
        team=referral.team,
        referral=referral,
        episode=episode,
        worker=worker,
        kind=kind,
        weight=weight,
        started_at=now,
        allocated_by=user,
    )
    _audit(
        by, referral.person, Action.CREATE, RecordType.ALLOCATION, allocation.pk, ["worker", "kind", "weight"]
    )
    return allocation


@transaction.atomic
def end_allocation(*, by: Actor, allocation) -> Allocation:
    permissions.require(by, Do.ALLOCATE)
    _end_allocations(by, [allocation], timezone.now())
    return allocation


# Episodes ---------------------------------------------------------------------------------------


def _check_member(user, team):
    if team.pk not in user.current_team_ids():
        raise NotATeamMember()


def _lock(episode, version=None) -> Episode:
    current = Episode.objects.select_for_update().select_related("person", "team").get(pk=episode.pk)
    if version is not None and current.version != version:
        raise StaleEpisode(current.version)
    return current


def _create_episode(*, by: Actor, person, team, care_approach, started_on, referral=None) -> Episode:
    user = by.user
    if Episode.objects.open().filter(person=person, team=team).exists():
        raise AlreadyOpen(f"{person.full_name} already has an open episode of care with {team.name}")
    try:
        with transaction.atomic():
            episode = Episode.objects.create(
                person=person,
                team=team,
                referral=referral,
                care_approach=care_approach,
                started_on=started_on or timezone.localdate(),
                opened_by=user,
            )
    except IntegrityError:  # opened by someone else at the same moment
        raise AlreadyOpen(
            f"{person.full_name} already has an open episode of care with {team.name}"
        ) from None
    fields = ["team", "care_approach", "started_on"] + (["referral"] if referral else [])
    _audit(by, person, Action.CREATE, RecordType.EPISODE, episode.pk, fields)
    return episode


@transaction.atomic
def open_episode_from_referral(*, by: Actor, referral, care_approach, started_on=None) -> Episode:
    """Open an episode from an accepted referral. Its current care coordinator joins the episode."""
    permissions.require(by, Do.OPEN_EPISODE)
    user = by.user
    _check_member(user, referral.team)
    if referral.decision != "accept" or not referral.is_open:
        raise ReferralNotAccepted("Only an accepted, open referral can start an episode of care")
    episode = _create_episode(
        by=by,
        person=referral.person,
        team=referral.team,
        care_approach=care_approach,
        started_on=started_on,
        referral=referral,
    )
    coordinators = list(
        Allocation.objects.current()
        .select_for_update()
        .filter(
            person=referral.person, team=referral.team, kind=AllocationKind.CARE_COORDINATOR, episode=None
        )
    )
    for allocation in coordinators:
        allocation.episode = episode
        allocation.save(update_fields=["episode"])
        _audit(by, referral.person, Action.UPDATE, RecordType.ALLOCATION, allocation.pk, ["episode"])
    from waypoint.referrals.services import move_into_care

    move_into_care(by=by, referral=referral)  # no longer "Seen – in assessment"
    return episode


@transaction.atomic
def open_episode(*, by: Actor, person, team, care_approach, started_on=None) -> Episode:
    """Open an episode for a person already on the team's books (no referral)."""
    permissions.require(by, Do.OPEN_EPISODE)
    user = by.user
    from waypoint.patients.models import TeamRegistration

    _check_member(user, team)
    if not TeamRegistration.objects.current().filter(person=person, team=team).exists():
        raise EpisodeProblem(f"{person.full_name} is not on {team.name}'s books")
    return _create_episode(
        by=by, person=person, team=team, care_approach=care_approach, started_on=started_on
    )


@transaction.atomic
def assign_care_coordinator(*, by: Actor, episode, worker, weight=1, version=None) -> Allocation:
    """Make `worker` the care coordinator (or keyworker). The previous assignment ends now; history is kept."""
    permissions.require(by, Do.CHANGE_CARE_APPROACH)
    user = by.user
    current = _lock(episode, version)
    _check_member(user, current.team)
    if current.is_closed:
        raise EpisodeClosed("This episode is closed, so it cannot be changed")
    if current.team_id not in worker.current_team_ids():
        raise NotATeamMember()
    _check_may_hold(worker, AllocationKind.CARE_COORDINATOR)
    now = timezone.now()
    previous = list(
        Allocation.objects.current(now)
        .select_for_update()
        .filter(person=current.person, team=current.team, kind=AllocationKind.CARE_COORDINATOR)
    )
    _end_allocations(by, previous, now)
    allocation = Allocation.objects.create(
        person=current.person,
        team=current.team,
        referral=current.referral,
        episode=current,
        worker=worker,
        kind=AllocationKind.CARE_COORDINATOR,
        weight=weight,
        started_at=now,
        allocated_by=user,
    )
    _audit(
        by, current.person, Action.CREATE, RecordType.ALLOCATION, allocation.pk, ["worker", "kind", "weight"]
    )
    current.version += 1
    current.save(update_fields=["version"])
    return allocation


@transaction.atomic
def change_care_approach(*, by: Actor, episode, care_approach, version=None) -> CareApproachChange:
    """Change the care approach of an open episode. The earlier approach is kept in the history."""
    permissions.require(by, Do.CHANGE_CARE_APPROACH)
    user = by.user
    current = _lock(episode, version)
    _check_member(user, current.team)
    if current.is_closed:
        raise EpisodeClosed("This episode is closed, so it cannot be changed")
    if care_approach == current.care_approach:
        raise EpisodeProblem("That is the care approach already")
    change = CareApproachChange.objects.create(
        episode=current,
        care_approach_before=current.care_approach,
        care_approach=care_approach,
        changed_by=user,
    )
    current.care_approach = care_approach
    current.version += 1
    current.save(update_fields=["care_approach", "version"])
    _audit(by, current.person, Action.UPDATE, RecordType.EPISODE, current.pk, ["care_approach"])
    return change


def _close(by, episode, *, ended_on, reason):
    user = by.user
    """Close the episode and end the team's open care coordinator allocations for the person."""
    now = timezone.now()
    episode.status = EpisodeStatus.CLOSED
    episode.ended_on = ended_on
    episode.end_reason = reason
    episode.closed_by = user
    episode.closed_at = now
    episode.version += 1
    episode.save()
    coordinators = list(
        Allocation.objects.current(now)
        .select_for_update()
        .filter(person=episode.person, team=episode.team, kind=AllocationKind.CARE_COORDINATOR)
    )
    _end_allocations(by, coordinators, now)


# Transfers --------------------------------------------------------------------------------------


@transaction.atomic
def request_transfer(*, by: Actor, episode, to_team, data: dict, version=None) -> Transfer:
    """The sending team asks another team to take over. The episode stays open until they accept."""
    permissions.require(by, Do.REQUEST_TRANSFER)
    user = by.user
    current = _lock(episode, version)
    _check_member(user, current.team)
    if current.is_closed:
        raise EpisodeClosed("This episode is closed, so it cannot be transferred")
    if current.status == EpisodeStatus.TRANSFER_PENDING:
        raise TransferPending("A transfer of this episode is already waiting for a decision")
    if to_team.pk == current.team_id:
        raise EpisodeProblem("Choose a different team from the one the person is with now")
    if Episode.objects.open().filter(person=current.person, team=to_team).exists():
        raise AlreadyOpen(
            f"{current.person.full_name} already has an open episode of care with {to_team.name}"
        )
    transfer = Transfer.objects.create(
        person=current.person,
        from_episode=current,
        to_team=to_team,
        direction=data["direction"],
        reason=data["reason"],
        handover_summary=data["handover_summary"],
        care_approach=data.get("care_approach") or current.care_approach,
        requested_by=user,
    )
    current.status = EpisodeStatus.TRANSFER_PENDING
    current.version += 1
    current.save(update_fields=["status", "version"])
    _audit(
        by,
        current.person,
        Action.TRANSFER,
        RecordType.TRANSFER,
        transfer.pk,
        ["to_team", "direction", "reason", "handover_summary", "care_approach"],
    )
    return transfer


def _lock_transfer(transfer) -> Transfer:
    current = (
        Transfer.objects.select_for_update()
        .select_related("person", "to_team", "from_episode")
        .get(pk=transfer.pk)
    )
    if not current.is_pending:
        raise TransferNotPending(f"This transfer has already been {current.get_status_display().lower()}")
    return current


@transaction.atomic
def accept_transfer(*, by: Actor, transfer, care_approach=None, reason="") -> Episode:
    """The receiving team accepts: its episode opens, then the sending episode closes (one transaction)."""
    permissions.require(by, Do.DECIDE_TRANSFER)
    user = by.user
    current = _lock_transfer(transfer)
    _check_member(user, current.to_team)
    sending = _lock(current.from_episode)
    if Episode.objects.open().filter(person=current.person, team=current.to_team).exists():
        raise AlreadyOpen(
            f"{current.person.full_name} already has an open episode of care with {current.to_team.name}"
        )
    today = timezone.localdate()
    receiving = Episode.objects.create(
        person=current.person,
        team=current.to_team,
        referral=None,
        care_approach=care_approach or current.care_approach,
        started_on=today,
        opened_by=user,
    )
    _audit(
        by,
        current.person,
        Action.CREATE,
        RecordType.EPISODE,
        receiving.pk,
        ["team", "care_approach", "started_on"],
    )
    current.status = TransferStatus.ACCEPTED
    current.decided_by = user
    current.decided_at = timezone.now()
    current.decision_reason = reason
    current.to_episode = receiving
    current.save()
    _audit(
        by, current.person, Action.TRANSFER, RecordType.TRANSFER, current.pk, ["status", "decision_reason"]
    )
    _close(by, sending, ended_on=max(today, sending.started_on), reason=EndReason.TRANSFERRED)
    _audit(
        by,
        current.person,
        Action.UPDATE,
        RecordType.EPISODE,
        sending.pk,
        ["status", "ended_on", "end_reason"],
    )
    return receiving


@transaction.atomic
def decline_transfer(*, by: Actor, transfer, reason: str) -> Transfer:
    """The receiving team declines, with a reason. The sending episode carries on as before."""
    permissions.require(by, Do.DECIDE_TRANSFER)
    user = by.user
    if not (reason or "").strip():
        raise EpisodeProblem("Give the reason for declining the transfer")
    current = _lock_transfer(transfer)
    _check_member(user, current.to_team)
    sending = _lock(current.from_episode)
    current.status = TransferStatus.DECLINED
    current.decided_by = user
    current.decided_at = timezone.now()
    current.decision_reason = reason
    current.save()
    sending.status = EpisodeStatus.OPEN
    sending.version += 1
    sending.save(update_fields=["status", "version"])
    _audit(
        by, current.person, Action.TRANSFER, RecordType.TRANSFER, current.pk, ["status", "decision_reason"]
    )
    return current


@transaction.atomic
def withdraw_transfer(*, by: Actor, transfer) -> Transfer:
    """The sending team withdraws its request before a decision. Its episode carries on."""
    permissions.require(by, Do.DECIDE_TRANSFER)
    user = by.user
    current = _lock_transfer(transfer)
    sending = _lock(current.from_episode)
    _check_member(user, sending.team)
    current.status = TransferStatus.WITHDRAWN
    current.decided_by = user
    current.decided_at = timezone.now()
    current.save()
    sending.status = EpisodeStatus.OPEN
    sending.version += 1
    sending.save(update_fields=["status", "version"])
    _audit(by, current.person, Action.TRANSFER, RecordType.TRANSFER, current.pk, ["status"])
    return current


# Discharge --------------------------------------------------------------------------------------

DISCHARGE_TEXT_FIELDS = [
    "reason_detail",
    "what_happened",
    "current_medication",
    "relapse_signs",
    "getting_back_in_touch",
    "crisis_numbers",
]


@transaction.atomic
def plan_discharge(*, by: Actor, episode, planned_on, version=None) -> Episode:
    """Record the date the team plans to discharge the person (None: no date planned any more).
    Today or later; only for an open episode. The discharge itself is recorded by `discharge`."""
    permissions.require(by, Do.DISCHARGE)
    current = _lock(episode, version)
    _check_member(by.user, current.team)
    if current.is_closed:
        raise EpisodeClosed("This episode is closed, so it cannot be changed")
    if planned_on is not None and planned_on < timezone.localdate():
        raise EpisodeProblem("The planned discharge date must be today or in the future")
    if current.discharge_planned_on == planned_on:
        return current
    current.discharge_planned_on = planned_on
    current.version += 1
    current.save(update_fields=["discharge_planned_on", "version"])
    _audit(by, current.person, Action.UPDATE, RecordType.EPISODE, current.pk, ["discharge_planned_on"])
    return current


@transaction.atomic
def discharge(*, by: Actor, episode, data: dict, version=None) -> Discharge:
    """Discharge the person from the team: record the discharge and summary, close the episode.

    Refused while a transfer is waiting for a decision (the person must never be between teams),
    and for an episode already closed. Ends the team's care coordinator allocations.
    """
    permissions.require(by, Do.DISCHARGE)
    user = by.user
    current = _lock(episode, version)
    _check_member(user, current.team)
    if current.is_closed:
        raise EpisodeClosed("This episode is already closed")
    if current.status == EpisodeStatus.TRANSFER_PENDING:
        raise TransferPending(
            "A transfer of this episode is waiting for a decision. Withdraw it, or wait for the other team, before discharging."
        )
    kind = data["kind"]
    unplanned_reason = data.get("unplanned_reason", "") if kind == DischargeKind.UNPLANNED else ""
    if kind == DischargeKind.UNPLANNED and not unplanned_reason:
        raise EpisodeProblem("Choose the reason for an unplanned discharge")
    discharged_on = data["discharged_on"]
    if discharged_on > timezone.localdate():
        raise EpisodeProblem("The date of discharge must be today or in the past")
    if discharged_on < current.started_on:
        raise EpisodeProblem("The date of discharge cannot be before the episode started")
    record = Discharge.objects.create(
        episode=current,
        person=current.person,
        kind=kind,
        unplanned_reason=unplanned_reason,
        disengagement_procedure_followed=bool(
            unplanned_reason == UnplannedReason.DISENGAGED and data.get("disengagement_procedure_followed")
        ),
        discharged_on=discharged_on,
        recorded_by=user,
        **{name: data.get(name, "") for name in DISCHARGE_TEXT_FIELDS},
    )
    _close(by, current, ended_on=discharged_on, reason=EndReason.DISCHARGED)
    fields = ["kind", "discharged_on"] + (["unplanned_reason"] if unplanned_reason else [])
    fields += [name for name in DISCHARGE_TEXT_FIELDS if data.get(name)]
    _audit(by, current.person, Action.DISCHARGE, RecordType.DISCHARGE, record.pk, fields)
    return record
