"""Pages: the diary, the clinic list, recording contacts, corrections, engagement. Access and query counts."""

from datetime import time, timedelta

import pytest
from django.urls import reverse

from waypoint.accounts.factories import make_staff
from waypoint.audit.models import Action, AuditEvent
from waypoint.contacts.factories import AppointmentFactory, ContactFactory
from waypoint.contacts.models import Attendance, Contact, LocationType
from waypoint.patients.factories import TeamRegistrationFactory

from .conftest import MONDAY, TODAY

pytestmark = pytest.mark.django_db
DNA = Attendance.DID_NOT_ATTEND


def page(response):
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def contact_post(team, staff, **overrides):
    data = {
        "team": team.pk,
        "date_day": TODAY.day,
        "date_month": TODAY.month,
        "date_year": TODAY.year,
        "start_time": "10:00",
        "attendance": Attendance.ATTENDED,
        "mechanism": "01",
        "location_type": "home",
        "duration_minutes": "45",
        "staff": [staff.pk],
        "activities": ["care_coordination"],
    }
    data.update(overrides)
    return data


class TestDiary:
    def test_shows_my_week_with_links_to_record(
        self, coordinator_client, coordinator, make_appointment, person
    ):
        appointment = make_appointment(
            date=MONDAY + timedelta(days=2), purpose="Medication review (synthetic)"
        )
        make_appointment(date=MONDAY + timedelta(days=7), purpose="Next week (synthetic)")
        other = make_staff(team=None, username="someone.else")
        make_appointment(booked_by=other, staff=[other], purpose="Not mine (synthetic)")
        html = page(coordinator_client.get(reverse("contacts:diary")))
        assert "Medication review (synthetic)" in html
        assert "Next week (synthetic)" not in html and "Not mine" not in html
        assert reverse("contacts:record_appointment", args=[person.pk, appointment.pk]) in html
        assert "Wednesday 25 November (today)" not in html and "Tuesday 24 November (today)" in html
        html = page(coordinator_client.get(reverse("contacts:diary") + "?week=2026-12-01"))
        assert "Next week (synthetic)" in html and "Week of 30 November" not in html.split("<h1")[0]
        assert AuditEvent.objects.filter(record_type="diary", user=coordinator).count() == 2

    def test_a_bad_week_shows_this_week(self, coordinator_client):
        assert "Week of 23 November 2026" not in page(
            coordinator_client.get(reverse("contacts:diary") + "?week=nonsense")
        )
        assert "Monday 23 November 2026" in page(
            coordinator_client.get(reverse("contacts:diary") + "?week=nonsense")
        )

    def test_people_the_user_cannot_see_are_not_named(self, client, outsider, make_appointment, person):
        make_appointment(staff=[outsider])
        client.force_login(outsider)
        html = page(client.get(reverse("contacts:diary")))
        assert person.family_name.upper() not in html.upper()
        assert "no longer have a relationship" in html

    def test_query_count_does_not_grow(
        self, coordinator_client, coordinator, team, django_assert_max_num_queries
    ):
        def add(n):
            for i in range(n):
                person = TeamRegistrationFactory(team=team).person
                AppointmentFactory(
                    person=person, team=team, booked_by=coordinator, date=MONDAY + timedelta(days=i % 7)
                )
                ContactFactory(person=person, team=team, recorded_by=coordinator)

        add(1)
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as one:
            page(coordinator_client.get(reverse("contacts:diary")))
        add(20)
        with django_assert_max_num_queries(len(one)):
            html = page(coordinator_client.get(reverse("contacts:diary")))
        assert "21 appointments this week" in html


class TestClinicList:
    def test_lists_the_teams_clinic_for_the_day(self, coordinator_client, make_appointment):
        make_appointment(
            location_type=LocationType.CLINIC, purpose="Depot clinic (synthetic)", start_time=time(9, 30)
        )
        make_appointment(location_type=LocationType.HOME, purpose="Home visit (synthetic)")
        make_appointment(
            location_type=LocationType.CLINIC, date=TODAY + timedelta(days=1), purpose="Tomorrow (synthetic)"
        )
        html = page(coordinator_client.get(reverse("contacts:clinic")))
        assert "Depot clinic (synthetic)" in html
        assert "Home visit" not in html and "Tomorrow" not in html
        assert "Tomorrow (synthetic)" in page(
            coordinator_client.get(reverse("contacts:clinic") + "?date=2026-11-25")
        )

    def test_another_teams_clinic_is_404(self, coordinator_client, other_team):
        assert (
            coordinator_client.get(reverse("contacts:clinic") + f"?team={other_team.pk}").status_code == 404
        )

    def test_query_count_does_not_grow(
        self, coordinator_client, coordinator, team, django_assert_max_num_queries
    ):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        def add(n):
            for _ in range(n):
                person = TeamRegistrationFactory(team=team).person
                AppointmentFactory(
                    person=person, team=team, booked_by=coordinator, location_type=LocationType.CLINIC
                )

        add(1)
        with CaptureQueriesContext(connection) as one:
            page(coordinator_client.get(reverse("contacts:clinic")))
        add(20)
        with django_assert_max_num_queries(len(one)):
            page(coordinator_client.get(reverse("contacts:clinic")))


