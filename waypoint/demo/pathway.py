"""Synthetic pathway data for the demo Trust: referrals at every stage, triage, allocations.

Called by `build_demo_trust` after people are registered. Every team's people are spread across
the pathway so the duty board, waiting list and caseloads all have something to show: about
10% waiting for triage, 15% accepted and waiting to be seen (some past their targets), 55% seen
and allocated a care coordinator, 10% closed at triage, and 10% on the books with no referral.
Uses bulk_create: no audit rows are written for synthetic history.
"""

import random
from datetime import timedelta

from django.utils import timezone

from waypoint.accounts.models import Membership, RoleCode
from waypoint.demo.bulk import insert
from waypoint.episodes.models import Allocation, AllocationKind
from waypoint.referrals.models import Decision, Referral, RejectionReason, Source, Status, Urgency

SOURCES = [choice for choice, _ in Source.choices]
SOURCE_WEIGHTS = [40, 10, 6, 12, 8, 8, 5, 6, 5]
REASONS = [
    "Low mood for several months, not sleeping, finding it hard to leave the house (synthetic).",
    "Hearing voices that are distressing; family worried (synthetic).",
    "Increasing anxiety and panic; stopped working (synthetic).",
    "Known to services previously; early signs of relapse reported by carer (synthetic).",
    "Self-neglect and weight loss noticed at GP review (synthetic).",
    "Seen in A&E after a crisis; needs community follow-up (synthetic).",
]
BATCH = 1000


def _clinical_staff(team):
    members = (
        Membership.objects.current()
        .filter(team=team, user__roles__code=RoleCode.CARE_COORDINATOR)
        .select_related("user")
        .distinct()
    )
    return [membership.user for membership in members]


def build_pathway(*, team, people, recorded_by, rng: random.Random, now=None) -> dict:
    """Give each of `people` (all on `team`'s books) a place on the pathway. Returns counts."""
    now = now or timezone.now()
    workers = _clinical_staff(team) or [recorded_by]
    referrals, stages = [], []
    for person in people:
        roll = rng.random()
        if roll < 0.10:
            stage = "awaiting_triage"
            received = now - timedelta(hours=rng.randint(1, 120))
        elif roll < 0.25:
            stage = "waiting"
            received = now - timedelta(days=rng.randint(1, 45), hours=rng.randint(0, 8))
        elif roll < 0.80:
            stage = "seen"
            received = now - timedelta(days=rng.randint(60, 900))
        elif roll < 0.90:
            stage = "closed"
            received = now - timedelta(days=rng.randint(5, 300))
        else:
            continue
        asked = rng.choices([Urgency.VERY_URGENT, Urgency.URGENT, Urgency.ROUTINE], weights=[5, 20, 75])[0]
        referral = Referral(
            person=person,
            team=team,
            received_at=received,
            source=rng.choices(SOURCES, weights=SOURCE_WEIGHTS)[0],
            referrer_name=rng.choice(["Dr A Testdoctor", "Dr B Sampleton", "Duty Desk (synthetic)", "Self"]),
            referrer_organisation=rng.choice(
                ["Testville Medical Centre", "Testville General A&E", "Testville Police", ""]
            ),
            reason=rng.choice(REASONS),
            urgency_requested=asked,
            recorded_by=recorded_by,
            recorded_at=received,
        )
        if stage != "awaiting_triage":
            referral.urgency = asked
            referral.triaged_by = rng.choice(workers)
            referral.triaged_at = received + timedelta(hours=rng.randint(1, 30))
            if stage == "closed":
                referral.decision = rng.choice([Decision.SIGNPOST, Decision.REJECT])
                referral.status = (
                    Status.SIGNPOSTED if referral.decision == Decision.SIGNPOST else Status.REJECTED
                )
                referral.signposted_to = (
                    "Talking therapies (synthetic)" if referral.decision == Decision.SIGNPOST else ""
                )
                referral.rejection_reason = (
                    rng.choice([RejectionReason.ALTERNATIVE_SERVICE, RejectionReason.INCOMPLETE])
                    if referral.decision == Decision.REJECT
                    else ""
                )
                referral.closed_at = referral.triaged_at
                referral.closure_reason = referral.get_status_display()
            else:
                referral.decision = Decision.ACCEPT
                referral.status = Status.WAITING
        if stage == "seen":
            referral.status = Status.IN_ASSESSMENT
            referral.first_contact_offered_at = received + timedelta(days=rng.randint(2, 10))
            referral.first_contact_attended_at = referral.first_contact_offered_at
            referral.second_contact_attended_at = referral.first_contact_attended_at + timedelta(
                days=rng.randint(5, 20)
            )
            referral.first_assessment_at = referral.second_contact_attended_at
        referrals.append(referral)
        stages.append(stage)
    created = insert(referrals)
    allocations = []
    for referral, stage in zip(created, stages, strict=True):
        if stage == "seen":
            allocations.append(
                Allocation(
                    person_id=referral.person_id,
                    team=team,
                    referral=referral,
                    worker=rng.choice(workers),
                    kind=AllocationKind.CARE_COORDINATOR,
                    weight=rng.choice([1, 1, 1, 2, 3]),
                    started_at=referral.first_assessment_at,
                    allocated_by=recorded_by,
                )
            )
        elif stage == "waiting" and rng.random() < 0.4:
            allocations.append(
                Allocation(
                    person_id=referral.person_id,
                    team=team,
                    referral=referral,
                    worker=rng.choice(workers),
                    kind=AllocationKind.ASSESSING,
                    started_at=referral.triaged_at,
                    allocated_by=recorded_by,
                )
            )
    insert(allocations)
    counts = {stage: stages.count(stage) for stage in ("awaiting_triage", "waiting", "seen", "closed")}
    counts["allocations"] = len(allocations)
    return counts
