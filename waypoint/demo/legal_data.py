"""Synthetic legal status for the demo: people on CTOs (one renewal due, one with rights to explain
again), one on section 3 in hospital with a CMHT care coordinator, section 117 aftercare, an open
request for a Mental Health Act assessment on the AMHP board, and DoLS authorisations near expiry
allocated to the demo BIA. Running the command again adds no more."""

from datetime import timedelta

from django.utils import timezone

from waypoint.episodes.models import Allocation, AllocationKind
from waypoint.legal import rules, seeds
from waypoint.legal.models import (
    AdvanceDecision,
    AdvanceKind,
    Aftercare,
    AmhpShift,
    AssessmentRequest,
    AttorneyKind,
    BestInterestsDecision,
    CapacityAssessment,
    LibertyAuthorisation,
    LibertyKind,
    MhaPeriod,
    PowerOfAttorney,
    RelativeEvent,
    RelativeEventKind,
    RelativeRole,
    RightsExplanation,
    RuleSet,
    SectionRule,
    TermRule,
    Urgency,
)

RC = "Dr Jordan Example, consultant psychiatrist (synthetic)"


def build_legal(*, coordinator, amhp, bia, now=None):
    if MhaPeriod.objects.exists():
        return 0
    seeds.load(RuleSet, SectionRule, TermRule)
    now = now or timezone.now()
    today = timezone.localdate(now)
    people = list(
        Allocation.objects.current(now)
        .filter(worker=coordinator, kind=AllocationKind.CARE_COORDINATOR)
        .values_list("person_id", flat=True)
        .order_by("person_id")[:6]
    )
    if len(people) < 6:
        return 0
    cto_due, cto_rights, on_s3, waiting, dols, informal = people

    def period(person_id, code, starts_on, **extra):
        rule = rules.section_rule(code, starts_on)
        expires_on, _ = rules.first_expiry(rule, starts_on)
        return MhaPeriod(
            person_id=person_id,
            rule=rule,
            starts_on=starts_on,
            expires_on=expires_on,
            responsible_clinician=RC,
            created_by=coordinator,
            created_at=now,
            **extra,
        )

    conditions = "Live at the address given; see the community team every two weeks (synthetic)"
    earlier_s3 = period(
        cto_due, "3", today - timedelta(days=400), hospital="Example Ward, Example Hospital (synthetic)"
    )
    earlier_s3.ended_on = today - timedelta(days=170)
    earlier_s3.end_reason = "cto_made"
    periods = MhaPeriod.objects.bulk_create(
        [
            earlier_s3,
            period(cto_due, "17A", today - timedelta(days=170), conditions=conditions),
            period(cto_rights, "17A", today - timedelta(days=60), conditions=conditions),
            period(
                on_s3, "3", today - timedelta(days=40), hospital="Example Ward, Example Hospital (synthetic)"
            ),
        ]
    )
    _, cto_a, cto_b, s3 = periods
    RightsExplanation.objects.bulk_create(
        [
            RightsExplanation(
                person_id=cto_due,
                period=cto_a,
                given_on=cto_a.starts_on,
                given_by=coordinator,
                method="spoken_and_written",
                understood="yes",
                copy_to_relative=True,
                copy_to_relative_on=cto_a.starts_on,
                next_on=cto_a.starts_on + timedelta(days=180),
            ),
            RightsExplanation(
                person_id=cto_rights,
                period=cto_b,
                given_on=today - timedelta(days=8),
                given_by=coordinator,
                method="spoken",
                understood="partly",
                next_on=today - timedelta(days=1),
                notes="Distressed; agreed to go through it again next week (synthetic)",
            ),
            RightsExplanation(
                person_id=on_s3,
                period=s3,
                given_on=s3.starts_on,
                given_by=coordinator,
                method="spoken_and_written",
                understood="yes",
                next_on=s3.starts_on + timedelta(days=90),
            ),
        ]
    )
    Aftercare.objects.create(
        person_id=cto_due,
        from_period=earlier_s3,
        from_section="3",
        eligible_from=earlier_s3.ended_on,
        icb="NHS Example Integrated Care Board (synthetic)",
        local_authority="Example City Council (synthetic)",
        services="Care coordination, depot clinic, supported accommodation (synthetic)",
        review_on=today + timedelta(days=30),
        created_by=coordinator,
    )
    AmhpShift.objects.get_or_create(
        day=today, amhp=amhp, defaults={"local_authority": "Example City Council"}
    )
    AssessmentRequest.objects.create(
        person_id=waiting,
        requested_by="Dr Morgan Example (synthetic)",
        requester_role="GP",
        urgency=Urgency.URGENT,
        reason="Not eating, not sleeping, believes neighbours are poisoning the water; refusing the crisis team (synthetic)",
        received_at=now - timedelta(hours=2),
        logged_by=coordinator,
    )
    LibertyAuthorisation.objects.bulk_create(
        [
            LibertyAuthorisation(
                person_id=dols,
                kind=LibertyKind.STANDARD,
                managing_authority="Elm House Care Home (synthetic)",
                requested_on=today - timedelta(days=360),
                starts_on=today - timedelta(days=355),
                expires_on=today + timedelta(days=10),
                representative="Jamie Example, son (synthetic)",
                conditions="Supported walks outside every day (synthetic)",
                bia=bia,
                created_by=coordinator,
            ),
            LibertyAuthorisation(
                person_id=informal,
                kind=LibertyKind.URGENT,
                managing_authority="Oak Lodge Nursing Home (synthetic)",
                starts_on=today - timedelta(days=4),
                expires_on=today + timedelta(days=2),
                bia=bia,
                created_by=coordinator,
            ),
        ]
    )
    _build_mca_and_relatives(coordinator, today, on_s3=on_s3, cto_rights=cto_rights, dols=dols)
    return len(periods)


