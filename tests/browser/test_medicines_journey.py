"""Medicines: a nurse runs the depot clinic on a phone-sized screen (375 px wide) and records an
injection (an expired batch is refused first); a care coordinator records a physical health check
(a blood pressure of 1200/80 is refused beside the field), records the action on a flag, and looks
at the trend charts. axe on every page; screenshots in var/screenshots/."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from tests.browser.conftest import check, sign_in
from waypoint.episodes.models import Allocation
from waypoint.medicines.factories import AdministrationFactory, DepotFactory
from waypoint.medicines.models import DepotAdministration, PhysicalHealthCheck
from waypoint.patients.factories import PersonFactory, TeamRegistrationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def on_caseload(coordinator, team, family_name):
    person = TeamRegistrationFactory(team=team, person=PersonFactory(family_name=family_name)).person
    Allocation.objects.create(
        person=person,
        team=team,
        worker=coordinator,
        kind="care_coordinator",
        started_at=timezone.now() - timedelta(days=60),
        allocated_by=coordinator,
    )
    return person


@pytest.fixture
def phone(browser, live_server, request):
    context = browser.new_context(bypass_csp=True, viewport={"width": 375, "height": 812}, is_mobile=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.base_url = live_server.url
    page.test_name = re.sub(r"[^a-z0-9_]+", "-", request.node.name.lower())
    yield page
    context.close()


def fits_the_screen(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= 375 + 1, "the page scrolls sideways"


def test_nurse_runs_the_depot_clinic_on_a_phone(phone, coordinator, team):
    due = on_caseload(coordinator, team, "Duetoday")
    late = on_caseload(coordinator, team, "Latedose")
    depot = DepotFactory(person=due, team=team, interval_days=28, recorded_by=coordinator)
    AdministrationFactory(
        prescription=depot, at=timezone.now() - timedelta(days=28), site="deltoid", side="left"
    )
    late_depot = DepotFactory(person=late, team=team, interval_days=14, recorded_by=coordinator)
    AdministrationFactory(prescription=late_depot, at=timezone.now() - timedelta(days=25))

    sign_in(phone, "cc.north")
    phone.goto(phone.base_url + "/depot-clinic/")
    phone.get_by_role("heading", name=re.compile("^Depot clinic")).wait_for()
    phone.get_by_text("Late: 11 days past due").wait_for()
    fits_the_screen(phone)
    check(phone, "clinic-phone")

    phone.get_by_role("link", name=re.compile("Record injection for DUETODAY")).click()
    phone.get_by_text("Suggested site: Deltoid, right").wait_for()
    fits_the_screen(phone)
    check(phone, "give-phone")
    phone.get_by_label("Batch number").fill("SYN4455")
    yesterday = timezone.localdate() - timedelta(days=1)
    expiry = phone.get_by_role("group", name="Batch expiry date")
    expiry.get_by_label("Day").fill(str(yesterday.day))
    expiry.get_by_label("Month").fill(str(yesterday.month))
    expiry.get_by_label("Year").fill(str(yesterday.year))
    phone.get_by_label("The person gave consent to this injection").check()
    phone.get_by_label("Side-effect check").fill("No stiffness or restlessness (synthetic)")
    phone.get_by_role("button", name="Save injection").click()
    phone.get_by_text("There is a problem").wait_for()
    phone.get_by_text("do not give it", exact=False).first.wait_for()
    assert phone.get_by_label("Batch number").input_value() == "SYN4455"
    fits_the_screen(phone)
    check(phone, "give-expired-batch-phone")
    assert DepotAdministration.objects.count() == 2

    in_date = timezone.localdate() + timedelta(days=200)
    expiry.get_by_label("Day").fill(str(in_date.day))
    expiry.get_by_label("Month").fill(str(in_date.month))
    expiry.get_by_label("Year").fill(str(in_date.year))
    phone.get_by_role("button", name="Save injection").click()
    phone.get_by_text("recorded", exact=False).first.wait_for()
    phone.get_by_text("This record cannot be changed").wait_for()
    fits_the_screen(phone)
    check(phone, "administration-phone")
    given = DepotAdministration.objects.order_by("-pk").first()
    assert (given.site, given.side, given.batch_number) == ("deltoid", "right", "SYN4455")

    phone.get_by_role("link", name="Depot clinic").click()
    phone.get_by_role("heading", name=re.compile("^Depot clinic")).wait_for()
    check(phone, "clinic-after-phone")


def test_coordinator_records_a_physical_health_check(page, coordinator, team):
    person = on_caseload(coordinator, team, "Healthcheck")
    sign_in(page, "cc.north")
    page.goto(page.base_url + f"/people/{person.pk}/record/medicines/")
    page.get_by_role("heading", name="Physical health").wait_for()
    page.get_by_text("Allergies not recorded").first.wait_for()
    check(page, "medicines-tab")
    page.get_by_role("link", name="Record a physical health check").click()
    page.get_by_role("heading", name="Record a physical health check").wait_for()
    check(page, "check-form")
    page.get_by_label("Systolic (top number)").fill("1200")
    page.get_by_label("Diastolic (bottom number)").fill("80")
    page.get_by_label("Weight (kg)").fill("96.2")
    page.get_by_label("Smoking status").select_option("smoker")
    page.get_by_role("button", name="Save check").click()
    page.get_by_text("Systolic must be between 50 and 300").first.wait_for()
    assert page.get_by_label("Weight (kg)").input_value() == "96.2"
    check(page, "check-form-errors")
    page.get_by_label("Systolic (top number)").fill("152")
    page.get_by_label("Diastolic (bottom number)").fill("94")
    page.get_by_label("Height (cm)").fill("178")
    page.get_by_label("HbA1c (mmol/mol)").fill("39")
    page.get_by_label("Total cholesterol (mmol/L)").fill("5.2")
    page.get_by_label("Alcohol (units a week)").fill("14")
    page.get_by_role("button", name="Save check").click()
    page.get_by_role("heading", name="Results outside the healthy range").wait_for()
    check(page, "check-with-flags")
    assert PhysicalHealthCheck.objects.get().flags.count() == 3  # BMI 30.4, BP, smoker
    page.get_by_role("link", name="Record the action for Smokes").click()
    page.get_by_label("Referred to stop smoking service").check()
    page.get_by_role("button", name="Save action").click()
    page.get_by_text("Action recorded", exact=True).wait_for()
    page.get_by_text("No action recorded").first.wait_for()  # the other flags stay visible
    check(page, "check-after-action")
    page.goto(page.base_url + f"/people/{person.pk}/medicines/physical-health/trends/")
    page.get_by_role("heading", name="Physical health over time").wait_for()
    check(page, "trends")
    page.goto(page.base_url + "/physical-health/team/")
    page.get_by_role("heading", name=re.compile("Physical health checks")).wait_for()
    check(page, "team-figures")
