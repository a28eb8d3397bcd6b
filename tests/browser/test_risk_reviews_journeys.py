"""A care coordinator writes a risk formulation, revises it and reads the history; then plans and
records a CPA review with attendees. axe on every page."""

import pytest
from django.utils import timezone

from tests.browser.conftest import check, sign_in
from waypoint.patients.factories import CarerFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_coordinator_writes_and_revises_a_risk_formulation(page, coordinator, person):
    sign_in(page, "cc.north")
    page.goto(f"{page.base_url}/people/{person.pk}/")
    page.get_by_role("heading", name="Risk formulation").wait_for()
    check(page, "record-without-formulation")
    page.get_by_role("link", name="Write a risk formulation").click()
    page.get_by_role("heading", name="Write a risk formulation").wait_for()
    check(page, "write")
    page.get_by_label("History").fill("Overdose in 2019 after losing his job (synthetic)")
    page.get_by_role("button", name="Save risk formulation").click()
    page.get_by_text("There is a problem").wait_for()
    check(page, "write-errors")
    page.get_by_label("Risk to self").fill("Thoughts of ending his life when drinking (synthetic)")
    page.get_by_label("Risk to others").fill("None identified")
    page.get_by_label("Triggers").fill("Money worries, drinking alone (synthetic)")
    page.get_by_label("Protective factors").fill("His daughter; his allotment (synthetic)")
    page.get_by_label("What helps").fill("Talking to his sister (synthetic)")
    page.get_by_label("Management plan").fill("Weekly visits; safety plan reviewed (synthetic)")
    review = timezone.localdate().replace(year=timezone.localdate().year + 1)
    page.get_by_label("Day").fill(str(review.day))
    page.get_by_label("Month").fill(str(review.month))
    page.get_by_label("Year").fill(str(review.year))
    page.get_by_role("button", name="Save risk formulation").click()
    page.get_by_text("Risk formulation saved (revision 1)").wait_for()
    check(page, "current")
    page.get_by_role("button", name="Revise this formulation").click()
    page.get_by_text("You are writing revision 2").wait_for()
    page.get_by_label("Triggers").fill("Money worries, drinking alone, the anniversary in March (synthetic)")
    page.get_by_role("button", name="Save risk formulation").click()
    page.get_by_text("Risk formulation saved (revision 2)").wait_for()
    page.get_by_role("link", name="See every revision").click()
    page.get_by_role("heading", name="Risk formulation history").wait_for()
    assert page.get_by_role("cell", name="Triggers", exact=True).is_visible()
    check(page, "history")
    page.get_by_role("link", name="Revision 1").click()
    page.get_by_text("This is not the current formulation").wait_for()
    assert page.get_by_text("the anniversary in March").count() == 0
    check(page, "revision-1")
    page.get_by_role("link", name="Back to the record").click()
    page.get_by_text("His daughter; his allotment (synthetic)").wait_for()
    check(page, "record-with-formulation")


def test_coordinator_plans_and_records_a_cpa_review(page, coordinator, person):
    CarerFactory(person=person, name="Synthetic Sister", relationship="Sister")
    today = timezone.localdate()
    sign_in(page, "cc.north")
    page.goto(f"{page.base_url}/people/{person.pk}/record/plans/")
    page.get_by_role("link", name="Plan a review").click()
    page.get_by_role("heading", name="Plan a review").wait_for()
    check(page, "plan")
    page.get_by_label("CPA review").check()
    page.get_by_label("Day").fill(str(today.day))
    page.get_by_label("Month").fill(str(today.month))
    page.get_by_label("Year").fill(str(today.year))
    page.get_by_role("button", name="Plan review").click()
    page.get_by_text("CPA review planned for").wait_for()
    check(page, "planned")
    page.get_by_role("button", name="Record this review").click()
    page.get_by_role("heading", name="Record the CPA review").wait_for()
    check(page, "record-form")
    page.get_by_label("Yes").check()
    page.get_by_label("Synthetic Sister (Sister)").check()
    page.get_by_label("Anyone else who attended").fill("Advocate (synthetic)")
    page.get_by_label("What has changed since the last review").fill("Back at college (synthetic)")
    page.get_by_label("Outcome", exact=True).fill(
        "Stay on CPA; crisis plan shared with his sister (synthetic)"
    )
    page.get_by_role("button", name="Save review").click()
    page.get_by_text("CPA review recorded").wait_for()
    assert page.get_by_text("Synthetic Sister (Sister)").is_visible()
    check(page, "recorded")
    page.get_by_label("Addendum").fill("His GP also sent apologies (synthetic)")
    page.get_by_role("button", name="Add addendum").click()
    page.get_by_text("Addendum added").wait_for()
    page.get_by_role("link", name="Back to reviews").click()
    page.get_by_role("heading", name="Care plan and CPA reviews").wait_for()
    check(page, "list")
    page.get_by_role("button", name="Record a review that has been held").click()
    page.get_by_role("heading", name="Record a review that has been held").wait_for()
    check(page, "record-unplanned")