def _build_mca_and_relatives(coordinator, today, *, on_s3, cto_rights, dols):
    """Issue 12, second part: a nearest relative, an advance statement, and for the person under
    DoLS a capacity assessment, the best interests decision and a health and welfare LPA."""
    RelativeEvent.objects.bulk_create(
        [
            RelativeEvent(
                person_id=person_id,
                role=RelativeRole.NEAREST_RELATIVE,
                term="nearest relative",
                kind=RelativeEventKind.IDENTIFIED,
                on=today - timedelta(days=days),
                name=name,
                relationship=relationship,
                recorded_by=coordinator,
            )
            for person_id, days, name, relationship in (
                (on_s3, 40, "Robin Example (synthetic)", "Sister"),
                (cto_rights, 200, "Alex Example (synthetic)", "Husband"),
            )
        ]
    )
    AdvanceDecision.objects.create(
        person_id=on_s3,
        kind=AdvanceKind.STATEMENT,
        made_on=today - timedelta(days=400),
        wishes="If I become unwell, call my sister first; I would rather not have olanzapine (synthetic)",
        held_where="Scanned in the record; the person and their sister have copies",
        review_on=today + timedelta(days=60),
        created_by=coordinator,
    )
    decision = "Whether to live at Elm House Care Home (synthetic)"
    assessment = CapacityAssessment.objects.create(
        person_id=dols,
        decision=decision,
        assessed_on=today - timedelta(days=360),
        assessor=coordinator,
        support_given="Visited twice, at home, with photographs of the options and the son present",
        impairment=True,
        impairment_detail="Dementia (synthetic)",
        understands=False,
        retains=False,
        uses_or_weighs=False,
        communicates=True,
        because_of_impairment=True,
        reasons="Could not recall the falls or the options a few minutes later (synthetic)",
        lacks_capacity=True,
    )
    BestInterestsDecision.objects.create(
        person_id=dols,
        capacity_assessment=assessment,
        decision=decision,
        decided_on=today - timedelta(days=358),
        decision_maker="Care coordinator (synthetic)",
        wishes="Wants to be near the park and to keep seeing the church group (synthetic)",
        consulted="Son, Jamie (agrees); GP (agrees); home care agency (synthetic)",
        less_restrictive="Four home care visits a day and a falls alarm: three falls in a month",
        outcome="Move to Elm House, near the park, with visits to the church group",
        reasons="The least restrictive option that keeps the person safe and near what matters to them",
        created_by=coordinator,
    )
    PowerOfAttorney.objects.create(
        person_id=dols,
        kind=AttorneyKind.LPA_HEALTH,
        attorney="Jamie Example, son (synthetic)",
        acting="Alone",
        registered_on=today - timedelta(days=900),
        copy_seen=True,
        created_by=coordinator,
    )