class TestBookAndRecord:
    def test_book_an_appointment(self, coordinator_client, person, team, coordinator):
        url = reverse("contacts:book", args=[person.pk])
        html = page(coordinator_client.get(url))
        assert "Book an appointment" in html
        response = coordinator_client.post(url, {"team": team.pk})
        html = page(response)
        assert "<title>Error: Book an appointment" in html
        assert "Enter the date of the appointment" in html and "Enter what the appointment is for" in html
        response = coordinator_client.post(
            url,
            {
                "team": team.pk,
                "date_day": "26",
                "date_month": "11",
                "date_year": "2026",
                "start_time": "14:00",
                "expected_minutes": "30",
                "staff": [coordinator.pk],
                "location_type": "clinic",
                "mechanism": "01",
                "purpose": "Depot injection (synthetic)",
            },
        )
        assert response.status_code == 302
        appointment = person.appointments.get()
        assert appointment.purpose == "Depot injection (synthetic)" and list(appointment.staff.all()) == [
            coordinator
        ]

    def test_record_from_an_appointment_is_prefilled(
        self, coordinator_client, person, coordinator, make_appointment
    ):
        appointment = make_appointment(start_time=time(13, 15), expected_minutes=40)
        url = reverse("contacts:record_appointment", args=[person.pk, appointment.pk])
        html = page(coordinator_client.get(url))
        assert 'value="13:15"' in html and 'value="40"' in html
        assert AuditEvent.objects.filter(
            record_type="appointment", record_id=str(appointment.pk), action=Action.VIEW
        ).exists()

    def test_attended_needs_a_length_and_keeps_what_was_typed(
        self, coordinator_client, person, team, coordinator, make_appointment
    ):
        appointment = make_appointment()
        url = reverse("contacts:record_appointment", args=[person.pk, appointment.pk])
        html = page(
            coordinator_client.post(
                url, contact_post(team, coordinator, duration_minutes="", start_time="10:07")
            )
        )
        assert "Enter how long the contact lasted, in minutes" in html and 'value="10:07"' in html
        assert not Contact.objects.exists()

    def test_a_dna_that_disengages_shows_the_alert_on_the_record(
        self, coordinator_client, person, team, coordinator, make_appointment, make_contact
    ):
        make_contact(date=TODAY - timedelta(days=10))
        make_contact(date=TODAY - timedelta(days=7), attendance=DNA)
        detail = reverse("patients:detail", args=[person.pk])
        assert "Next step" not in page(coordinator_client.get(detail))
        appointment = make_appointment()
        url = reverse("contacts:record_appointment", args=[person.pk, appointment.pk])
        response = coordinator_client.post(
            url, contact_post(team, coordinator, attendance=DNA, duration_minutes="")
        )
        assert response.status_code == 302 and response.url == detail
        html = page(coordinator_client.get(detail))
        assert "Disengagement" in html and "2 missed contacts in a row" in html
        assert "Next step – Phone the person" in html
        assert "Disengagement: next step — phone the person" in html  # and in What is due

    def test_an_appointment_already_recorded_goes_to_the_contact(
        self, coordinator_client, person, team, coordinator, make_appointment, make_contact
    ):
        appointment = make_appointment()
        contact = make_contact(appointment=appointment)
        response = coordinator_client.get(
            reverse("contacts:record_appointment", args=[person.pk, appointment.pk])
        )
        assert response.url == reverse("contacts:contact", args=[person.pk, contact.pk])

    def test_appointment_of_another_person_is_404(
        self, coordinator_client, team, coordinator, make_appointment
    ):
        someone_else = TeamRegistrationFactory(team=team).person
        appointment = make_appointment(person=someone_else)
        person = TeamRegistrationFactory(team=team).person
        url = reverse("contacts:record_appointment", args=[person.pk, appointment.pk])
        assert coordinator_client.get(url).status_code == 404

    def test_unplanned_contact(self, coordinator_client, person, team, coordinator):
        url = reverse("contacts:record_contact", args=[person.pk])
        assert "Record a contact" in page(coordinator_client.get(url))
        response = coordinator_client.post(
            url, contact_post(team, coordinator, mechanism="02", location_type="other")
        )
        assert response.status_code == 302
        assert person.contacts.get().mechanism == "02"


