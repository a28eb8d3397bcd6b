"""Synthetic risk formulations and care plan / CPA reviews for the people a run has just built.

Most people with a care coordinator get a risk formulation (a third with two or three revisions,
some past their review date); a few people in assessment get one too, so the rest show as "No
risk formulation" on the worklist. About two thirds of coordinated people have a held review
(some now overdue for the next one), and some have a review planned. Written with bulk_create:
a few thousand rows in well under a second. All text says "(synthetic)".
"""

from datetime import timedelta

from django.utils import timezone

from waypoint.demo.bulk import insert
from waypoint.episodes.models import Allocation, AllocationKind
from waypoint.patients.models import Carer
from waypoint.referrals.models import Referral, Status
from waypoint.reviews.models import Review, ReviewType, add_months
from waypoint.risk.models import RiskFormulation

BATCH = 1000

HISTORIES = [
    "Two overdoses in 2019 after a relationship ended; admitted once under section 2 (synthetic).",
    "Long history of self-harm by cutting since her teens; none in the last year (synthetic).",
    "One assault on a family member while unwell in 2021; no charges (synthetic).",
    "Lost his tenancy twice after stopping medication; rough sleeping for a month in 2022 (synthetic).",
]
TO_SELF = [
    "Thoughts of ending his life when drinking; no current plan (synthetic).",
    "Cuts when overwhelmed; says she wants to stop and uses the safety plan (synthetic).",
    "None identified",
    "Passive thoughts of not wanting to wake up since her mother died (synthetic).",
]
TO_OTHERS = ["None identified", "Irritable and shouts at neighbours when unwell (synthetic)."]
FROM_OTHERS = [
    "None identified",
    "Friends from the pub borrow money and do not pay it back (synthetic).",
    "Ex-partner has been violent; non-molestation order in place (synthetic).",
]
SELF_NEGLECT = ["None identified", "Stops eating and washing when low; flat becomes unsafe (synthetic)."]
TRIGGERS = [
    "Anniversaries, arguments with family, money worries (synthetic).",
    "Stopping medication; cannabis use; being alone at night (synthetic).",
]
PROTECTIVE = [
    "Close to his sister; his dog; wants to see his daughter grow up (synthetic).",
    "Her faith and her church; volunteering at the food bank (synthetic).",
    "Regular routine at the allotment; good relationship with his GP (synthetic).",
]
WHAT_HELPS = [
    "Walking the dog, music, a phone call from his sister (synthetic).",
    "Being listened to without being rushed; written plans she can keep (synthetic).",
]
PLANS = [
    "Weekly contact with care coordinator; safety plan reviewed monthly; crisis line numbers given (synthetic).",
    "Fortnightly visits; medication review with the psychiatrist; sister to call the team if worried (synthetic).",
]
CHANGES = [
    "Moved into her own flat; back at college part time (synthetic).",
    "Two short crises since the last review; medication changed (synthetic).",
    "No major change; more settled since starting the walking group (synthetic).",
]
OUTCOMES = [
    "Care plan updated; continue weekly visits; refer to employment support (synthetic).",
    "Stay on CPA; new crisis plan agreed and shared with his sister (synthetic).",
    "Step down to keyworker support next quarter if things stay settled (synthetic).",
]


def _formulation(rng, person_id, revision, written_by_id, written_at, review_date):
    return RiskFormulation(
        person_id=person_id,
        revision=revision,
        history=rng.choice(HISTORIES),
        concerns_to_self=rng.choice(TO_SELF),
        concerns_to_others=rng.choice(TO_OTHERS),
        concerns_from_others=rng.choice(FROM_OTHERS),
        concerns_self_neglect=rng.choice(SELF_NEGLECT),
        triggers=rng.choice(TRIGGERS),
        protective_factors=rng.choice(PROTECTIVE),
        what_helps=rng.choice(WHAT_HELPS),
        management_plan=rng.choice(PLANS),
        review_date=review_date,
        written_by_id=written_by_id,
        written_at=written_at,
    )


