"""A care coordinator's diary: record a home visit as attended and start a note about it, record another
as did not attend, see the alert."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from tests.browser.conftest import check, sign_in
from waypoint.contacts.factories import AppointmentFactory, ContactFactory
from waypoint.contacts.models import Attendance, LocationType
from waypoint.patients.factories import PersonFactory, TeamRegistrationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_coordinator_records_appointments_from_my_diary(page, coordinator, team):
    today = timezone.localdate()
    seen = TeamRegistrationFactory(team=team, person=PersonFactory(family_name="Homevisit")).person
    missing = TeamRegistrationFactory(team=team, person=PersonFactory(family_name="Notathome")).person
    ContactFactory(person=missing, team=team, recorded_by=coordinator, date=today - timedelta(days=14))
    ContactFactory(
        person=missing,
        team=team,
        recorded_by=coordinator,
        date=today - timedelta(days=7),
        attendance=Attendance.DID_NOT_ATTEND,
    )
    AppointmentFactory(person=seen, team=team, booked_by=coordinator, date=today, start_time="10:00")
    AppointmentFactory(person=missing, team=team, booked_by=coordinator, date=today, start_time="14:00")
    AppointmentFactory(
        person=seen,
        team=team,
        booked_by=coordinator,
        date=today,
        start_time="16:00",
        location_type=LocationType.CLINIC,
    )

    sign_in(page, "cc.north")
    page.goto(page.base_url + "/diary/")
    page.get_by_role("heading", name="My diary").wait_for()
    check(page, "diary")

    page.get_by_role("link", name=re.compile(r"Record what happened at 10:00")).click()
    page.get_by_role("heading", name="Record what happened").wait_for()
    check(page, "record-appointment")
    page.get_by_role("button", name="Save contact").click()
    page.get_by_text("There is a problem").wait_for()
    check(page, "record-appointment-errors")
    page.get_by_label("Attended", exact=True).check()
    assert page.get_by_label("Person's home").is_checked()
    assert page.get_by_label("Face to face").is_checked()
    page.get_by_label("Care coordination").check()
    page.get_by_role("button", name="Save contact").click()
    page.get_by_text("Contact recorded. You can now write a note about it.").wait_for()
    check(page, "record-after-attended")
    page.get_by_role("link", name="Write a note about this contact").click()
    assert page.get_by_label("Home visit").is_checked()  # face to face at home
    check(page, "note-about-contact")
    page.get_by_role("button", name="Start the note").click()
    page.get_by_role("heading", name="Draft note").wait_for()
    page.get_by_role("link", name=re.compile(r"the contact on ")).click()
    page.get_by_text("your draft, not signed yet").wait_for()
    page.goto(page.base_url + f"/people/{seen.pk}/")
    page.get_by_text("(0 days ago; 0 to 6 days)").wait_for()

    page.goto(page.base_url + "/diary/")
    page.get_by_role("link", name=re.compile(r"Record what happened at 14:00")).click()
    page.get_by_label("Did not attend").check()
    page.get_by_role("button", name="Save contact").click()
    page.get_by_text("Contact recorded: did not attend").wait_for()
    alert = page.locator("#disengagement-alert")
    alert.get_by_text("2 missed contacts in a row").wait_for()
    assert "Next step – Phone the person" in alert.inner_text()
    check(page, "record-disengaged")

    page.get_by_role("link", name="Record that you took this step").click()
    check(page, "record-step")
    page.get_by_label("What happened").fill("No answer; left a voicemail (synthetic)")
    page.get_by_role("button", name="Save step").click()
    page.get_by_text("Next step – Visit at home").wait_for()
    check(page, "engagement")
    page.get_by_role("link", name="North CMHT procedure").click()
    page.get_by_role("heading", name="Disengagement procedure").wait_for()
    check(page, "procedure")

    page.goto(page.base_url + f"/people/{missing.pk}/contacts/")
    page.get_by_role("heading", name="Contacts", exact=True).wait_for()
    check(page, "contacts")

    page.goto(page.base_url + "/clinics/")
    page.get_by_role("cell", name="16:00 (60 min)").wait_for()
    check(page, "clinic")


def test_coordinator_records_a_coded_intervention_from_a_contact(page, coordinator, team):
    """Part 4 of the 4-week clock: a coded intervention at an attended contact, a mistake beside
    the field first, then the Contacts tab lists it."""
    today = timezone.localdate()
    person = TeamRegistrationFactory(team=team, person=PersonFactory(family_name="Codedcbt")).person
    contact = ContactFactory(person=person, team=team, recorded_by=coordinator, date=today)

    sign_in(page, "cc.north")
    page.goto(page.base_url + f"/people/{person.pk}/contacts/{contact.pk}/")
    page.get_by_role("link", name="Record a coded intervention at this contact").click()
    page.get_by_role("heading", name="Record a coded intervention").wait_for()
    check(page, "coded-intervention")
    page.get_by_role("button", name="Save").click()
    page.get_by_text("There is a problem").wait_for()
    page.locator(".nhsuk-error-message", has_text="Choose the intervention delivered").wait_for()
    check(page, "coded-intervention-errors")
    page.get_by_label("Cognitive behavioural therapy").check()
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Coded intervention recorded").wait_for()
    page.get_by_role("heading", name="Coded interventions").wait_for()
    page.get_by_role("cell", name=re.compile("^Cognitive behavioural therapy")).wait_for()
    check(page, "contacts-coded-intervention")