class TestContactsList:
    def test_newest_first_with_struck_through_entries(
        self, coordinator_client, person, coordinator, make_contact
    ):
        make_contact(date=TODAY - timedelta(days=9))
        make_contact(date=TODAY - timedelta(days=2), attendance=DNA)
        make_contact(
            date=TODAY - timedelta(days=1),
            is_current=False,
            entered_in_error_reason="Wrong person",
            entered_in_error_at="2026-11-24T10:00:00Z",
            entered_in_error_by=coordinator,
        )
        html = page(coordinator_client.get(reverse("contacts:contacts", args=[person.pk])))
        assert html.index("23 Nov 2026") < html.index("22 Nov 2026") < html.index("15 Nov 2026")
        assert "Entered in error" in html and "<del>" in html

    def test_query_count_does_not_grow(
        self, coordinator_client, person, team, coordinator, make_contact, django_assert_max_num_queries
    ):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        from waypoint.contacts.factories import IndirectActivityFactory

        make_contact()
        IndirectActivityFactory(person=person, team=team, recorded_by=coordinator)
        url = reverse("contacts:contacts", args=[person.pk])
        with CaptureQueriesContext(connection) as one:
            page(coordinator_client.get(url))
        for i in range(20):
            make_contact(date=TODAY - timedelta(days=i), attendance=DNA if i % 3 else Attendance.ATTENDED)
            IndirectActivityFactory(person=person, team=team, recorded_by=coordinator)
        with django_assert_max_num_queries(len(one)):
            page(coordinator_client.get(url))

    def test_correct_a_contact(self, coordinator_client, person, team, coordinator, make_contact):
        original = make_contact()
        url = reverse("contacts:correct", args=[person.pk, original.pk])
        assert 'value="45"' in page(coordinator_client.get(url))
        response = coordinator_client.post(
            url, contact_post(team, coordinator, duration_minutes="20", reason="Was shorter")
        )
        assert response.status_code == 302
        correction = person.contacts.get(is_current=True)
        assert correction.corrects == original and correction.duration_minutes == 20
        html = page(coordinator_client.get(reverse("contacts:contact", args=[person.pk, original.pk])))
        assert "A later entry corrects this one" in html

    def test_a_stale_correction_is_refused_and_keeps_the_text(
        self, coordinator_client, person, team, coordinator, make_contact
    ):
        original = make_contact()
        url = reverse("contacts:correct", args=[person.pk, original.pk])
        Contact.objects.filter(pk=original.pk).update(is_current=False)  # someone else corrected it first
        html = page(coordinator_client.post(url, contact_post(team, coordinator, reason="My typed reason")))
        assert "Someone else corrected this contact" in html and "My typed reason" in html
        assert person.contacts.count() == 1

    def test_mark_entered_in_error(self, coordinator_client, person, make_contact):
        contact = make_contact()
        url = reverse("contacts:entered_in_error", args=[person.pk, contact.pk])
        assert "Error: " in page(coordinator_client.post(url, {"reason": ""})).split("</title>")[0]
        response = coordinator_client.post(url, {"reason": "Recorded against the wrong person"})
        assert response.status_code == 302
        contact.refresh_from_db()
        assert contact.entered_in_error and Contact.objects.filter(pk=contact.pk).exists()

    def test_record_indirect_activity(self, coordinator_client, person, team):
        url = reverse("contacts:record_indirect", args=[person.pk])
        response = coordinator_client.post(
            url,
            {
                "team": team.pk,
                "date_day": "24",
                "date_month": "11",
                "date_year": "2026",
                "contact_with": "Sam Officer",
                "organisation": "Testville Housing",
                "method": "telephone",
                "duration_minutes": "15",
                "summary": "Rent arrears (synthetic)",
            },
        )
        assert response.status_code == 302
        assert "Testville Housing" in page(
            coordinator_client.get(reverse("contacts:contacts", args=[person.pk]))
        )


class TestEngagementPages:
    def test_change_frequency_and_record_steps(self, coordinator_client, person, team, make_contact):
        make_contact(date=TODAY - timedelta(days=20))
        url = reverse("contacts:engagement", args=[person.pk])
        html = page(coordinator_client.get(url))
        assert "Every 4 weeks face to face (team default)" in html and "Next step" not in html
        response = coordinator_client.post(
            reverse("contacts:set_frequency", args=[person.pk]), {"team": team.pk, "every_days": "14"}
        )
        assert response.status_code == 302
        html = page(coordinator_client.get(url))
        assert (
            "Next step – Phone the person" in html
            and "No face-to-face contact for 20 days (expected every 2 weeks)" in html
        )
        step_url = reverse("contacts:record_step", args=[person.pk])
        assert 'value="1" checked' in page(coordinator_client.get(step_url))
        response = coordinator_client.post(
            step_url,
            {
                "step": "1",
                "taken_on_day": "24",
                "taken_on_month": "11",
                "taken_on_year": "2026",
                "outcome": "No answer",
            },
        )
        assert response.status_code == 302
        assert "Next step – Visit at home" in page(coordinator_client.get(url))
        assert AuditEvent.objects.filter(person=person, record_type="engagement", action=Action.VIEW).exists()


