"""The duty worker's day: the board, log a call, record a crisis response, close it, hand over; the rota."""

import pytest

from tests.browser.conftest import check, sign_in
from waypoint.accounts.factories import make_staff
from waypoint.accounts.models import RoleCode
from waypoint.patients.factories import PersonFactory
from waypoint.referrals.factories import ReferralFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_duty_worker_logs_a_call_responds_and_hands_over(page, coordinator, team, person):
    ReferralFactory(team=team, person=PersonFactory(family_name="Waitingtriage"))
    sign_in(page, "cc.north")
    page.get_by_role("link", name="Duty", exact=True).first.click()
    page.get_by_role("heading", name="Duty board").wait_for()
    check(page, "board")
    page.get_by_role("button", name="Log a call").click()
    page.get_by_role("button", name="Log call").click()
    page.get_by_text("There is a problem").wait_for()
    check(page, "log-call-errors")
    page.get_by_label("Carer or relative").check()
    page.get_by_label("Caller's name").fill("Synthetic Sister")
    page.get_by_label("NHS number of the person the call is about (if known)").fill(person.nhs_number)
    page.get_by_label("What was asked").fill("Brother not answering his phone for two days (synthetic)")
    page.get_by_role("button", name="Log call").click()
    page.get_by_text("Call logged").wait_for()
    check(page, "enquiry")
    page.get_by_label("This is a crisis").check()
    page.get_by_label("What happened").fill("Found distressed at home by the police (synthetic)")
    page.get_by_label("Crisis team").check()
    page.get_by_label("Conveyed by").fill("Police (synthetic)")
    page.get_by_label("Conveyed to (urgent appointment: where)").fill("Urgent assessment, Testville hospital")
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Enquiry updated").wait_for()
    # The call is a log (issue 18, item 10): each entry is added with its time, never written over.
    page.get_by_label("Action taken").fill("Rang the crisis team (synthetic)")
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Enquiry updated").wait_for()
    log = page.locator("table", has_text="What happened (crisis)")
    log.get_by_text("Found distressed at home by the police (synthetic)").wait_for()
    log.get_by_text("Rang the crisis team (synthetic)").wait_for()
    assert page.get_by_label("Action taken").input_value() == ""
    check(page, "enquiry-log")
    page.get_by_role("link", name="Back to the duty board").click()
    page.get_by_text("Crisis").first.wait_for()
    check(page, "board-with-crisis")
    page.get_by_role("button", name="Hand over").click()
    page.get_by_text("Still open: 1 enquiry").wait_for()
    check(page, "handover")
    page.get_by_label("Handover note for tomorrow's duty worker").fill(
        "Crisis call still open: check with the crisis team at 09:00 (synthetic)"
    )
    page.get_by_role("button", name="Save handover").click()
    page.get_by_text("Handover saved").wait_for()
    assert page.get_by_text("WAITINGTRIAGE").is_visible()
    check(page, "board-after-handover")


def test_manager_sets_the_duty_rota(page, coordinator, team):
    make_staff(
        team=team,
        roles=[RoleCode.TEAM_MANAGER],
        username="manager.north",
        first_name="Mo",
        last_name="Manager",
    )
    sign_in(page, "manager.north")
    page.goto(page.base_url + "/duty/rota/")
    check(page, "rota")
    # "Change duty for <day>", not the header's "Change password" (a substring match found that first).
    page.get_by_role("link", name="Change duty for").first.click()
    check(page, "rota-day")
    page.get_by_label("Duty worker").select_option(label="Casey Coordinator")
    page.get_by_label("Back-up").select_option(label="Mo Manager")
    page.get_by_role("button", name="Save").click()
    page.get_by_text("saved").first.wait_for()
    check(page, "rota-saved")
