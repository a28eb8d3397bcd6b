"""Synthetic medicines, allergies, a depot clinic and physical health checks.

North CMHT's depot clinic: people on the demo care coordinator's caseload (and the team's books)
with long-acting injections, some due today, some this week, two late (one more than a week, so
the care coordinator's worklist shows it), one refused at the last visit; one on olanzapine
embonate (3-hour observation). Medicines and allergies (one "No known allergies"), physical health
checks with red-zone flags, some with an action and some without, and a few people overdue.
All synthetic; reference codes are made up (see waypoint/medicines/data/README.md).
"""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from waypoint.episodes.models import Allocation, AllocationKind
from waypoint.medicines.importer import DEMO_FILE, import_medicines
from waypoint.medicines.models import (
    Allergy,
    AllergyKind,
    DepotAdministration,
    DepotPrescription,
    FlagAction,
    HealthFlag,
    Measurement,
    Medicine,
    MedicineReference,
    Outcome,
    PhysicalHealthCheck,
    Source,
)

# drug (reference name), dose, interval, days since the last dose given (None: first dose not yet given),
# last visit outcome after that ("refused"/"missed"/None)
DEPOTS = [
    ("Paliperidone palmitate", "100", 28, 28, None),  # due today
    ("Aripiprazole (long-acting)", "400", 28, 26, None),  # due in two days
    ("Flupentixol decanoate", "40", 14, 14, None),  # due today
    ("Zuclopenthixol decanoate", "200", 14, 19, "refused"),  # late, refused at the last visit
    ("Haloperidol decanoate", "50", 28, 40, "missed"),  # more than 7 days late
    ("Olanzapine embonate (olanzapine pamoate)", "210", 14, 11, None),  # due in three days
]
SITES = [("deltoid", "left"), ("deltoid", "right"), ("dorsogluteal", "left")]


def _entry(check, element, value=None, value_2=None, text="", days_before=0, source=Source.HERE):
    return Measurement(
        check_record=check,
        person_id=check.person_id,
        element=element,
        value=Decimal(value) if value is not None else None,
        value_2=Decimal(value_2) if value_2 is not None else None,
        text=text,
        measured_on=check.checked_on - timedelta(days=days_before),
        source=source,
    )


def build_medicines(*, teams, staff, rng):
    """Runs once (a second run adds nothing)."""
    if DepotPrescription.objects.exists():
        return 0
    import_medicines(DEMO_FILE, synthetic=True)
    refs = {ref.name: ref for ref in MedicineReference.objects.all()}
    team = teams["North CMHT"]
    nurse = staff["coordinator"]  # the demo coordinator is a nurse: she runs the depot clinic
    now = timezone.now()
    today = timezone.localdate()
    people = list(
        Allocation.objects.current(now)
        .filter(worker=nurse, team=team, kind=AllocationKind.CARE_COORDINATOR)
        .values_list("person_id", flat=True)
        .order_by("person_id")[:14]
    )
    if not people:
        return 0
    depots, given, medicines, allergies = [], [], [], []
    for person_id, (drug, dose, interval, since, _last_visit) in zip(people, DEPOTS, strict=False):
        ref = refs[drug]
        depots.append(
            DepotPrescription(
                person_id=person_id,
                team=team,
                reference=ref,
                drug=drug,
                dose=Decimal(dose),
                dose_unit="mg",
                interval_days=interval,
                tolerance_days=3,
                route="Intramuscular",
                started_on=today - timedelta(days=since + interval * 3),
                prescriber="Dr Ash Synthetic (consultant psychiatrist)",
                post_injection_observation_minutes=ref.post_injection_observation_minutes,
                recorded_by=nurse,
                nurse=nurse,  # in her My diary (issue 11)
            )
        )
    DepotPrescription.objects.bulk_create(depots)
    for depot, (_, _dose, interval, since, last_visit) in zip(depots, DEPOTS, strict=False):
        for turn in range(3):  # the last three doses, rotating sites
            at = now - timedelta(days=since + interval * (2 - turn), hours=2)
            site, side = SITES[turn]
            given.append(
                DepotAdministration(
                    prescription=depot,
                    person_id=depot.person_id,
                    outcome=Outcome.GIVEN,
                    at=at,
                    dose=depot.dose,
                    dose_unit="mg",
                    site=site,
                    side=side,
                    batch_number=f"SYN{rng.randint(10000, 99999)}",
                    batch_expiry=today + timedelta(days=180),
                    consent=True,
                    side_effects="Asked about stiffness, restlessness and sleep: none reported (synthetic).",
                    observation_ends_at=at + timedelta(minutes=depot.post_injection_observation_minutes)
                    if depot.post_injection_observation_minutes
                    else None,
                    given_by=nurse,
                    recorded_at=at,
                )
            )
        if last_visit:
            given.append(
                DepotAdministration(
                    prescription=depot,
                    person_id=depot.person_id,
                    outcome=last_visit,
                    at=now - timedelta(days=2),
                    follow_up="Phoned the person and their carer; visit rebooked for this week (synthetic).",
                    given_by=nurse,
                )
            )
        medicines.append(
            Medicine(
                person_id=depot.person_id,
                reference=depot.reference,
                name=depot.drug,
                form="Injection",
                dose=depot.dose,
                dose_unit="mg",
                route="Intramuscular",
                frequency=f"Every {depot.interval_days} days (depot clinic)",
                started_on=depot.started_on,
                prescriber=depot.prescriber,
                prescribed_by="trust",
                is_antipsychotic=True,
                recorded_by=nurse,
            )
        )
    DepotAdministration.objects.bulk_create(given)
    oral = [
        ("Olanzapine", "10", "At night"),
        ("Aripiprazole", "15", "Each morning"),
        ("Quetiapine", "200", "Twice a day"),
    ]
    for index, person_id in enumerate(people[6:12]):
        name, dose, how = oral[index % len(oral)]
        ref = refs[name]
        started = today - timedelta(days=[20, 80, 400, 700, 150, 30][index])
        medicines.append(
            Medicine(
                person_id=person_id,
                reference=ref,
                name=name,
                form=ref.form,
                strength=ref.strength,
                dose=Decimal(dose),
                dose_unit="mg",
                route="By mouth",
                frequency=how,
                started_on=started,
                prescriber="Dr Ash Synthetic",
                prescribed_by="trust",
                is_antipsychotic=True,
                recorded_by=nurse,
            )
        )
    for person_id in people[:12:3]:
        medicines.append(
            Medicine(
                person_id=person_id,
                reference=refs["Sertraline"],
                name="Sertraline",
                form="Tablet",
                strength="50 mg",
                dose=Decimal("50"),
                dose_unit="mg",
                route="By mouth",
                frequency="Each morning",
                started_on=today - timedelta(days=300),
                stopped_on=today - timedelta(days=60),
                reason_stopped="Felt it no longer helped; agreed with the GP (synthetic).",
                prescriber="Dr Gale Synthetic (GP)",
                prescribed_by="gp",
                recorded_by=nurse,
            )
        )
    Medicine.objects.bulk_create(medicines)
    for index, person_id in enumerate(people[:10]):
        if index % 3 == 0:
            allergies.append(
                Allergy(
                    person_id=person_id,
                    kind=AllergyKind.ALLERGY,
                    substance="Penicillin",
                    reaction="Rash and itching",
                    severity="moderate",
                    recorded_on=today - timedelta(days=200),
                    recorded_by=nurse,
                )
            )
        elif index % 3 == 1:
            allergies.append(
                Allergy(
                    person_id=person_id,
                    kind=AllergyKind.NO_KNOWN_ALLERGIES,
                    recorded_on=today - timedelta(days=100),
                    recorded_by=nurse,
                )
            )
    if len(people) > 2:  # a tiny Trust (tests build 20 people) may have fewer on the caseload
        allergies.append(
            Allergy(
                person_id=people[2],
                kind=AllergyKind.ADVERSE_REACTION,
                substance="Haloperidol",
                reaction="Severe muscle stiffness (dystonia)",
                severity="severe",
                recorded_on=today - timedelta(days=400),
                recorded_by=nurse,
            )
        )
    Allergy.objects.bulk_create(allergies)
    _build_checks(people, nurse, today)
    return len(depots)


