"""Synthetic diary and contacts for the demo care coordinators (coordinator, socialworker, outreach).

- appointments this week and next for each of them, with their allocated people;
- a North CMHT clinic today;
- past contacts for their allocated people (mostly attended, some did not attend);
- some Assertive Outreach people disengaged (2 missed contacts in a row), one with step 1 of the
  disengagement procedure already taken, so the alert names step 2;
- expected contact frequency (weekly) set for the Assertive Outreach people, and some indirect activity.

Written with bulk_create. People who already have contacts are left alone, and a worker who
already has appointments this week gets no more, so running the command again adds nothing twice.
"""

from datetime import time, timedelta

from django.utils import timezone

from waypoint.contacts.models import (
    Appointment,
    Attendance,
    Contact,
    ContactFrequency,
    DisengagementStepTaken,
    IndirectActivity,
    LocationType,
    Mechanism,
)
from waypoint.core.forms import combine_local
from waypoint.demo.bulk import insert
from waypoint.episodes.models import Allocation, AllocationKind

WORKERS = ("coordinator", "socialworker", "outreach")
PEOPLE_PER_WORKER = 40
PURPOSES = [
    "Care coordination visit (synthetic)",
    "Care plan review (synthetic)",
    "Medication check (synthetic)",
    "Physical health check (synthetic)",
    "Support with housing letter (synthetic)",
]
ACTIVITIES = ["care_coordination", "depot_medication", "psychological", "physical_health", "social_support"]


def _allocated(workers, limit):
    people = {}
    rows = (
        Allocation.objects.current()
        .filter(worker__in=workers, kind=AllocationKind.CARE_COORDINATOR)
        .order_by("worker_id", "person_id")
        .values_list("worker_id", "person_id", "team_id")
    )
    for worker_id, person_id, team_id in rows:
        mine = people.setdefault(worker_id, [])
        if len(mine) < limit:
            mine.append((person_id, team_id))
    return people


def build_contacts(*, teams, staff, rng, today=None) -> dict:
    today = today or timezone.localdate()
    monday = today - timedelta(days=today.weekday())
    workers = [staff[name] for name in WORKERS if name in staff]
    outreach_team = teams.get("Assertive Outreach Team")
    allocated = _allocated(workers, PEOPLE_PER_WORKER)
    already = set(
        Contact.objects.filter(person_id__in=[p for v in allocated.values() for p, _ in v]).values_list(
            "person_id", flat=True
        )
    )

    contacts, contact_staff, frequencies, steps, indirect = [], [], [], [], []
    disengaged = 0
    for worker in workers:
        for index, (person_id, team_id) in enumerate(allocated.get(worker.pk, [])):
            if person_id in already:
                continue
            outreach = outreach_team is not None and team_id == outreach_team.pk
            gap = 7 if outreach else rng.choice([14, 21, 28])
            is_disengaged = outreach and index % 3 == 0
            day = today - timedelta(days=rng.randint(1, 5) if not is_disengaged else 4)
            history = []
            for n in range(8):
                if is_disengaged and n < 2:
                    attendance = Attendance.DID_NOT_ATTEND
                elif rng.random() < 0.12 and n > 0:
                    attendance = rng.choice([Attendance.DID_NOT_ATTEND, Attendance.CANCELLED_BY_SERVICE])
                else:
                    attendance = Attendance.ATTENDED
                history.append((day, attendance))
                day -= timedelta(days=gap)
            if is_disengaged:
                disengaged += 1
            for day, attendance in history:
                mechanism = Mechanism.FACE_TO_FACE if rng.random() < 0.8 else Mechanism.TELEPHONE
                start = time(rng.choice([10, 11, 14, 15]), 0)
                contacts.append(
                    Contact(
                        person_id=person_id,
                        team_id=team_id,
                        date=day,
                        occurred_at=combine_local(day, start),
                        attendance=attendance,
                        mechanism=mechanism,
                        location_type=LocationType.HOME if rng.random() < 0.6 else LocationType.CLINIC,
                        duration_minutes=rng.choice([30, 45, 60])
                        if attendance == Attendance.ATTENDED
                        else None,
                        activities=[rng.choice(ACTIVITIES)] if attendance == Attendance.ATTENDED else [],
                        recorded_by=worker,
                        recorded_at=combine_local(day, time(16, 30)),
                    )
                )
                contact_staff.append(worker)
            if outreach:
                frequencies.append(
                    ContactFrequency(person_id=person_id, team_id=team_id, every_days=7, set_by=worker)
                )
            if is_disengaged and disengaged == 1:
                steps.append(
                    DisengagementStepTaken(
                        person_id=person_id,
                        team_id=team_id,
                        step_number=1,
                        step_title="Phone the person",
                        taken_on=today - timedelta(days=1),
                        outcome="No answer; left a voicemail with the team's number (synthetic)",
                        recorded_by=worker,
                    )
                )
            if index % 10 == 1:
                indirect.append(
                    IndirectActivity(
                        person_id=person_id,
                        team_id=team_id,
                        date=today - timedelta(days=rng.randint(1, 20)),
                        contact_with="Sam Housingofficer (synthetic)",
                        organisation="Testville Housing",
                        method="telephone",
                        duration_minutes=15,
                        summary="Discussed a repair to the heating and the rent account (synthetic).",
                        recorded_by=worker,
                    )
                )
    created = insert(contacts)
    Through = Contact.staff.through
    insert(
        [Through(contact_id=c.pk, user_id=w.pk) for c, w in zip(created, contact_staff, strict=True)],
        batch_size=1000,
    )
    insert(frequencies)
    insert(steps)
    insert(indirect)

    appointments = _build_diary(workers, allocated, teams, monday, today, rng)
    return {"contacts": len(created), "appointments": appointments, "disengaged": disengaged}


