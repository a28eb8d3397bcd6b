"""Services: every write is audited (field names only), contacts are never changed or deleted."""

import datetime

import pytest

from waypoint.access.actor import Actor
from waypoint.audit.models import Action, AuditEvent
from waypoint.contacts import services
from waypoint.contacts.engagement import Step
from waypoint.contacts.models import Attendance, Contact, LocationType, Mechanism

from .conftest import TODAY

pytestmark = pytest.mark.django_db


def contact_data(team, staff, **overrides):
    data = {
        "team": team,
        "date": TODAY,
        "start_time": datetime.time(10, 30),
        "attendance": Attendance.ATTENDED,
        "mechanism": Mechanism.FACE_TO_FACE,
        "location_type": LocationType.HOME,
        "duration_minutes": 50,
        "staff": [staff],
        "activities": ["care_coordination", "depot_medication"],
    }
    data.update(overrides)
    return data


def audit_rows(person, record_type):
    return list(AuditEvent.objects.filter(person=person, record_type=record_type).order_by("pk"))


def test_book_appointment_audits(person, team, coordinator):
    appointment = services.book_appointment(
        by=Actor(coordinator, basis="team"),
        person=person,
        data={
            "team": team,
            "date": TODAY,
            "start_time": datetime.time(14, 0),
            "expected_minutes": 60,
            "staff": [coordinator],
            "location_type": LocationType.CLINIC,
            "mechanism": Mechanism.FACE_TO_FACE,
            "purpose": "Depot injection (synthetic)",
        },
    )
    assert list(appointment.staff.all()) == [coordinator]
    (row,) = audit_rows(person, "appointment")
    assert row.action == Action.CREATE and row.record_id == str(appointment.pk)
    assert "purpose" in row.fields_changed and "staff" in row.fields_changed
    assert "Depot injection" not in str(row.fields_changed)


def test_record_contact_from_an_appointment_once(person, team, coordinator, make_appointment):
    appointment = make_appointment()
    contact = services.record_contact(
        by=Actor(coordinator, basis="team"),
        person=person,
        data=contact_data(team, coordinator),
        appointment=appointment,
    )
    assert contact.appointment == appointment
    assert contact.occurred_at.astimezone(datetime.UTC).hour == 10  # 10:30 UK time in November is UTC
    assert contact.activities == ["care_coordination", "depot_medication"]
    (row,) = audit_rows(person, "contact")
    assert row.action == Action.CREATE
    with pytest.raises(services.AlreadyRecorded):
        services.record_contact(
            by=Actor(coordinator, basis="team"),
            person=person,
            data=contact_data(team, coordinator),
            appointment=appointment,
        )


def test_a_missed_contact_has_no_length(person, team, coordinator):
    contact = services.record_contact(
        by=Actor(coordinator, basis="team"),
        person=person,
        data=contact_data(team, coordinator, attendance=Attendance.DID_NOT_ATTEND),
    )
    assert contact.duration_minutes is None


def test_correction_is_a_new_entry_and_keeps_the_original(person, team, coordinator, make_contact):
    original = make_contact()
    correction = services.correct_contact(
        by=Actor(coordinator, basis="team"),
        contact=original,
        data=contact_data(team, coordinator, duration_minutes=30),
        reason="Length was wrong (synthetic)",
    )
    original.refresh_from_db()
    assert not original.is_current and original.duration_minutes == 45
    assert correction.corrects == original and correction.is_current and correction.duration_minutes == 30
    assert Contact.objects.filter(person=person).count() == 2
    actions = [(row.action, row.record_id) for row in audit_rows(person, "contact")]
    assert actions == [(Action.CREATE, str(correction.pk)), (Action.UPDATE, str(original.pk))]
    with pytest.raises(services.NoLongerCurrent):
        services.correct_contact(
            by=Actor(coordinator, basis="team"),
            contact=original,
            data=contact_data(team, coordinator),
            reason="Again",
        )


def test_entered_in_error_keeps_the_contact_with_the_reason(person, coordinator, make_contact):
    contact = make_contact()
    services.mark_contact_entered_in_error(
        by=Actor(coordinator, basis="team"),
        contact=contact,
        reason="Wrong person (synthetic)",
    )
    contact.refresh_from_db()
    assert not contact.is_current and contact.entered_in_error
    assert (
        contact.entered_in_error_by == coordinator
        and contact.entered_in_error_reason == "Wrong person (synthetic)"
    )
    (row,) = audit_rows(person, "contact")
    assert row.action == Action.ENTERED_IN_ERROR and row.fields_changed == ["entered_in_error_reason"]
    with pytest.raises(services.NoLongerCurrent):
        services.mark_contact_entered_in_error(
            by=Actor(coordinator, basis="team"),
            contact=contact,
            reason="Again",
        )


