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
