"""Synthetic plans for the demo Trust: care, crisis, safety, relapse prevention and wellness plans.

For people with a current care coordinator (from the pathway): most have an agreed care plan
(some on their second revision, some with a new draft open, some with a review date that has
passed), a crisis plan and a safety plan (some agreed more than 12 months ago); a few have only
a draft care plan; some have relapse prevention or wellness plans. Agreed revisions have
sharing log entries. Written with bulk_create (no audit rows for synthetic history).
"""

import random
from datetime import timedelta

from django.utils import timezone

from waypoint.demo.bulk import insert
from waypoint.episodes.models import Allocation, AllocationKind
from waypoint.patients.models import Carer, CarerConsent
from waypoint.plans.models import (
    Plan,
    PlanKind,
    PlanRevision,
    PlanShare,
    Recipient,
    RevisionStatus,
    ShareMethod,
    TeamContactNumbers,
)

BATCH = 1000

NEEDS = [
    (
        "Low mood and not sleeping (synthetic)",
        "I want to sleep through the night and feel like getting up",
        [("Talking about sleep and routine at each visit", "Care coordinator", "Every two weeks")],
    ),
    (
        "Lonely since moving flat (synthetic)",
        "I'd like to have someone to talk to most days",
        [("Walking group on Tuesdays, going together at first", "Support worker", "Weekly for 6 weeks")],
    ),
    (
        "Money and benefits worries (synthetic)",
        "I want to stop dreading opening the post",
        [("Benefits check and help with forms", "Welfare rights adviser", "Once, then as needed")],
    ),
    (
        "Hearing voices that are upsetting (synthetic)",
        "I want the voices to bother me less so I can go to the shops",
        [
            ("Medication review", "Psychiatrist", "Every 3 months"),
            ("Coping strategies group", "Psychologist", "Weekly for 8 weeks"),
        ],
    ),
    (
        "Physical health: weight gain on medication (synthetic)",
        "I want to feel fitter and keep my weight steady",
        [
            (
                "Annual physical health check and healthy eating support",
                "GP and care coordinator",
                "Yearly, and monthly check-ins",
            )
        ],
    ),
]
CRISIS = {
    "contingency": "If the care coordinator is away, the duty worker will phone on the day of the planned visit (synthetic).",
    "out_of_hours": "Out of hours the crisis team responds, not the CMHT. They know to phone my sister first (synthetic).",
    "responds_best_to": "My sister, and the care coordinator (synthetic).",
    "what_has_helped": "Quiet space, someone sitting with me, my music (synthetic).",
    "what_has_not_helped": "Lots of people talking at once; being told to calm down (synthetic).",
    "treatment_preferences": "Would rather have home treatment than go to hospital; no injections unless agreed (synthetic).",
    "relapse_indicators": "Stops eating, stays up all night, stops answering the phone (synthetic).",
    "crisis_actions": "Sister phones the team or the crisis team; care coordinator visits within a day (synthetic).",
    "crisis_numbers": "Sister: 07700 900123 (synthetic).",
}
SAFETY = {
    "warning_signs": "Not sleeping, pacing, pushing people away (synthetic).",
    "things_i_can_do": "Listen to music, have a shower, go for a walk round the park (synthetic).",
    "distractions": "The library, my neighbour's allotment, the café on the corner (synthetic).",
    "people_to_ask": "My sister; my friend from the walking group (synthetic).",
    "professionals": "Care coordinator in working hours; crisis team out of hours; NHS 111 option 2; Samaritans 116 123.",
    "safer_environment": "Sister keeps my tablets and gives me a week at a time (synthetic).",
    "reasons_for_living": "My dog, my niece, getting back to the allotment in spring (synthetic).",
}
RELAPSE = {
    "early_warning_signs": "Sleeping badly, feeling that people are watching me (synthetic).",
    "triggers": "Arguments at home, stopping medication, anniversaries (synthetic).",
    "agreed_actions": "Tell my care coordinator; extra visit that week; medication review if it lasts (synthetic).",
}
WELLNESS = {
    "when_well": "Chatty, out most days, cooking for friends (synthetic).",
    "daily_maintenance": "Walk the dog, take my tablets with breakfast, phone my sister (synthetic).",
    "triggers": "Money worries, noise from upstairs (synthetic).",
    "early_warning_signs": "Not answering the phone, not cooking (synthetic).",
    "breaking_down": "Not leaving the flat, not eating (synthetic).",
    "crisis": "Sister calls the team, or the crisis team out of hours (synthetic).",
    "after_crisis": "Take things slowly; see my care coordinator weekly for a month (synthetic).",
}
CONTENT = {
    PlanKind.CRISIS: CRISIS,
    PlanKind.SAFETY: SAFETY,
    PlanKind.RELAPSE_PREVENTION: RELAPSE,
    PlanKind.WELLNESS: WELLNESS,
}
# kind -> share of people with a care coordinator who have one
RATES = {
    PlanKind.CRISIS: 0.8,
    PlanKind.SAFETY: 0.75,
    PlanKind.RELAPSE_PREVENTION: 0.25,
    PlanKind.WELLNESS: 0.2,
}
TEAM_NUMBERS = ["01632 960100", "01632 960200", "01632 960300", "01632 960400"]