def test_indirect_activity_frequency_and_steps_are_audited(person, team, coordinator):
    services.record_indirect_activity(
        by=Actor(coordinator, basis="team"),
        person=person,
        data={
            "team": team,
            "date": TODAY,
            "contact_with": "Sam Officer",
            "organisation": "Testville Housing",
            "method": "telephone",
            "duration_minutes": 10,
            "summary": "Rent arrears (synthetic)",
        },
    )
    services.set_contact_frequency(
        by=Actor(coordinator, basis="team"),
        person=person,
        team=team,
        every_days=7,
    )
    services.set_contact_frequency(
        by=Actor(coordinator, basis="team"),
        person=person,
        team=team,
        every_days=14,
    )
    services.record_disengagement_step(
        by=Actor(coordinator, basis="team"),
        person=person,
        team=team,
        step=Step(1, "Phone the person"),
        taken_on=TODAY,
        outcome="No answer",
    )
    assert len(audit_rows(person, "indirect_activity")) == 1
    assert len(audit_rows(person, "contact_frequency")) == 2
    assert person.contact_frequencies.count() == 2  # history kept
    (step,) = audit_rows(person, "disengagement_step")
    assert step.fields_changed == ["outcome", "step_number", "taken_on"]
    assert all("Rent" not in str(row.fields_changed) for row in AuditEvent.objects.all())


def test_attended_contacts_are_the_referrals_first_and_second_contacts(person, team, coordinator):
    from waypoint.referrals.factories import ReferralFactory
    from waypoint.referrals.models import Status

    received = datetime.datetime(2026, 11, 2, 9, 0, tzinfo=datetime.UTC)
    referral = ReferralFactory(
        person=person, team=team, status=Status.WAITING, decision="accept", received_at=received
    )
    services.record_contact(
        by=Actor(coordinator, basis="team"),
        person=person,
        data=contact_data(team, coordinator, attendance=Attendance.DID_NOT_ATTEND),
    )
    referral.refresh_from_db()
    assert referral.first_contact_attended_at is None  # a missed contact is not a contact
    first = services.record_contact(
        by=Actor(coordinator, basis="team"),
        person=person,
        data=contact_data(team, coordinator),
    )
    second = services.record_contact(
        by=Actor(coordinator, basis="team"),
        person=person,
        data=contact_data(team, coordinator, start_time=datetime.time(15, 0)),
    )
    referral.refresh_from_db()
    assert referral.first_contact_attended_at == first.occurred_at
    assert referral.second_contact_attended_at == second.occurred_at
    assert referral.status == Status.IN_ASSESSMENT  # off the waiting list
    assert AuditEvent.objects.filter(record_type="referral", action=Action.UPDATE).count() == 2


def test_a_text_message_is_not_the_referrals_first_contact(person, team, coordinator):
    """NHS England's 4-week clock counts face to face, telephone and video contacts, not text (09)."""
    from waypoint.referrals.factories import ReferralFactory
    from waypoint.referrals.models import Status

    referral = ReferralFactory(
        person=person,
        team=team,
        status=Status.WAITING,
        decision="accept",
        received_at=datetime.datetime(2026, 11, 2, 9, 0, tzinfo=datetime.UTC),
    )
    services.record_contact(
        by=Actor(coordinator, basis="team"),
        person=person,
        data=contact_data(team, coordinator, mechanism=Mechanism.TEXT, location_type=LocationType.OTHER),
    )
    referral.refresh_from_db()
    assert referral.first_contact_attended_at is None and referral.status == Status.WAITING
    call = services.record_contact(
        by=Actor(coordinator, basis="team"),
        person=person,
        data=contact_data(team, coordinator, mechanism=Mechanism.TELEPHONE, start_time=datetime.time(14, 0)),
    )
    referral.refresh_from_db()
    assert referral.first_contact_attended_at == call.occurred_at


# NHS England's 4-week clock counts a contact from the referral's receipt DATE (4w_waits_prep.py:
# CareContDate between the spell's start date and its end date), not its time. Each case: the
# referral's receipt (days before the contact's day, hour), and whether the contact counts.
RECEIPT_CASES = [
    ("same day, received earlier", 0, 9, True),
    ("same day, received later that day", 0, 16, True),
    ("received the day before", 1, 16, True),
    ("received the day after the contact", -1, 8, False),
]


@pytest.mark.parametrize(
    ("name", "days_before", "hour", "counts"), RECEIPT_CASES, ids=[c[0] for c in RECEIPT_CASES]
)
def test_a_contact_counts_from_the_day_the_referral_was_received(
    person, team, coordinator, name, days_before, hour, counts
):
    from django.utils import timezone

    from waypoint.referrals.factories import ReferralFactory
    from waypoint.referrals.models import Status

    received = timezone.make_aware(
        datetime.datetime.combine(TODAY - datetime.timedelta(days=days_before), datetime.time(hour))
    )
    referral = ReferralFactory(
        person=person, team=team, status=Status.WAITING, decision="accept", received_at=received
    )
    contact = services.record_contact(
        by=Actor(coordinator, basis="team"), person=person, data=contact_data(team, coordinator)
    )  # at 10:30
    referral.refresh_from_db()
    assert referral.first_contact_attended_at == (contact.occurred_at if counts else None)
