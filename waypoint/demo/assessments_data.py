"""Synthetic assessments for the demo Trust.

Called by `build_demo_trust` after the pathway: people who have been seen get a completed initial
assessment (linked to their referral, completed when the referral's first assessment was) and
most a completed holistic needs assessment; some have a holistic needs assessment in draft.
Carers whose details say a carer's assessment was offered, declined or completed get a matching
record (offered: a draft; declined: a completed record of the refusal; completed: a full
assessment, some with their review overdue). A couple of people have a mental capacity
assessment. Uses bulk_create: no audit rows are written for synthetic history. All text says
"(synthetic)".
"""

import random
from datetime import datetime, time, timedelta

from django.utils import timezone

from waypoint.assessments.models import Assessment, AssessmentRevision, Kind, Status
from waypoint.assessments.schema import CARER_OUTCOMES, HOLISTIC_DOMAINS
from waypoint.demo.bulk import insert
from waypoint.patients.models import Carer, CarerAssessmentStatus
from waypoint.referrals.models import Referral
from waypoint.referrals.models import Status as ReferralStatus

BATCH = 1000

SAYS = {
    "mental_health": [
        "Low most days, better in the mornings (synthetic).",
        "Voices are quieter on medication (synthetic).",
    ],
    "physical_health": ["Gained weight this year; gets breathless (synthetic).", "No problems (synthetic)."],
    "medication": ["Forgets the evening dose (synthetic).", "Takes it every day with support (synthetic)."],
    "substance_use": ["Drinks at weekends to sleep (synthetic).", "None (synthetic)."],
    "accommodation": ["Worried about rent arrears (synthetic).", "Happy in the flat (synthetic)."],
    "finances": ["Universal Credit review coming up (synthetic).", "Managing (synthetic)."],
    "employment": ["Would like voluntary work (synthetic).", "Not looking for work now (synthetic)."],
    "relationships": ["Sees their sister weekly (synthetic).", "Lonely since moving (synthetic)."],
    "daily_living": ["Struggles with shopping and cooking (synthetic).", "Manages day to day (synthetic)."],
    "identity": ["Faith is important; goes to services (synthetic).", "Nothing to add (synthetic)."],
    "dependants": [
        "No children or dependants (synthetic).",
        "Children live with their other parent (synthetic).",
    ],
    "carers": ["Their main carer helps a lot and is tired (synthetic).", "No one provides care (synthetic)."],
}


def _holistic_answers(rng):
    answers = {}
    for key, label in HOLISTIC_DOMAINS:
        need = rng.random() < 0.35
        answers[f"{key}_says"] = rng.choice(SAYS[key])
        answers[f"{key}_need"] = "yes" if need else "no"
        answers[f"{key}_notes"] = (
            f"Agreed to include {label.lower()} in the care plan (synthetic)." if need else ""
        )
    return answers


def _initial_answers(rng):
    return {
        "presenting_needs": "Low mood, poor sleep and not leaving the house for two months (synthetic).",
        "history": "First contact with mental health services; GP started an antidepressant (synthetic).",
        "mental_state": "Kempt, quiet, good rapport; mood low, no psychotic features (synthetic).",
        "carers_identified": rng.choice(["yes", "no"]),
        "carers_notes": "Lives with a relative who helps (synthetic).",
        "outcome": "Accepted for care coordination (synthetic).",
        "plan": "Allocate a care coordinator; holistic needs assessment within two weeks (synthetic).",
    }


def _carer_answers(state, offered_on, rng):
    answers = {"offered_on": offered_on.isoformat(), "response": "waiting", "declined_on": ""}
    if state == CarerAssessmentStatus.DECLINED:
        answers.update(response="declined", declined_on=(offered_on + timedelta(days=3)).isoformat())
    elif state == CarerAssessmentStatus.COMPLETED:
        answers.update(
            response="accepted",
            ability="Able to help daily; would struggle if their own health worsened (synthetic).",
            willingness="Willing to carry on with a break each week (synthetic).",
            wellbeing_impact="Tired and anxious; has stopped seeing friends (synthetic).",
            outcomes_not_achieved=rng.sample([key for key, _ in CARER_OUTCOMES], k=rng.randint(1, 3)),
            outcomes_notes="",
            desired_outcomes="Time for themselves one evening a week (synthetic).",
            eligibility=rng.choice(["eligible", "not_eligible"]),
            eligibility_reasons="Unable to achieve two or more outcomes, with a significant impact on wellbeing (synthetic).",
            support_plan="Carers' centre, sitting service, carers' group (synthetic).",
            copy_given_on=(offered_on + timedelta(days=21)).isoformat(),
        )
    return answers


