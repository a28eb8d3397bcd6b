"""Issue 18, items 5 and 9: staff safety alerts in My diary and when booking a home visit alone;
appointments nobody wrote up (marked in the diary, a worklist item once past); booking in the past
asks for confirmation. The moment is Tuesday 24 November 2026, 11:00 (conftest)."""

from datetime import date, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from waypoint.accounts.factories import make_staff
from waypoint.contacts.factories import AppointmentFactory, ContactFactory
from waypoint.contacts.worklist import NOT_WRITTEN_UP, appointments_not_written_up
from waypoint.patients.factories import AlertFactory, TeamRegistrationFactory
from waypoint.worklist.registry import Severity, due_for

from .conftest import TODAY

pytestmark = pytest.mark.django_db


def page(response):
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def booking(team, staff, **overrides):
    data = {
        "team": team.pk,
        "date_day": "26",
        "date_month": "11",
        "date_year": "2026",
        "start_time": "14:00",
        "expected_minutes": "30",
        "staff": [user.pk for user in staff],
        "location_type": "home",
        "mechanism": "01",
        "purpose": "Home visit (synthetic)",
    }
    return {**data, **overrides}


class TestDiary:
    def test_a_staff_safety_alert_shows_beside_the_appointment(
        self, coordinator_client, coordinator, person, make_appointment
    ):
        AlertFactory(person=person, created_by=coordinator, summary="Do not visit alone (synthetic)")
        AlertFactory(person=person, created_by=coordinator, summary="Ended alert", ended_at=timezone.now())
        AlertFactory(person=person, created_by=coordinator, summary="Nut allergy", category="allergy")
        make_appointment(staff=[coordinator], start_time=time(14, 0))
        html = page(coordinator_client.get(reverse("contacts:diary")))
        assert "Staff safety" in html and "Do not visit alone (synthetic)" in html
        assert "Ended alert" not in html and "Nut allergy" not in html

    def test_past_appointments_nobody_wrote_up_are_marked(
        self, coordinator_client, coordinator, person, team, make_appointment
    ):
        make_appointment(
            staff=[coordinator], start_time=time(9, 0), expected_minutes=30, purpose="Missed (x)"
        )
        written = make_appointment(staff=[coordinator], start_time=time(9, 30), purpose="Written (x)")
        ContactFactory(person=person, team=team, recorded_by=coordinator, appointment=written, date=TODAY)
        make_appointment(staff=[coordinator], start_time=time(10, 30), expected_minutes=60, purpose="Now (x)")
        make_appointment(staff=[coordinator], start_time=time(15, 0), purpose="Later (x)")
        html = page(coordinator_client.get(reverse("contacts:diary")))
        assert html.count("Not written up") == 1
        before = html.split("Missed (x)")[1].split("Written (x)")[0]
        assert "Not written up" in before

    def test_the_diary_query_count_stays_flat_with_alerts(
        self, coordinator_client, coordinator, team, django_assert_max_num_queries
    ):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        def add(n):
            for _ in range(n):
                person = TeamRegistrationFactory(team=team).person
                AlertFactory(person=person, created_by=coordinator)
                AppointmentFactory(
                    person=person, team=team, booked_by=coordinator, date=TODAY - timedelta(days=1)
                )

        add(1)
        with CaptureQueriesContext(connection) as one:
            page(coordinator_client.get(reverse("contacts:diary")))
        add(10)
        with django_assert_max_num_queries(len(one)):
            html = page(coordinator_client.get(reverse("contacts:diary")))
        assert html.count("Not written up") == 11 and html.count("Do not visit alone") == 11


class TestWorklist:
    def test_an_appointment_not_written_up_is_overdue_once_its_time_has_passed(
        self, coordinator, person, team, make_appointment
    ):
        yesterday = make_appointment(date=TODAY - timedelta(days=1), start_time=time(10, 0))
        make_appointment(date=TODAY, start_time=time(10, 30), expected_minutes=60)  # still going on
        written = make_appointment(date=TODAY - timedelta(days=2))
        ContactFactory(person=person, team=team, recorded_by=coordinator, appointment=written)
        make_appointment(date=TODAY + timedelta(days=1))
        [item] = appointments_not_written_up([person.pk], TODAY)
        assert item.kind == NOT_WRITTEN_UP and item.severity == Severity.OVERDUE
        assert item.what == "Appointment on 23 November at 10:00 not written up"
        assert item.url == reverse("contacts:record_appointment", args=[person.pk, yesterday.pk])
        assert any(i.kind == NOT_WRITTEN_UP for i in due_for([person.pk], TODAY)[person.pk])

    def test_one_query_for_one_or_many_people(self, coordinator, team, django_assert_num_queries):
        people = [TeamRegistrationFactory(team=team).person for _ in range(5)]
        for someone in people:
            AppointmentFactory(person=someone, team=team, booked_by=coordinator, date=date(2026, 11, 20))
        with django_assert_num_queries(1):
            assert len(appointments_not_written_up([people[0].pk], TODAY)) == 1
        with django_assert_num_queries(1):
            assert len(appointments_not_written_up([p.pk for p in people], TODAY)) == 5


class TestBooking:
    def test_booking_in_the_past_asks_for_confirmation_and_keeps_what_was_typed(
        self, coordinator_client, coordinator, person, team
    ):
        url = reverse("contacts:book", args=[person.pk])
        data = booking(team, [coordinator], date_day="23", location_type="clinic")
        html = page(coordinator_client.post(url, data))
        assert "<title>Error: Book an appointment" in html
        assert "This appointment is in the past (Monday 23 November 2026 at 14:00)" in html
        assert 'value="Home visit (synthetic)"' in html and 'value="14:00"' in html
        assert not person.appointments.exists()
        response = coordinator_client.post(url, {**data, "confirm_past": "on"})
        assert response.status_code == 302 and person.appointments.get().date == date(2026, 11, 23)

    def test_a_future_booking_asks_nothing(self, coordinator_client, coordinator, person, team):
        response = coordinator_client.post(
            reverse("contacts:book", args=[person.pk]), booking(team, [coordinator])
        )
        assert response.status_code == 302

    def test_a_home_visit_alone_to_a_person_with_a_staff_safety_alert_asks_for_confirmation(
        self, coordinator_client, coordinator, person, team
    ):
        AlertFactory(person=person, created_by=coordinator, summary="Do not visit alone (synthetic)")
        url = reverse("contacts:book", args=[person.pk])
        html = page(coordinator_client.get(url))
        assert "Do not visit alone (synthetic)" in html  # in the record banner, before typing anything
        html = page(coordinator_client.post(url, booking(team, [coordinator])))
        assert "Staff safety alert: Do not visit alone (synthetic). Add a second member of staff" in html
        assert not person.appointments.exists()
        colleague = make_staff(team=team, username="second.worker")
        assert coordinator_client.post(url, booking(team, [coordinator, colleague])).status_code == 302
        assert (
            coordinator_client.post(url, booking(team, [coordinator], confirm_alone="on")).status_code == 302
        )
        assert person.appointments.count() == 2


def test_the_date_hint_fits_the_field(coordinator_client, person):
    """Issue 18, item 12: a contact's date is not hinted as a date of birth."""
    html = page(coordinator_client.get(reverse("contacts:book", args=[person.pk])))
    assert "For example, 24 11 2026" in html and "27 3 1985" not in html
    from waypoint.patients.forms import PersonForm

    assert PersonForm.base_fields["date_of_birth"].hint == "For example, 27 3 1985"