def _build_checks(people, nurse, today):
    # (days ago, flags wanted: smoking, high BP, BMI, HbA1c), action on the flags?
    plans = [(30, True), (90, False), (200, True), (420, False), (45, False), (10, True)]
    checks = [
        PhysicalHealthCheck(person_id=person_id, checked_on=today - timedelta(days=ago), recorded_by=nurse)
        for person_id, (ago, _) in zip(people[:6], plans, strict=False)
    ]
    PhysicalHealthCheck.objects.bulk_create(checks)
    measurements, flags = [], []
    for index, check in enumerate(checks):
        smoker = index % 2 == 0
        measurements += [
            _entry(check, "alcohol", "12"),
            _entry(check, "smoking", text="smoker" if smoker else "ex"),
            _entry(check, "weight", "92.4" if index != 3 else "70.1"),
            _entry(check, "height", "175"),
            _entry(check, "bmi", "30.2" if index != 3 else "22.9"),
            _entry(
                check,
                "blood_pressure",
                "148" if index in (1, 4) else "124",
                "92" if index in (1, 4) else "78",
            ),
            _entry(check, "hba1c", "44" if index == 2 else "38", days_before=5, source=Source.GP),
            _entry(check, "total_cholesterol", "5.1", days_before=5, source=Source.GP),
            _entry(check, "pulse", "76"),
        ]
        if index != 3:
            flags.append(
                HealthFlag(
                    check_record=check,
                    person_id=check.person_id,
                    element="bmi",
                    reason="BMI 30.2 is 25 or more",
                )
            )
        if smoker:
            flags.append(
                HealthFlag(check_record=check, person_id=check.person_id, element="smoking", reason="Smokes")
            )
        if index in (1, 4):
            flags.append(
                HealthFlag(
                    check_record=check,
                    person_id=check.person_id,
                    element="blood_pressure",
                    reason="Blood pressure 148/92 is above 140/90",
                )
            )
        if index == 2:
            flags.append(
                HealthFlag(
                    check_record=check,
                    person_id=check.person_id,
                    element="hba1c",
                    reason="HbA1c 44 mmol/mol is 42 or more",
                )
            )
    Measurement.objects.bulk_create(measurements)
    HealthFlag.objects.bulk_create(flags)
    acted = {check.pk for check, (_, action) in zip(checks, plans, strict=False) if action}
    intervention = {
        "bmi": "weight_management",
        "smoking": "stop_smoking",
        "blood_pressure": "gp",
        "hba1c": "diabetes",
    }
    FlagAction.objects.bulk_create(
        FlagAction(
            flag=flag, intervention=intervention[flag.element], detail="Referral made (synthetic).", by=nurse
        )
        for flag in flags
        if flag.check_record_id in acted
    )
