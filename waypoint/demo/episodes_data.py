"""Synthetic episodes of care for the demo Trust: open episodes, pending transfers, discharges.

Called by `build_demo_trust` after the pathway: everyone who was seen and allocated a care
coordinator gets an open episode with that team (their coordinator's Allocation row is linked to
it), with a mix of care approaches. A few North CMHT episodes have a transfer waiting for a
decision (to Assertive Outreach, and one to Complex Rehabilitation); about one in eight are
discharged, planned or unplanned, with a summary. bulk_create only: no audit rows for history.
"""

from datetime import datetime, time, timedelta

from django.utils import timezone

from waypoint.demo.bulk import insert, update
from waypoint.episodes.models import (
    Allocation,
    AllocationKind,
    CareApproach,
    Discharge,
    DischargeKind,
    EndReason,
    Episode,
    EpisodeStatus,
    Transfer,
    TransferDirection,
    UnplannedReason,
)

BATCH = 1000
APPROACHES = [CareApproach.CPA, CareApproach.NON_CPA, CareApproach.KEYWORKER]
APPROACH_WEIGHTS = [30, 20, 50]
DISCHARGE_RATE = 0.12
UNPLANNED = [
    UnplannedReason.MOVED_AWAY,
    UnplannedReason.DISENGAGED,
    UnplannedReason.DECLINED,
    UnplannedReason.OTHER_PROVIDER,
]


def build_episodes(*, teams, staff, people, rng, now=None) -> dict:
    now = now or timezone.now()
    today = timezone.localdate(now)
    allocations = list(
        Allocation.objects.current(now)
        .filter(
            person_id__in=[person.pk for person in people],
            kind=AllocationKind.CARE_COORDINATOR,
            episode__isnull=True,
        )
        .order_by("pk")
    )
    episodes = [
        Episode(
            person_id=allocation.person_id,
            team_id=allocation.team_id,
            referral_id=allocation.referral_id,
            care_approach=rng.choices(APPROACHES, weights=APPROACH_WEIGHTS)[0],
            started_on=timezone.localdate(allocation.started_at),
            opened_by_id=allocation.allocated_by_id,
            opened_at=allocation.started_at,
        )
        for allocation in allocations
    ]
    insert(episodes)
    for allocation, episode in zip(allocations, episodes, strict=True):
        allocation.episode = episode
    update(allocations, ["episode"])

    pairs = list(zip(episodes, allocations, strict=True))
    north = teams["North CMHT"].pk
    north_pairs = [pair for pair in pairs if pair[0].team_id == north]
    transfers = []
    destinations = ["Assertive Outreach Team"] * 3 + ["Complex Rehabilitation Team"]
    for (episode, allocation), destination in zip(north_pairs[:4], destinations, strict=False):
        episode.status = EpisodeStatus.TRANSFER_PENDING
        transfers.append(
            Transfer(
                person_id=episode.person_id,
                from_episode=episode,
                to_team=teams[destination],
                direction=TransferDirection.STEP_UP,
                reason=(
                    "Missing most appointments and losing weight; needs a persistent, assertive approach (synthetic)."
                    if destination == "Assertive Outreach Team"
                    else "Needs longer-term rehabilitation to regain daily living skills (synthetic)."
                ),
                handover_summary=(
                    "Lives alone; sister is the main carer and may be told everything. Prefers afternoon "
                    "visits. Depot every 4 weeks at the clinic. Risk formulation updated last month (synthetic)."
                ),
                care_approach=CareApproach.CPA,
                requested_by_id=allocation.worker_id,
                requested_at=now - timedelta(days=rng.randint(1, 9)),
            )
        )
    discharges, ended = [], []
    for episode, allocation in pairs[4:]:
        if rng.random() >= DISCHARGE_RATE:
            continue
        days_open = max((today - episode.started_on).days, 1)
        discharged_on = episode.started_on + timedelta(days=rng.randint(max(days_open // 2, 0), days_open))
        discharged_on = min(discharged_on, today)
        planned = rng.random() < 0.6
        reason = "" if planned else rng.choice(UNPLANNED)
        episode.status = EpisodeStatus.CLOSED
        episode.ended_on = discharged_on
        episode.end_reason = EndReason.DISCHARGED
        episode.closed_by_id = allocation.worker_id
        closed_at = timezone.make_aware(datetime.combine(discharged_on, time(15, 0)))
        episode.closed_at = max(closed_at, allocation.started_at)
        allocation.ended_at = episode.closed_at
        ended.append(allocation)
        discharges.append(
            Discharge(
                episode=episode,
                person_id=episode.person_id,
                kind=DischargeKind.PLANNED if planned else DischargeKind.UNPLANNED,
                unplanned_reason=reason,
                disengagement_procedure_followed=reason == UnplannedReason.DISENGAGED,
                discharged_on=discharged_on,
                what_happened=(
                    "We met every two weeks to work on sleep, routine and getting back to work. Mood is "
                    "much improved and the care plan goals are met (synthetic)."
                    if planned
                    else "Contact became difficult and the episode ended before the care plan was finished (synthetic)."
                ),
                current_medication="Sertraline 100mg each morning (synthetic)",
                relapse_signs="Sleeping badly, stopping seeing friends, not answering the phone (synthetic)",
                getting_back_in_touch="Your GP can refer you back to us. For 28 days you can ring the team directly (synthetic).",
                crisis_numbers="NHS 111 – choose the mental health option\nSamaritans – 116 123\n999 in an emergency",
                recorded_by_id=allocation.worker_id,
                recorded_at=episode.closed_at,
            )
        )
    changed = [pair[0] for pair in pairs if pair[0].status != EpisodeStatus.OPEN]
    update(changed, ["status", "ended_on", "end_reason", "closed_by", "closed_at"])
    insert(transfers)
    insert(discharges)
    update(ended, ["ended_at"])
    return {
        "episodes": len(episodes),
        "transfers": len(transfers),
        "discharged": len(discharges),
    }