def _care_content(rng):
    chosen = rng.sample(NEEDS, k=rng.randint(1, 3))
    return {
        "needs": [
            {
                "need": need,
                "goal": goal,
                "interventions": [
                    {"what": w, "who": who, "how_often": often} for w, who, often in interventions
                ],
            }
            for need, goal, interventions in chosen
        ]
    }


def _agreed_on(rng, today, days_known, at_most):
    """A date since the allocation started, at most `at_most` days ago."""
    return today - timedelta(days=rng.randint(0, min(days_known, at_most)))


def build_plans(*, teams, people, rng: random.Random, now=None) -> dict:
    now = now or timezone.now()
    today = timezone.localdate()
    for index, team in enumerate(teams.values()):
        TeamContactNumbers.objects.get_or_create(
            team=team,
            defaults={
                "working_hours_phone": TEAM_NUMBERS[index % len(TEAM_NUMBERS)],
                "crisis_team_name": "Testville Crisis Team (synthetic)",
                "crisis_team_phone": "01632 960999",
            },
        )
    if not people:
        return {"plans": 0, "revisions": 0, "shares": 0}
    first_id = min(person.pk for person in people)
    allocations = {}
    for allocation in (
        Allocation.objects.current()
        .filter(kind=AllocationKind.CARE_COORDINATOR, person_id__gte=first_id)
        .exclude(person__plans__isnull=False)
        .select_related("worker", "team")
        .order_by("person_id", "started_at")
    ):
        allocations.setdefault(allocation.person_id, allocation)
    consenting = {
        carer.person_id: carer
        for carer in Carer.objects.filter(
            person_id__in=list(allocations), consent_to_share=CarerConsent.EVERYTHING
        )
    }

    plans, specs = [], []  # specs: per plan, a list of revision dicts
    for person_id, allocation in allocations.items():
        worker = allocation.worker
        since = timezone.localtime(allocation.started_at).date()
        days_known = max((today - since).days, 1)

        # The care plan: agreed for most, a draft only for about 1 in 10.
        roll = rng.random()
        care = []
        if roll < 0.1:
            care.append({"status": RevisionStatus.DRAFT, "content": _care_content(rng), "review_on": None})
        else:
            first_on = _agreed_on(rng, today, days_known, at_most=420)
            review_days = rng.choice([180, 365, 365])
            if roll < 0.4 and (today - first_on).days > 60:
                second_on = first_on + timedelta(days=rng.randint(30, (today - first_on).days))
                care.append(
                    {
                        "status": RevisionStatus.SUPERSEDED,
                        "content": _care_content(rng),
                        "agreed_on": first_on,
                        "review_on": first_on + timedelta(days=review_days),
                    }
                )
                care.append(
                    {
                        "status": RevisionStatus.AGREED,
                        "content": _care_content(rng),
                        "agreed_on": second_on,
                        "review_on": second_on + timedelta(days=review_days),
                    }
                )
            else:
                care.append(
                    {
                        "status": RevisionStatus.AGREED,
                        "content": _care_content(rng),
                        "agreed_on": first_on,
                        "review_on": first_on + timedelta(days=review_days),
                    }
                )
            if rng.random() < 0.08:
                latest = care[-1]
                care.append(
                    {
                        "status": RevisionStatus.DRAFT,
                        "content": latest["content"],
                        "review_on": latest["review_on"],
                    }
                )
        plans.append(
            Plan(
                person_id=person_id,
                team=allocation.team,
                kind=PlanKind.CARE,
                created_by=worker,
                created_at=now,
            )
        )
        specs.append((worker, person_id, care))

        for kind, rate in RATES.items():
            if rng.random() >= rate:
                continue
            status = RevisionStatus.DRAFT if rng.random() < 0.1 else RevisionStatus.AGREED
            revision = {"status": status, "content": dict(CONTENT[kind]), "review_on": None}
            if status == RevisionStatus.AGREED:
                revision["agreed_on"] = _agreed_on(rng, today, days_known, at_most=500)
            plans.append(
                Plan(person_id=person_id, team=allocation.team, kind=kind, created_by=worker, created_at=now)
            )
            specs.append((worker, person_id, [revision]))

    insert(plans)
    revisions = []
    for plan, (worker, _, items) in zip(plans, specs, strict=True):
        for number, item in enumerate(items, start=1):
            agreed = item.get("agreed_on")
            revisions.append(
                PlanRevision(
                    plan=plan,
                    number=number,
                    status=item["status"],
                    content=item["content"],
                    review_on=item["review_on"],
                    version=2,
                    created_by=worker,
                    updated_by=worker,
                    agreed_on=agreed,
                    agreed_with_person=(rng.random() < 0.92) if agreed else None,
                    not_agreed_reason="",
                    agreement_recorded_by=worker if agreed else None,
                    agreement_recorded_at=now if agreed else None,
                    superseded_at=now if item["status"] == RevisionStatus.SUPERSEDED else None,
                )
            )
    for revision in revisions:
        if revision.agreed_with_person is False:
            revision.not_agreed_reason = "Wanted more time to think about the medication part (synthetic)."
    insert(revisions)

    shares = []
    person_of = {plan.pk: plan.person_id for plan in plans}
    for revision in revisions:
        if revision.agreed_on is None:
            continue
        shared_on = revision.agreed_on
        worker = revision.created_by
        shares.append(
            PlanShare(
                revision=revision,
                recipient=Recipient.PERSON,
                recipient_name="The person (synthetic)",
                method=ShareMethod.IN_PERSON,
                shared_on=shared_on,
                shared_by=worker,
            )
        )
        if revision.plan.kind == PlanKind.CARE:
            shares.append(
                PlanShare(
                    revision=revision,
                    recipient=Recipient.GP,
                    recipient_name="Their GP practice (synthetic)",
                    method=ShareMethod.SECURE_EMAIL,
                    shared_on=shared_on + timedelta(days=1),
                    shared_by=worker,
                )
            )
        carer = consenting.get(person_of[revision.plan.pk])
        if carer is not None and rng.random() < 0.5:
            shares.append(
                PlanShare(
                    revision=revision,
                    recipient=Recipient.CARER,
                    carer=carer,
                    recipient_name=carer.name,
                    method=rng.choice([ShareMethod.POST, ShareMethod.EMAIL, ShareMethod.IN_PERSON]),
                    shared_on=shared_on + timedelta(days=2),
                    shared_by=worker,
                    carer_consent_at_the_time=carer.consent_to_share,
                )
            )
    insert(shares)
    return {"plans": len(plans), "revisions": len(revisions), "shares": len(shares)}