def build_risk_and_reviews(*, people, rng, now=None) -> dict:
    """Formulations and reviews for these people (just built, so none have any yet)."""
    now = now or timezone.now()
    today = timezone.localdate()
    person_ids = [person.pk for person in people]
    coordinators = {
        allocation.person_id: allocation
        for allocation in Allocation.objects.current(now).filter(
            person_id__in=person_ids, kind=AllocationKind.CARE_COORDINATOR
        )
    }
    in_assessment = dict(
        Referral.objects.filter(person_id__in=person_ids, status=Status.IN_ASSESSMENT).values_list(
            "person_id", "triaged_by_id"
        )
    )
    carers_by_person = {}
    for carer_id, person_id in Carer.objects.filter(person_id__in=list(coordinators)).values_list(
        "pk", "person_id"
    ):
        carers_by_person.setdefault(person_id, []).append(carer_id)

    formulations = []
    for person_id in person_ids:
        allocation = coordinators.get(person_id)
        if allocation is not None:
            if rng.random() < 0.12:
                continue  # coordinated but no formulation yet: on the worklist
            author_id = allocation.worker_id
        elif in_assessment.get(person_id) and rng.random() < 0.3:
            author_id = in_assessment[person_id]
        else:
            continue
        revisions = rng.choices([1, 2, 3], weights=[60, 28, 12])[0]
        written = now - timedelta(days=rng.randint(40, 400))
        for number in range(1, revisions + 1):
            last = number == revisions
            if last:
                # about one in five current formulations is past its review date
                review = today + timedelta(
                    days=rng.randint(-60, -1) if rng.random() < 0.2 else rng.randint(5, 180)
                )
            else:
                review = (written + timedelta(days=90)).date()
            formulations.append(_formulation(rng, person_id, number, author_id, written, review))
            written = min(written + timedelta(days=rng.randint(30, 120)), now - timedelta(days=1))
    insert(formulations)

    reviews, carers_through, staff_through = [], [], []
    for person_id, allocation in coordinators.items():
        roll = rng.random()
        review_type = ReviewType.CPA if rng.random() < 0.6 else ReviewType.CARE_PLAN
        if roll < 0.65:
            held = today - timedelta(days=rng.randint(20, 480))  # over 365 days ago: next review overdue
            reviews.append(
                Review(
                    person_id=person_id,
                    team_id=allocation.team_id,
                    review_type=review_type,
                    scheduled_for=held,
                    scheduled_by_id=allocation.worker_id,
                    scheduled_at=now - timedelta(days=(today - held).days + 14),
                    held_on=held,
                    person_attended=rng.random() < 0.8,
                    other_attendees=rng.choice(["", "Advocate (synthetic)", "Housing officer (synthetic)"]),
                    what_changed=rng.choice(CHANGES),
                    outcome_summary=rng.choice(OUTCOMES),
                    next_review_due=add_months(held, 12),
                    recorded_by_id=allocation.worker_id,
                    recorded_at=now - timedelta(days=(today - held).days),
                )
            )
        if 0.45 < roll < 0.85:
            reviews.append(
                Review(
                    person_id=person_id,
                    team_id=allocation.team_id,
                    review_type=review_type,
                    scheduled_for=today + timedelta(days=rng.randint(-20, 90)),
                    scheduled_by_id=allocation.worker_id,
                    scheduled_at=now - timedelta(days=rng.randint(1, 30)),
                )
            )
    created = insert(reviews)
    for review in created:
        if review.held_on is None:
            continue
        staff_through.append(Review.staff.through(review_id=review.pk, user_id=review.recorded_by_id))
        carer_ids = carers_by_person.get(review.person_id, [])
        if carer_ids and rng.random() < 0.5:
            carers_through.append(Review.carers.through(review_id=review.pk, carer_id=carer_ids[0]))
    insert(staff_through)
    insert(carers_through)
    return {
        "risk_formulations": len(formulations),
        "reviews_held": len(staff_through),
        "reviews_planned": len(created) - len(staff_through),
    }
