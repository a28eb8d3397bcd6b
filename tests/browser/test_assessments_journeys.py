"""A care coordinator completes a holistic needs assessment, then offers and completes a carer's assessment."""

import pytest

from tests.browser.conftest import check, sign_in
from waypoint.patients.factories import CarerFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DOMAINS = [
    "Mental health",
    "Physical health",
    "Medication",
    "Substance use",
    "Accommodation",
    "Finances and benefits",
    "Employment and education",
    "Relationships and family",
    "Daily living",
    "Culture, spirituality and identity",
    "Safety of children and dependants",
    "Carers",
]


def fill_date(page, legend, day, month, year):
    group = page.get_by_role("group", name=legend, exact=True)
    group.get_by_label("Day").fill(day)
    group.get_by_label("Month").fill(month)
    group.get_by_label("Year").fill(year)


def test_coordinator_completes_a_holistic_needs_assessment_and_a_carers_assessment(page, coordinator, person):
    CarerFactory(person=person, name="Synthetic Sister", relationship="Sister")
    sign_in(page, "cc.north")
    page.goto(f"{page.base_url}/people/{person.pk}/record/assessments/")
    page.get_by_role("heading", level=2, name="Assessments").wait_for()
    check(page, "record")

    page.get_by_role("link", name="Start a holistic needs assessment").click()
    page.get_by_role("heading", name="New holistic needs assessment").wait_for()
    check(page, "new-holistic-needs")
    mental_health = page.get_by_role("group", name="Mental health", exact=True)
    mental_health.get_by_label("What the person says").fill("Mood has been low since the summer (synthetic)")
    page.get_by_role("button", name="Save draft").click()
    page.get_by_text("There is a problem").wait_for()
    check(page, "holistic-needs-error")
    assert page.title().startswith("Error: ")
    assert page.locator("#id_assessed_on-error").inner_text().endswith("Enter the date of assessment")
    assert mental_health.get_by_label("What the person says").input_value() == (
        "Mood has been low since the summer (synthetic)"
    )

    fill_date(page, "Date of assessment", "3", "11", "2026")
    for domain in DOMAINS:
        group = page.get_by_role("group", name=domain, exact=True)
        group.get_by_label("Yes" if domain == "Mental health" else "No", exact=True).check()
    mental_health.get_by_label("Notes").fill("Agreed to look at a care plan for mood (synthetic)")
    page.get_by_role("button", name="Complete and sign off").click()
    page.get_by_text("Holistic needs assessment completed", exact=True).wait_for()
    assert page.get_by_text("Completed and signed off").is_visible()
    assert page.get_by_text("Needs identified: Mental health.").is_visible()
    check(page, "holistic-needs-completed")

    page.get_by_role("link", name="All assessments").first.click()
    page.get_by_role("heading", name="Assessments", exact=True).wait_for()
    check(page, "list")

    page.goto(f"{page.base_url}/people/{person.pk}/record/assessments/")
    page.get_by_role("link", name="Offer a carer's assessment to Synthetic Sister").click()
    page.get_by_role("heading", name="New carer's assessment").wait_for()
    check(page, "new-carers-assessment")
    fill_date(page, "Date the assessment was offered", "1", "11", "2026")
    page.get_by_label("Accepted", exact=True).check()
    page.get_by_role("button", name="Save draft").click()
    page.get_by_text("Draft saved").wait_for()
    check(page, "carers-assessment-offered")

    page.get_by_role("button", name="Continue this draft").click()
    fill_date(page, "Date of assessment", "10", "11", "2026")
    page.get_by_label("Is the carer able to care, now and in future?").fill(
        "Yes, with a break each week (synthetic)"
    )
    page.get_by_label("Is the carer willing to care, now and in future?").fill("Yes (synthetic)")
    page.get_by_label("Impact of caring on the carer's wellbeing").fill(
        "Tired; missing her evening class (synthetic)"
    )
    page.get_by_label("Engaging in recreational activities").check()
    page.get_by_label("What the carer wants to achieve").fill("Get back to her evening class (synthetic)")
    page.get_by_label("Eligible for support", exact=True).check()
    page.get_by_label("Reasons for the decision").fill("Cannot achieve two outcomes (synthetic)")
    page.get_by_label("Support plan or signposting").fill(
        "Carers' centre and a weekly sitting service (synthetic)"
    )
    fill_date(page, "Review date", "10", "11", "2027")
    page.get_by_role("button", name="Complete and sign off").click()
    page.get_by_text("Carer's assessment completed", exact=True).wait_for()
    check(page, "carers-assessment-completed")

    page.goto(f"{page.base_url}/people/{person.pk}/record/assessments/")
    section = page.get_by_role("region", name="Assessments")
    assert section.get_by_text("Completed 10 November 2026").is_visible()
    check(page, "record-after")


def test_coordinator_records_a_capacity_assessment_and_reads_a_version(page, coordinator, person):
    sign_in(page, "cc.north")
    page.goto(f"{page.base_url}/people/{person.pk}/assessments/")
    check(page, "list-empty")
    page.get_by_role("link", name="Initial assessment").click()
    page.get_by_role("heading", name="New initial assessment").wait_for()
    check(page, "new-initial")
    page.go_back()
    page.get_by_role("link", name="Mental capacity assessment").click()
    check(page, "new-capacity")
    fill_date(page, "Date of assessment", "3", "11", "2026")
    page.get_by_label("The specific decision").fill("Whether to manage their own money for now (synthetic)")
    page.get_by_label("Practicable steps taken to help the person make the decision").fill(
        "Two visits (synthetic)"
    )
    page.get_by_role("group", name="Stage 1: impairment").get_by_label("Yes", exact=True).check()
    page.get_by_label("Evidence about the impairment").fill("Severe depression (synthetic)")
    for item in ("Understand", "Retain", "Use or weigh", "Communicate"):
        group = page.get_by_role("group", name=item)
        group.get_by_label("Unable" if item == "Retain" else "Able", exact=True).check()
    page.get_by_role("button", name="Save draft").click()
    page.get_by_text("Draft saved").wait_for()
    check(page, "capacity-draft")
    page.get_by_role("button", name="Continue this draft").click()
    page.get_by_role("button", name="Complete and sign off").click()
    page.get_by_text("There is a problem").wait_for()
    check(page, "capacity-errors")
    page.get_by_label("Yes", exact=True).last.check()
    for doing in ("understanding", "retaining", "using or weighing", "communicating"):
        page.get_by_label(f"Evidence about {doing}").fill("Seen on two visits (synthetic)")
    page.get_by_role("button", name="Complete and sign off").click()
    page.get_by_text("Mental capacity assessment completed", exact=True).wait_for()
    assert page.get_by_text("Lacks capacity to make this decision").first.is_visible()
    check(page, "capacity-completed")
    page.get_by_role("link", name="Version 1").click()
    page.get_by_role("heading", name="Mental capacity assessment, version 1").wait_for()
    check(page, "capacity-version-1")
