"""Issue 18, "the pages at 16:45", as a care coordinator sees them: a staff safety alert beside the
appointment in My diary and when booking a home visit alone (item 5); an appointment nobody wrote
up marked in the diary and on My caseload, and booking in the past asked to confirm (item 9); a
missing risk formulation or safety plan "Overdue" once 14 days have passed since allocation
(item 6); the referral's clock in working days (item 8)."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from tests.browser.conftest import check, sign_in
from waypoint.contacts.factories import AppointmentFactory
from waypoint.episodes.models import Allocation, AllocationKind
from waypoint.patients.factories import AlertFactory, PersonFactory, TeamRegistrationFactory
from waypoint.referrals.factories import ReferralFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_coordinator_at_1645(page, coordinator, team):
    now = timezone.now()
    yesterday = timezone.localdate() - timedelta(days=1)
    person = TeamRegistrationFactory(team=team, person=PersonFactory(family_name="Lonevisit")).person
    AlertFactory(person=person, created_by=coordinator, summary="Do not visit alone (synthetic)")
    Allocation.objects.create(
        person=person,
        team=team,
        worker=coordinator,
        kind=AllocationKind.CARE_COORDINATOR,
        allocated_by=coordinator,
        started_at=now - timedelta(days=20),
    )
    AppointmentFactory(person=person, team=team, booked_by=coordinator, date=yesterday, start_time="10:00")
    referral = ReferralFactory(
        team=team, person=person, recorded_by=coordinator, received_at=now - timedelta(days=10)
    )

    page.set_default_navigation_timeout(60_000)  # the first page of a run can be slow on a busy machine
    sign_in(page, "cc.north")
    page.goto(page.base_url + f"/diary/?week={yesterday.isoformat()}")
    page.get_by_role("heading", name="My diary").wait_for()
    entry = page.locator("li", has_text="LONEVISIT")
    entry.get_by_text("Do not visit alone (synthetic)").wait_for()
    entry.get_by_text("Not written up").wait_for()
    check(page, "diary-alert-and-not-written-up")

    page.goto(page.base_url + "/caseload/")
    row = page.locator("tr", has_text="LONEVISIT")
    row.get_by_text(re.compile(r"Appointment on .* at 10:00 not written up")).wait_for()
    row.get_by_text("No risk formulation (overdue)").wait_for()
    check(page, "caseload-overdue-safety-items")

    page.goto(page.base_url + f"/people/{person.pk}/appointments/new/")
    page.get_by_role("heading", name="Book an appointment").wait_for()
    page.get_by_text("Do not visit alone (synthetic)").first.wait_for()  # in the record banner
    day = yesterday
    page.get_by_label("Day").fill(str(day.day))
    page.get_by_label("Month").fill(str(day.month))
    page.get_by_label("Year").fill(str(day.year))
    page.get_by_label("Start time").fill("15:00")
    page.get_by_label("Face to face").check()
    page.get_by_label("Person's home").check()
    page.get_by_label("Purpose").fill("Home visit (synthetic)")
    page.get_by_role("button", name="Book appointment").click()
    page.get_by_text("There is a problem").wait_for()
    page.get_by_text(re.compile(r"This appointment is in the past")).first.wait_for()
    page.get_by_text(re.compile(r"Staff safety alert: Do not visit alone")).first.wait_for()
    assert page.get_by_label("Purpose").input_value() == "Home visit (synthetic)"  # nothing typed lost
    check(page, "book-asks-to-confirm")
    page.get_by_label("Yes, book this appointment in the past").check()
    page.get_by_label("Yes, book this home visit with one member of staff").check()
    page.get_by_role("button", name="Book appointment").click()
    page.get_by_text(re.compile(r"Appointment booked for")).wait_for()

    page.goto(page.base_url + f"/referrals/{referral.pk}/")
    waited = page.locator(".nhsuk-summary-list__row", has_text="Waited")
    assert re.search(r"\(\d+ working days?( \d+ hours?)?\)", waited.inner_text())
    assert "of working time" not in page.content()
    check(page, "referral-clock-in-working-days")