def _build_diary(workers, allocated, teams, monday, today, rng):
    booked = set(
        Appointment.objects.filter(date__gte=monday, date__lte=monday + timedelta(days=13))
        .values_list("staff", flat=True)
        .distinct()
    )
    appointments, staff_rows = [], []
    for worker in workers:
        people = allocated.get(worker.pk, [])
        if worker.pk in booked or not people:
            continue
        for offset in list(range(5)) + list(range(7, 12)):
            day = monday + timedelta(days=offset)
            for slot, start in enumerate((time(10, 0), time(14, 0))):
                person_id, team_id = people[(offset * 2 + slot) % len(people)]
                clinic = rng.random() < 0.25
                appointments.append(
                    Appointment(
                        person_id=person_id,
                        team_id=team_id,
                        date=day,
                        start_time=start,
                        expected_minutes=rng.choice([30, 45, 60]),
                        location_type=LocationType.CLINIC if clinic else LocationType.HOME,
                        mechanism=Mechanism.FACE_TO_FACE if rng.random() < 0.85 else Mechanism.TELEPHONE,
                        purpose=rng.choice(PURPOSES),
                        booked_by=worker,
                    )
                )
                staff_rows.append(worker)
    # Today's North CMHT clinic: depot injections with the two North care coordinators.
    north = teams.get("North CMHT")
    north_workers = [w for w in workers if w.pk not in booked and allocated.get(w.pk)]
    north_people = [
        (p, t)
        for w in north_workers
        for p, t in allocated.get(w.pk, [])
        if north is not None and t == north.pk
    ]
    for slot, person in enumerate(north_people[-4:]):
        worker = next(w for w in north_workers if person in allocated[w.pk])
        appointments.append(
            Appointment(
                person_id=person[0],
                team_id=person[1],
                date=today,
                start_time=time(9, 30 if slot % 2 else 0) if slot < 2 else time(11, 30 if slot % 2 else 0),
                expected_minutes=30,
                location_type=LocationType.CLINIC,
                mechanism=Mechanism.FACE_TO_FACE,
                purpose="Depot clinic (synthetic)",
                booked_by=worker,
            )
        )
        staff_rows.append(worker)
    created = insert(appointments)
    Through = Appointment.staff.through
    insert(
        [Through(appointment_id=a.pk, user_id=w.pk) for a, w in zip(created, staff_rows, strict=True)],
        batch_size=1000,
    )
    return len(created)


CODED_INTERVENTION_RATE = 0.3  # of seen referrals: enough for the demo's clocks to show both ways


def build_coded_interventions(*, people, staff, rng, today=None) -> dict:
    """Coded psychological interventions for about three in ten people whose referral was seen,
    1 to 28 days after the first attended contact (never after today, so on the day itself when that was today), so some 4-week clocks stop
    at a coded intervention before any agreed care plan (part 4, issue 10)."""
    from waypoint.contacts.interventions import INTERVENTIONS
    from waypoint.contacts.models import CodedIntervention
    from waypoint.referrals.models import Referral
    from waypoint.referrals.models import Status as ReferralStatus

    if not people:
        return {"coded_interventions": 0}
    today = today or timezone.localdate()
    ids = {person.pk for person in people}
    workers = [staff[name] for name in ("coordinator", "socialworker", "outreach", "rehab") if name in staff]
    workers = workers or list(staff.values())
    seen = (
        Referral.objects.filter(
            person_id__gte=min(ids),
            person_id__lte=max(ids),
            status=ReferralStatus.IN_ASSESSMENT,
            first_contact_attended_at__isnull=False,
        )
        .order_by("pk")
        .values_list("person_id", "team_id", "first_contact_attended_at")
    )
    rows, done = [], set()
    for person_id, team_id, first_at in seen:
        if person_id not in ids or person_id in done:
            continue
        done.add(person_id)
        if rng.random() >= CODED_INTERVENTION_RATE:
            continue
        day = min(today, timezone.localdate(first_at) + timedelta(days=rng.randint(1, 28)))
        code, term = rng.choice(INTERVENTIONS)
        rows.append(
            CodedIntervention(
                person_id=person_id,
                team_id=team_id,
                date=day,
                code=code,
                term=term,
                recorded_by=rng.choice(workers),
            )
        )
    CodedIntervention.objects.bulk_create(rows, batch_size=500)
    return {"coded_interventions": len(rows)}
