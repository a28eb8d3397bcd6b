"""Sign in, find and open a record, access denied, register, break-glass, privacy review."""

import re

import pytest
from django.test import Client
from playwright.sync_api import expect

from tests.browser.conftest import check, sign_in, sign_out
from waypoint.access.actor import Actor
from waypoint.patients.factories import AlertFactory, CarerFactory, TeamRegistrationFactory
from waypoint.patients.nhs_number import format_nhs_number

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REASON = "Phoned the duty line in crisis (synthetic)"
CSV_HEADER = "When (UK time),Staff,Username,Action,Record type,Record ID,Basis,Break-glass reason"


@pytest.fixture
def known_person(team, coordinator):
    person = TeamRegistrationFactory(team=team).person
    person.given_name, person.family_name = "Ada", "Testperson"
    person.save()
    CarerFactory(
        person=person, name="Morgan Testcarer", relationship="Sister", consent_to_share="crisis_only"
    )
    AlertFactory(person=person, summary="Do not visit alone", created_by=coordinator)
    return person


def person_banner(page):
    return page.get_by_role("region", name="Person")


def test_coordinator_finds_and_opens_a_record(page, coordinator, known_person):
    sign_in(page, "cc.north")
    page.get_by_role("heading", name="Find a person").wait_for()
    expect(page.get_by_role("banner")).to_contain_text("Casey Coordinator – North CMHT")
    check(page, "search-empty")
    page.get_by_label("Name, NHS number or date of birth").fill("ada test")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("heading", name="1 person your team works with").wait_for()
    check(page, "search-results")
    page.get_by_role("link", name="TESTPERSON, Ada").click()
    banner = person_banner(page)
    expect(banner).to_contain_text("TESTPERSON, Ada")
    expect(banner).to_contain_text(format_nhs_number(known_person.nhs_number))
    expect(banner.get_by_text("Staff safety: Do not visit alone")).to_be_visible()
    check(page, "record")
    # Carers are on the record's "Personal details" tab; the banner and its alerts stay on top.
    page.get_by_role("navigation", name=re.compile("^Record of")).get_by_role(
        "link", name="Personal details", exact=True
    ).click()
    banner = page.get_by_role("region", name="Person", exact=True)
    expect(banner.get_by_text("Staff safety: Do not visit alone", exact=True)).to_be_visible()
    expect(page.get_by_text("Morgan Testcarer (Sister)")).to_be_visible()
    expect(page.get_by_text("Crisis plan and appointments only")).to_be_visible()
    check(page, "record-personal-details")
    sign_out(page)
    check(page, "signed-out")


def test_register_keeps_what_was_typed_on_error(page, coordinator):
    sign_in(page, "cc.north")
    page.get_by_role("link", name="Find a person").first.click()
    page.get_by_role("link", name="Register a new person").click()
    page.get_by_role("heading", name="Register a person").wait_for()
    check(page, "register")
    page.get_by_label("NHS number").fill("999 000 0019")  # fails the Modulus 11 check
    page.get_by_label("First name").fill("Keeping")
    page.get_by_label("Last name").fill("Mytext")
    page.get_by_role("button", name="Register person").click()
    summary = page.locator(".nhsuk-error-summary")
    expect(summary).to_contain_text("There is a problem")
    expect(summary.get_by_role("link", name="Enter the date of birth")).to_be_visible()
    assert page.title().startswith("Error:")
    expect(page.get_by_label("NHS number")).to_have_value("999 000 0019")
    expect(page.get_by_label("First name")).to_have_value("Keeping")
    expect(page.get_by_label("Last name")).to_have_value("Mytext")
    check(page, "register-errors")
    page.get_by_label("NHS number").fill("999 000 0018")
    page.get_by_label("Day").fill("3")
    page.get_by_label("Month").fill("4")
    page.get_by_label("Year").fill("1990")
    page.get_by_role("button", name="Register person").click()
    page.get_by_text("Keeping Mytext has been registered").wait_for()
    expect(person_banner(page)).to_contain_text("MYTEXT, Keeping")
    expect(person_banner(page)).to_contain_text("999 000 0018")
    check(page, "registered-record")