def test_outsider_cannot_open_contact_pages(outsider_client, person, coordinator, team):
    contact = ContactFactory(person=person, team=team, recorded_by=coordinator)
    for url in (
        reverse("contacts:contacts", args=[person.pk]),
        reverse("contacts:engagement", args=[person.pk]),
        reverse("contacts:contact", args=[person.pk, contact.pk]),
        reverse("contacts:book", args=[person.pk]),
    ):
        assert outsider_client.get(url).status_code == 404


def test_record_section_fixed_queries(
    coordinator_client, person, team, coordinator, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = reverse("patients:record_contacts", args=[person.pk])
    ContactFactory(person=person, team=team, recorded_by=coordinator)
    AppointmentFactory(person=person, team=team, booked_by=coordinator)
    with CaptureQueriesContext(connection) as one:
        page(coordinator_client.get(url))
    for i in range(10):
        ContactFactory(person=person, team=team, recorded_by=coordinator, date=TODAY - timedelta(days=i))
        AppointmentFactory(person=person, team=team, booked_by=coordinator, date=TODAY + timedelta(days=i))
    with django_assert_max_num_queries(len(one)):
        html = page(coordinator_client.get(url))
    assert "Contacts and engagement" in html


def test_mark_indirect_activity_entered_in_error(coordinator_client, person, team, coordinator):
    from waypoint.contacts.factories import IndirectActivityFactory

    activity = IndirectActivityFactory(person=person, team=team, recorded_by=coordinator)
    url = reverse("contacts:indirect_entered_in_error", args=[person.pk, activity.pk])
    assert "Why this indirect activity was entered in error" in page(coordinator_client.get(url))
    assert "<title>Error: " in page(coordinator_client.post(url, {"reason": ""}))
    assert coordinator_client.post(url, {"reason": "Wrong person"}).status_code == 302
    activity.refresh_from_db()
    assert activity.entered_in_error and activity.entered_in_error_by == coordinator
    html = page(coordinator_client.get(reverse("contacts:contacts", args=[person.pk])))
    assert "Entered in error" in html and "<del>" in html
    row = AuditEvent.objects.get(record_type="indirect_activity", action=Action.ENTERED_IN_ERROR)
    assert row.fields_changed == ["entered_in_error_reason"]


class TestProcedurePage:
    def test_members_see_the_default_and_cannot_change_it(self, coordinator_client, team):
        url = reverse("contacts:procedure")
        html = page(coordinator_client.get(url))
        assert "Steps (the default)" in html and "Visit at home" in html
        assert "Only the team manager can change the steps" in html
        refused = coordinator_client.post(url, {"team": team.pk, "steps": "Text them"})
        assert refused.status_code == 403  # the permission table's plain refusal, the steps typed kept
        body = refused.content.decode()
        assert "Your role does not allow you to set the team" in body and "Text them" in body

    def test_the_team_manager_changes_the_steps(self, client, team, person, make_contact):
        from waypoint.accounts.models import RoleCode
        from waypoint.contacts.engagement import engagement_for

        manager = make_staff(team=team, roles=[RoleCode.TEAM_MANAGER], username="manager.north")
        client.force_login(manager)
        url = reverse("contacts:procedure")
        html = page(client.post(url, {"team": team.pk, "steps": "  \n"}))
        assert "<title>Error: " in html and "Enter at least one step" in html
        response = client.post(url, {"team": team.pk, "steps": "Text the person\nVisit with a colleague\n"})
        assert response.status_code == 302
        make_contact(date=TODAY - timedelta(days=3), attendance=DNA)
        make_contact(date=TODAY - timedelta(days=2), attendance=DNA)
        assert engagement_for([person.pk], TODAY)[person.pk].next_step.title == "Text the person"
        client.post(url, {"team": team.pk, "steps": "Phone\n"})
        assert [s.title for s in engagement_for([person.pk], TODAY)[person.pk].procedure] == ["Phone"]
        assert AuditEvent.objects.filter(record_type="disengagement_procedure", user=manager).count() == 2

    def test_another_teams_procedure_is_404(self, coordinator_client, other_team):
        assert (
            coordinator_client.get(reverse("contacts:procedure") + f"?team={other_team.pk}").status_code
            == 404
        )


@pytest.mark.django_db
def test_far_away_dates_in_the_diary_and_clinic_list_are_not_a_server_error(coordinator_client):
    from django.urls import reverse

    assert coordinator_client.get(reverse("contacts:diary"), {"week": "9999-12-31"}).status_code == 200
    assert coordinator_client.get(reverse("contacts:clinic"), {"date": "0001-01-01"}).status_code == 200
