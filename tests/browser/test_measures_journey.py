"""A care coordinator records a PHQ-9 with the person, meets a mistake beside the field, sees the
safety prompt, records a review, reads the history chart and table, corrects a measure, and looks
at the team's list of people with no baseline measure."""

import datetime
import re

import pytest
from django.utils import timezone

from tests.browser.conftest import check, sign_in
from waypoint.episodes.factories import EpisodeFactory
from waypoint.measures.factories import MeasureFactory, phq9_answers

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHQ9_ANSWERS = [3, 2, 3, 2, 2, 2, 2, 1, 1]  # 18, with item 9 above 0


def item(page, number):
    return page.get_by_role("group", name=re.compile(rf"^{number}\. "))


def test_coordinator_records_and_follows_a_phq9(page, coordinator, person, team):
    EpisodeFactory(person=person, team=team, opened_by=coordinator)
    MeasureFactory(
        person=person,
        recorded_by=coordinator,
        answers=phq9_answers(20),
        completed_on=timezone.localdate() - datetime.timedelta(days=70),
    )
    sign_in(page, "cc.north")
    page.goto(f"{page.base_url}/people/{person.pk}/measures/")
    page.get_by_role("heading", name="Outcome measures", exact=True).wait_for()
    check(page, "list")

    page.get_by_role("link", name=f"Record PHQ-9 for {person.full_name}").click()
    page.get_by_role("heading", name="Record PHQ-9").wait_for()
    check(page, "new-phq9")
    page.get_by_role("group", name="When in the care is this?").get_by_label("Review", exact=True).check()
    page.get_by_role("group", name="Who completed it?").get_by_label("The person", exact=True).check()
    page.get_by_role("group", name="How was it completed?").get_by_label(
        "With the person, entered by staff", exact=True
    ).check()
    labels = ["0: Not at all", "1: Several days", "2: More than half the days", "3: Nearly every day"]
    for number, value in enumerate(PHQ9_ANSWERS[:-2], start=1):  # items 8 and 9 left out
        item(page, number).get_by_label(labels[value], exact=True).check()
    page.get_by_role("button", name="Save PHQ-9").click()
    page.get_by_text("There is a problem").wait_for()
    check(page, "new-phq9-error")
    assert page.title().startswith("Error: ")
    assert "Select an answer to question 8" in page.locator("#id_item_8-error").inner_text()
    assert item(page, 1).get_by_label(labels[3], exact=True).is_checked()  # kept

    for number in (8, 9):
        item(page, number).get_by_label(labels[PHQ9_ANSWERS[number - 1]], exact=True).check()
    page.get_by_role("button", name="Save PHQ-9").click()
    page.get_by_text("PHQ-9 recorded", exact=True).wait_for()
    assert page.get_by_role("heading", name="Talk about safety").is_visible()
    assert page.get_by_role("link", name="Review the risk formulation").is_visible()
    assert page.get_by_text("It is not a risk score").is_visible()
    check(page, "detail-safety-prompt")

    page.get_by_role("link", name="Back to the PHQ-9 history").click()
    page.get_by_role("heading", name="PHQ-9 history").wait_for()
    assert page.get_by_text("no reliable change").first.is_visible()
    assert page.locator("svg.waypoint-chart__svg").is_visible()
    check(page, "history")

    page.locator("table").last.get_by_role("link").last.click()
    page.get_by_role("button", name="Correct this measure").click()
    page.get_by_role("heading", name="Correct PHQ-9").wait_for()
    item(page, 1).get_by_label(labels[0], exact=True).check()
    item(page, 2).get_by_label(labels[0], exact=True).check()
    item(page, 3).get_by_label(labels[0], exact=True).check()
    page.get_by_label("Why is it being corrected?").fill("Questions 1 to 3 were entered wrongly (synthetic)")
    check(page, "correct")
    page.get_by_role("button", name="Save the corrected measure").click()
    page.get_by_text("PHQ-9 corrected", exact=True).wait_for()
    check(page, "corrected")
    page.get_by_role("link", name="Back to the PHQ-9 history").click()
    assert page.get_by_text("reliably improved").first.is_visible()
    check(page, "history-after-correction")

    other = EpisodeFactory(team=team, opened_by=coordinator).person
    page.goto(f"{page.base_url}/measures/team/no-baseline/")
    page.get_by_role("heading", name="No baseline outcome measure").wait_for()
    assert page.get_by_role("link", name=other.full_name, exact=True).is_visible()
    check(page, "team-no-baseline")