def test_another_team_cannot_open_the_record_but_can_break_glass(page, outsider, known_person):
    sign_in(page, "cc.south")
    response = page.goto(f"{page.base_url}/people/{known_person.pk}/")
    assert response.status == 404
    page.get_by_role("heading", name="Page not found").wait_for()
    check(page, "not-found")
    page.goto(page.base_url + "/people/")
    page.get_by_label("Name, NHS number or date of birth").fill(known_person.nhs_number)
    page.get_by_role("button", name="Search").click()
    page.get_by_role("heading", name="0 people your team works with").wait_for()
    page.get_by_role("link", name="trace the person").click()
    page.get_by_role("heading", name="Trace a person").wait_for()
    page.get_by_label("NHS number").fill(known_person.nhs_number)
    page.get_by_role("button", name="Trace").click()
    summary = page.locator(".nhsuk-error-summary")
    expect(summary.get_by_role("link", name="Enter why you need to trace this person")).to_be_visible()
    expect(page.get_by_label("NHS number")).to_have_value(known_person.nhs_number)
    check(page, "trace-errors")
    page.get_by_label("Why do you need to trace this person?").fill(REASON)
    page.get_by_role("button", name="Trace").click()
    page.get_by_role("heading", name="One person matches").wait_for()
    check(page, "trace-outside-team")
    page.get_by_role("link", name="Request emergency access").click()
    page.get_by_role("heading", name="Emergency access to a record").wait_for()
    expect(page.get_by_label("NHS number")).to_have_value(known_person.nhs_number)
    check(page, "break-glass")
    page.get_by_role("button", name="Open the record").click()
    summary = page.locator(".nhsuk-error-summary")
    expect(summary.get_by_role("link", name="Enter why you need to see this record")).to_be_visible()
    check(page, "break-glass-errors")
    page.get_by_label("Why do you need to see this record now?").fill(REASON)
    page.get_by_label("I understand that this access is recorded and will be reviewed").check()
    page.get_by_role("button", name="Open the record").click()
    banner = person_banner(page)
    expect(banner).to_contain_text("Emergency access.")
    expect(banner).to_contain_text("TESTPERSON, Ada")
    expect(banner.get_by_text("Staff safety: Do not visit alone")).to_be_visible()
    check(page, "break-glass-record")


def test_privacy_officer_reviews_break_glass_and_exports_history(
    page, outsider, privacy_officer, known_person
):
    from waypoint.access.services import start_break_glass

    start_break_glass(
        by=Actor(outsider, basis="break_glass", break_glass_reason=REASON), person=known_person, reason=REASON
    )
    outsider_client = Client()  # the outsider opens the record under break-glass (audited)
    outsider_client.force_login(outsider)
    assert outsider_client.get(f"/people/{known_person.pk}/").status_code == 200

    sign_in(page, "privacy")
    page.get_by_role("link", name="Break-glass reviews").first.click()
    page.get_by_text(REASON).wait_for()
    check(page, "break-glass-list")
    page.locator("table").get_by_role("link", name="Review").first.click()
    page.get_by_role("heading", name="Review break-glass use").wait_for()
    check(page, "break-glass-review")
    page.get_by_label("Review comment").fill("Appropriate: caller was in crisis")
    page.get_by_role("button", name="Mark as reviewed").click()
    page.get_by_text("Review recorded").wait_for()
    expect(page.get_by_role("heading", name="Awaiting review (0)")).to_be_visible()
    check(page, "break-glass-list-reviewed")

    page.get_by_role("link", name="Access history").first.click()
    page.get_by_role("heading", name="Who has viewed a record").wait_for()
    check(page, "access-history-find")
    page.get_by_label("Name, NHS number or date of birth").fill(known_person.nhs_number)
    page.get_by_role("button", name="Search").click()
    check(page, "access-history-search")
    page.get_by_role("link", name="TESTPERSON, Ada").click()
    page.get_by_role("heading", name="Who has viewed or changed this record").wait_for()
    view_row = page.get_by_role("row").filter(has_text="Viewed person")
    expect(view_row).to_contain_text("Oscar Outsider")
    expect(view_row).to_contain_text("Emergency access (break-glass)")
    expect(view_row).to_contain_text(f"Reason: {REASON}")
    check(page, "access-history")

    with page.expect_download() as download:
        page.get_by_role("link", name="Download as CSV").click()
    assert download.value.suggested_filename.startswith("access-history-")
    with open(download.value.path(), encoding="utf-8") as csv_file:
        lines = csv_file.read().splitlines()
    assert lines[0] == CSV_HEADER
    assert any("Viewed" in line and "cc.south" in line and REASON in line for line in lines[1:])