CAPACITY_EXAMPLES = [
    {
        "decision": "Whether to move to supported accommodation (synthetic)",
        "support_steps": "Visited the service together; easy-read leaflet; sister present (synthetic).",
        "impairment": "yes",
        "impairment_evidence": "Diagnosed psychotic illness, currently unwell (synthetic).",
        "understand": "able",
        "understand_evidence": "Explained the move back in own words (synthetic).",
        "retain": "able",
        "retain_evidence": "Remembered it the next day (synthetic).",
        "weigh": "able",
        "weigh_evidence": "Compared both options and their downsides (synthetic).",
        "communicate": "able",
        "communicate_evidence": "Said clearly they want to move (synthetic).",
        "because_of_impairment": "not_applicable",
    },
    {
        "decision": "Whether to manage their own money for now (synthetic)",
        "support_steps": "Two meetings at home, at the time of day they prefer; simple written summary (synthetic).",
        "impairment": "yes",
        "impairment_evidence": "Severe depression with marked slowing (synthetic).",
        "understand": "able",
        "understand_evidence": "Understood the bills and income (synthetic).",
        "retain": "unable",
        "retain_evidence": "Could not recall the information after a few minutes, on both visits (synthetic).",
        "weigh": "unable",
        "weigh_evidence": "Could not hold the options in mind to weigh them (synthetic).",
        "communicate": "able",
        "communicate_evidence": "Communicated well (synthetic).",
        "because_of_impairment": "yes",
    },
]


def build_assessments(*, people, workers, rng=None, now=None) -> dict:
    """Assessments for `people` (just created). Returns counts."""
    if not people:
        return {}
    now = now or timezone.now()
    rng = rng or random.Random(people[0].pk)
    ids = {person.pk for person in people}
    low, high = min(ids), max(ids)
    seen = [
        referral
        for referral in Referral.objects.filter(
            person_id__gte=low, person_id__lte=high, status=ReferralStatus.IN_ASSESSMENT
        ).order_by("pk")
        if referral.person_id in ids and referral.first_assessment_at
    ]
    rows = []

    def add(person_id, kind, answers, *, at, by, completed=True, **columns):
        rows.append(
            Assessment(
                person_id=person_id,
                kind=kind,
                status=Status.COMPLETED if completed else Status.DRAFT,
                answers=answers,
                created_by=by,
                created_at=at,
                updated_by=by,
                updated_at=at,
                completed_by=by if completed else None,
                completed_at=at if completed else None,
                **columns,
            )
        )

    for referral in seen:
        worker = rng.choice(workers)
        first = referral.first_assessment_at
        add(
            referral.person_id,
            Kind.INITIAL,
            _initial_answers(rng),
            at=first,
            by=worker,
            referral_id=referral.pk,
            assessed_on=timezone.localdate(referral.first_contact_attended_at or first),
        )
        if rng.random() < 0.8:
            add(
                referral.person_id,
                Kind.HOLISTIC,
                _holistic_answers(rng),
                at=first,
                by=worker,
                referral_id=referral.pk,
                assessed_on=timezone.localdate(first),
            )
        if rng.random() < 0.1:
            add(
                referral.person_id,
                Kind.HOLISTIC,
                _holistic_answers(rng),
                at=now - timedelta(days=rng.randint(1, 10)),
                by=worker,
                completed=False,
                assessed_on=timezone.localdate(now) - timedelta(days=rng.randint(1, 10)),
            )
    capacity_people = [seen[0], seen[len(seen) // 2]] if len(seen) >= 2 else seen
    for referral, answers in zip(capacity_people, CAPACITY_EXAMPLES, strict=False):
        add(
            referral.person_id,
            Kind.CAPACITY,
            answers,
            at=now - timedelta(days=20),
            by=rng.choice(workers),
            assessed_on=timezone.localdate(now) - timedelta(days=20),
        )

    carers = Carer.objects.filter(person_id__gte=low, person_id__lte=high, is_carer=True).exclude(
        carer_assessment=CarerAssessmentStatus.NOT_OFFERED
    )
    for carer in carers.order_by("pk"):
        if carer.person_id not in ids:
            continue
        state = carer.carer_assessment
        offered_on = timezone.localdate(now) - timedelta(days=rng.randint(30, 500))
        completed = state != CarerAssessmentStatus.OFFERED
        at = timezone.make_aware(datetime.combine(offered_on + timedelta(days=14), time(11, 0)))
        columns = {"carer_id": carer.pk}
        if state == CarerAssessmentStatus.COMPLETED:
            columns["assessed_on"] = offered_on + timedelta(days=14)
            columns["review_on"] = offered_on + timedelta(days=14 + 365)  # some are overdue
        add(
            carer.person_id,
            Kind.CARER,
            _carer_answers(state, offered_on, rng),
            at=at,
            by=rng.choice(workers),
            completed=completed,
            **columns,
        )

    created = insert(rows)
    insert(
        [
            AssessmentRevision(
                assessment=row,
                number=1,
                status=row.status,
                assessed_on=row.assessed_on,
                review_on=row.review_on,
                referral_id_at_save=row.referral_id,
                answers=row.answers,
                saved_by=row.updated_by,
                saved_at=row.updated_at,
            )
            for row in created
        ],
        batch_size=BATCH,
    )
    return {kind: sum(1 for row in created if row.kind == kind) for kind in Kind.values}