@pytest.fixture
def tablet(browser, live_server, request):
    """A tablet held upright (iPad-sized viewport, touch)."""
    context = browser.new_context(bypass_csp=True, viewport={"width": 810, "height": 1080}, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.base_url = live_server.url
    page.test_name = re.sub(r"[^a-z0-9_]+", "-", request.node.name.lower())
    yield page
    context.close()


def test_the_person_fills_in_a_phq9_on_a_tablet(tablet, coordinator, person, team):
    page = tablet
    EpisodeFactory(person=person, team=team, opened_by=coordinator)
    sign_in(page, "cc.north")
    page.goto(f"{page.base_url}/people/{person.pk}/measures/")
    page.get_by_role("link", name=re.compile("^Hand the tablet to the person")).click()
    page.get_by_role("heading", name="Hand the tablet to the person").wait_for()
    page.get_by_role("button", name="Hand over the device").click()
    page.get_by_text("There is a problem").wait_for()
    check(page, "self-start-error")
    page.get_by_label("Patient Health Questionnaire (PHQ-9)").check()
    page.get_by_label("Baseline (start of care)").check()
    check(page, "self-start")
    page.get_by_role("button", name="Hand over the device").click()

    page.get_by_text("Question 1 of 9").wait_for()
    assert person.family_name not in page.content()
    assert page.get_by_role("link", name="Find a person").count() == 0
    check(page, "self-question-1")
    page.get_by_role("button", name="Next question").tap()
    page.get_by_text("There is a problem").wait_for()
    check(page, "self-question-error")
    # The answer targets are large enough to tap (at least 44 by 44 CSS pixels).
    box = page.locator(".waypoint-self__answers .nhsuk-radios__item").first.bounding_box()
    assert box["height"] >= 44 and box["width"] >= 44
    for number, value in enumerate(PHQ9_ANSWERS[:-1], start=1):
        page.get_by_text(f"Question {number} of 9").wait_for()
        page.locator(".waypoint-self__answers .nhsuk-radios__label").nth(value).tap()
        page.get_by_role("button", name="Next question").tap()
    page.get_by_text("Question 9 of 9").wait_for()
    check(page, "self-question-9")
    page.get_by_label("Not at all").tap()
    page.get_by_role("button", name="Next: check and finish").tap()
    page.get_by_role("heading", name="You have answered the questions").wait_for()
    check(page, "self-finish")

    # The record cannot be reached while the person holds the device.
    page.goto(f"{page.base_url}/people/{person.pk}/")
    page.get_by_role("heading", name="You have answered the questions").wait_for()
    page.get_by_role("button", name="Finish").tap()
    page.get_by_role("heading", name="Thank you").wait_for()
    check(page, "self-thank-you")

    page.get_by_role("link", name="Staff: take the device back").tap()
    page.get_by_label("Your password").fill("wrong-password")
    page.get_by_role("button", name="Take the device back").tap()
    page.get_by_text("That is not your password").first.wait_for()
    check(page, "self-hand-back-error")
    page.get_by_label("Your password").fill("test-password-123")
    page.get_by_role("button", name="Take the device back").tap()
    page.get_by_text("PHQ-9 filled in by the person and recorded").wait_for()
    assert page.get_by_text("By the person on a tablet or phone").is_visible()
    check(page, "self-recorded")


def test_a_dialog_plus_session_puts_the_agreed_actions_into_the_care_plan(page, coordinator, person, team):
    EpisodeFactory(person=person, team=team, opened_by=coordinator)
    sign_in(page, "cc.north")
    page.goto(f"{page.base_url}/people/{person.pk}/measures/")
    page.get_by_role("link", name=re.compile("^Start a DIALOG\\+ session")).click()
    page.get_by_role("heading", name="Start a DIALOG+ session").wait_for()
    check(page, "dialog-plus-new")
    page.get_by_role("group", name="When in the care is this?").get_by_label("Review", exact=True).check()
    ratings = page.locator("input[type=radio][name^=item_][value='4']")
    for n in range(ratings.count()):
        ratings.nth(n).check()
    page.get_by_label("Accommodation", exact=True).check()
    page.get_by_label("Leisure activities", exact=True).check()
    page.get_by_role("button", name="Save the ratings and talk about these").click()
    page.get_by_role("heading", name=re.compile("^DIALOG\\+ session")).wait_for()
    check(page, "dialog-plus-four-steps")
    page.get_by_label("Understanding: accommodation").fill(
        "Damp flat; the landlord does not answer (synthetic)"
    )
    page.get_by_label("Looking forward: accommodation").fill("A dry flat where my son can stay")
    page.get_by_label("Exploring options: accommodation").fill("Housing officer, tenancy support")
    what = page.get_by_role("group", name="Action 1 for accommodation")
    what.get_by_label("What will be done").fill("Write to the housing officer about the damp")
    what.get_by_label("Who will do it").fill("Casey, care coordinator")
    page.get_by_label("Add the agreed actions to the person's care plan").check()
    page.get_by_role("button", name="Record the DIALOG+ session").click()
    page.get_by_text("There is a problem").wait_for()
    check(page, "dialog-plus-error")
    assert (
        page.get_by_label("Looking forward: accommodation").input_value()
        == "A dry flat where my son can stay"
    )
    page.get_by_role("group", name="Action 1 for accommodation").get_by_label("How often or by when").fill(
        "By next Friday"
    )
    page.get_by_role("button", name="Record the DIALOG+ session").click()
    page.get_by_text("DIALOG+ session recorded").wait_for()
    check(page, "dialog-plus-recorded")
    page.get_by_role("link", name="open the care plan draft").click()
    page.get_by_text("A dry flat where my son can stay").first.wait_for()
    assert page.get_by_text("Write to the housing officer about the damp").first.is_visible()
    check(page, "dialog-plus-care-plan")


def test_the_team_sets_keyworker_and_reads_its_4_week_clock(page, person, team, coordinator):
    from waypoint.accounts.factories import make_staff
    from waypoint.accounts.models import RoleCode
    from waypoint.referrals.factories import ReferralFactory
    from waypoint.referrals.models import Decision, Status

    make_staff(team=team, roles=[RoleCode.TEAM_MANAGER], username="manager.north", first_name="Mo")
    ReferralFactory(
        person=person,
        team=team,
        recorded_by=coordinator,
        status=Status.WAITING,
        decision=Decision.ACCEPT,
        received_at=timezone.now() - datetime.timedelta(days=10),
    )
    MeasureFactory(person=person, recorded_by=coordinator, completed_on=timezone.localdate())
    sign_in(page, "manager.north")
    page.goto(f"{page.base_url}/measures/team/settings/")
    page.get_by_role("heading", name="Care approach and measure windows").wait_for()
    page.get_by_label(re.compile("Community Mental Health Framework: the named worker")).check()
    page.get_by_label("Show a measure on the worklist this many days before it is due").fill("forty")
    page.get_by_role("button", name="Save").click()
    page.get_by_text("There is a problem").wait_for()
    check(page, "team-settings-error")
    page.get_by_label("Show a measure on the worklist this many days before it is due").fill("21")
    page.get_by_role("button", name="Save").click()
    page.get_by_text("care approach and measure windows saved").wait_for()
    check(page, "team-settings")
    page.goto(f"{page.base_url}/caseload/team/")
    page.get_by_text("Each keyworker's caseload").wait_for()
    page.goto(f"{page.base_url}/referrals/waiting-list/")
    assert page.get_by_text("Done: first baseline outcome measure").first.is_visible()
    check(page, "waiting-list-parts")
    page.get_by_role("link", name=re.compile("4-week clock figures")).click()
    page.get_by_role("heading", name="4-week clock").wait_for()
    assert page.get_by_text("1 of 4 done").first.is_visible()
    check(page, "team-four-week")
