"""Plans: a care coordinator builds a care plan with the person, agrees it, shares it, prints the person's copy."""

import re

import pytest

from tests.browser.conftest import check, sign_in
from waypoint.accounts.factories import make_staff
from waypoint.accounts.models import RoleCode
from waypoint.patients.factories import CarerFactory, PersonFactory, TeamRegistrationFactory
from waypoint.plans.models import PlanRevision, PlanShare, RevisionStatus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_coordinator_builds_agrees_shares_and_prints_a_care_plan(page, coordinator, team):
    person = PersonFactory(given_name="Robin", family_name="Planperson", preferred_name="Rob")
    TeamRegistrationFactory(team=team, person=person)
    CarerFactory(person=person, name="Sam Planperson", relationship="Brother")
    make_staff(
        team=team,
        roles=[RoleCode.SUPPORT_WORKER],
        username="sw.north",
        first_name="Sunny",
        last_name="Support",
    )
    sign_in(page, "cc.north")
    page.goto(f"{page.base_url}/people/{person.pk}/")
    page.get_by_role("link", name="All plans, and start a plan").click()
    check(page, "plans")
    page.get_by_role("button", name="Start a care plan").click()
    check(page, "edit-care-plan")
    page.locator("#id_need_0_need").fill("Feeling cut off from people since the move (synthetic)")
    page.locator("#id_need_0_goal").fill("I want to have someone to talk to every week")
    page.locator("#id_need_0_int_0_what").fill("Go to the Tuesday walking group together")
    page.locator("#id_need_0_int_0_who").fill("Support worker")
    page.locator("#id_need_0_int_0_how_often").fill("Weekly for 6 weeks")
    page.locator("#id_review_on_day").fill("1")
    page.locator("#id_review_on_month").fill("3")
    page.locator("#id_review_on_year").fill("2099")
    page.get_by_role("button", name="Save draft").click()
    page.get_by_text("Draft saved").wait_for()
    check(page, "draft")
    page.get_by_role("link", name="Record agreement").click()
    check(page, "agree")
    page.get_by_label("Yes").check()
    page.get_by_label("Sam Planperson (Brother)").check()
    page.get_by_role("button", name="Record agreement").click()
    page.get_by_text("Agreement recorded").wait_for()
    check(page, "agreed")
    page.get_by_role("link", name="Record sharing").click()
    check(page, "share")
    page.get_by_label("Their GP").check()
    page.get_by_label("Secure email (for example NHSmail)").check()
    page.get_by_role("button", name="Record sharing").click()
    page.get_by_text("Sharing recorded").wait_for()
    check(page, "shared")
    page.get_by_role("link", name="Delegate Go to the Tuesday walking group together").click()
    page.get_by_role("heading", name="Delegate a task").wait_for()
    assert page.get_by_label("What needs doing").input_value() == "Go to the Tuesday walking group together"
    check(page, "delegate-from-plan")
    page.get_by_label(re.compile("Sunny Support")).check()
    page.get_by_label("Why").fill("Part of the care plan (synthetic)")
    page.locator("#id_due_on_day").fill("1")
    page.locator("#id_due_on_month").fill("3")
    page.locator("#id_due_on_year").fill("2099")
    page.get_by_role("button", name="Delegate task").click()
    page.get_by_text("Task given to Sunny Support").wait_for()
    page.get_by_role("link", name="Go to the Tuesday walking group together").first.click()
    page.get_by_text("From the care plan").wait_for()
    check(page, "task-from-plan")
    page.get_by_role("link", name="Go to the care plan").click()
    page.get_by_role("link", name='Print "My plan" for Rob').click()
    page.get_by_text("Dear Rob,").wait_for()
    check(page, "my-plan")
    page.emulate_media(media="print")
    assert not page.locator("header.nhsuk-header").is_visible()
    page.emulate_media(media="screen")
    page.get_by_role("link", name="Back to Robin Planperson's plans").click()
    page.get_by_role("link", name="Care plan").first.click()
    page.get_by_role("button", name="Change the plan (start revision 2)").click()
    page.get_by_text("Revision 2 started as a draft").wait_for()
    check(page, "revision-2")
    assert page.locator("#id_need_0_goal").input_value() == "I want to have someone to talk to every week"
    statuses = list(PlanRevision.objects.order_by("number").values_list("status", flat=True))
    assert statuses == [RevisionStatus.AGREED, RevisionStatus.DRAFT]
    assert PlanShare.objects.get().recipient == "gp"
