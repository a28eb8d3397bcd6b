"""Issue 13 in the browser: a care coordinator records a child in the household, raises a
safeguarding concern about them and records the
referral; the team manager sees it on the team's list and reviews a moderate-harm incident with the
duty of candour, with an action that becomes the coordinator's task, closes it and corrects it by
addendum; the chair runs the MDT agenda (with a discharge planned for next week) and records a
discussion that allocates a care coordinator and plans a discharge. axe on every page."""

import datetime

import pytest
from django.utils import timezone

from tests.browser.conftest import check, sign_in, sign_out
from waypoint.accounts.factories import make_staff
from waypoint.accounts.models import RoleCode
from waypoint.episodes.factories import EpisodeFactory
from waypoint.meetings.factories import MeetingFactory
from waypoint.patients.factories import TeamRegistrationFactory
from waypoint.reviews.factories import ReviewFactory
from waypoint.safeguarding.models import Concern

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _fill_date(page, prefix, day):
    page.locator(f"#id_{prefix}_day").fill(str(day.day))
    page.locator(f"#id_{prefix}_month").fill(str(day.month))
    page.locator(f"#id_{prefix}_year").fill(str(day.year))


def test_concern_raised_referred_and_seen_by_the_manager(page, coordinator, person, team):
    make_staff(
        team=team, roles=[RoleCode.TEAM_MANAGER], username="tm.north", first_name="Mo", last_name="Manager"
    )
    sign_in(page, "cc.north")
    page.goto(f"{page.base_url}/people/{person.pk}/household/")
    page.get_by_role("button", name="Add a child or dependant").click()
    page.get_by_label("Name", exact=True).fill("Synthetic Son")
    page.get_by_label("Age (if the date of birth is not known)").fill("7")
    page.get_by_label("Relationship to the person").fill("Son")
    page.get_by_label("The person has parental responsibility").check()
    page.get_by_label("School or other agency known (optional)").fill("Hillside Primary (synthetic)")
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Added to the household").wait_for()
    check(page, "household")
    page.goto(f"{page.base_url}/people/{person.pk}/safeguarding/")
    check(page, "list-empty")
    page.get_by_role("button", name="Raise a safeguarding concern").click()
    page.get_by_role("button", name="Raise concern").click()
    page.get_by_text("There is a problem").wait_for()
    check(page, "raise-errors")
    page.get_by_label("A child or young person (under 18)").check()
    page.get_by_label("A child or dependant recorded in the household (optional)").select_option(
        label="Synthetic Son (Son)"
    )
    page.get_by_label("Category").select_option("child_neglect")
    page.get_by_label("What was seen or disclosed").fill('"He has not eaten since Friday" (synthetic)')
    page.get_by_label("What has been done to keep people safe").fill("Grandmother collecting him (synthetic)")
    page.get_by_role("button", name="Raise concern").click()
    page.get_by_text("Safeguarding concern raised").wait_for()
    assert page.get_by_text("1 open concern since").is_visible()
    assert page.get_by_role("link", name="Synthetic Son (Son)").is_visible()
    check(page, "concern")
    page.get_by_role("button", name="Add consent, lead and referral").click()
    page.get_by_label("Does not consent").check()
    _fill_date(page, "referred_on", timezone.localdate())
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Enter the reason to share without the person's consent").first.wait_for()
    check(page, "update-errors")
    page.get_by_label("Reason to share without consent").fill("A child is at risk (synthetic)")
    page.get_by_label("Local authority reference").fill("MASH-123")
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Concern updated").wait_for()
    assert page.get_by_text("MASH-123").is_visible()
    page.goto(f"{page.base_url}/people/{person.pk}/record/safety/")
    check(page, "record-tab")
    sign_out(page)
    sign_in(page, "tm.north")
    page.goto(f"{page.base_url}/safeguarding/team/")
    page.get_by_role("link", name=person.full_name).wait_for()
    check(page, "team-list")
    page.goto(f"{page.base_url}/people/{person.pk}/safeguarding/{Concern.objects.get().pk}/")
    page.get_by_role("button", name="Close the concern").click()
    page.get_by_label("Why it is being closed").fill("MASH took it on (synthetic)")
    check(page, "close")
    page.get_by_role("button", name="Close concern").click()
    page.get_by_text("Concern closed", exact=True).wait_for()
    assert page.get_by_role("button", name="Add consent, lead and referral").count() == 0
    page.get_by_label("Addendum").fill("MASH reference corrected to MASH-124 (synthetic)")
    page.get_by_role("button", name="Add addendum").click()
    page.get_by_text("Addendum added").wait_for()
    check(page, "closed-with-addendum")


def test_incident_reported_then_reviewed_with_the_duty_of_candour(page, coordinator, person, team):
    make_staff(
        team=team, roles=[RoleCode.TEAM_MANAGER], username="tm.north", first_name="Mo", last_name="Manager"
    )
    sign_in(page, "cc.north")
    page.goto(f"{page.base_url}/incidents/")
    check(page, "incidents")
    page.get_by_role("button", name="Report an incident").click()
    page.get_by_role("button", name="Report incident").click()
    page.get_by_text("There is a problem").wait_for()
    check(page, "report-errors")
    _fill_date(page, "occurred_on", timezone.localdate())
    page.get_by_label("Time it happened").fill("00:01")
    page.get_by_label("Where it happened").fill("Home visit (synthetic)")
    page.get_by_label("Category").select_option("medication")
    page.get_by_label("Moderate harm").check()
    page.get_by_label("What happened").fill("Depot missed; relapse (synthetic)")
    page.get_by_label("What was done straight away").fill("Crisis team told (synthetic)")
    page.get_by_label("People on Waypoint involved (NHS numbers)").fill(person.nhs_number)
    page.get_by_role("button", name="Report incident").click()
    page.get_by_text("reported. Your team manager will review it").wait_for()
    assert page.get_by_role("link", name=person.full_name).is_visible()
    check(page, "incident")
    sign_out(page)
    sign_in(page, "tm.north")
    page.goto(f"{page.base_url}/incidents/")
    page.get_by_role("link", name="INC-").first.click()
    page.get_by_role("button", name="Record the review").click()
    page.get_by_label("Findings").fill("Depot clinic list not checked (synthetic)")
    page.get_by_label("Lessons learned").fill("Check at every MDT (synthetic)")
    check(page, "review")
    page.get_by_role("button", name="Save review").click()
    page.get_by_text("Review saved").wait_for()
    page.get_by_role("button", name="Add an action").click()
    page.get_by_role("button", name="Add action").click()
    page.get_by_text("There is a problem").wait_for()
    check(page, "action-errors")
    page.get_by_label("Action", exact=True).fill("Depot dates checked at each MDT (synthetic)")
    page.get_by_label("Owner").select_option(label="Casey Coordinator")
    _fill_date(page, "due_on", timezone.localdate() + datetime.timedelta(days=7))
    page.get_by_role("radio", name=person.full_name).check()
    check(page, "action")
    page.get_by_role("button", name="Add action").click()
    page.get_by_text("given to Casey Coordinator as a task").wait_for()
    page.get_by_role("link", name="The task").wait_for()
    check(page, "action-added")
    page.get_by_role("button", name="Close the incident").click()
    page.get_by_role("button", name="Close incident").click()
    page.get_by_text("duty of candour").first.wait_for()
    check(page, "close-refused")
    page.goto(page.url.replace("/close/", "/candour/"))
    _fill_date(page, "candour_in_person_on", timezone.localdate())
    _fill_date(page, "candour_in_writing_on", timezone.localdate())
    check(page, "candour")
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Duty of candour saved").wait_for()
    page.get_by_role("button", name="Close the incident").click()
    page.get_by_role("button", name="Close incident").click()
    page.get_by_text("Incident closed").wait_for()
    assert page.get_by_role("button", name="Add an action").count() == 0
    page.get_by_label("Addendum").fill("Letter copied to the GP (synthetic)")
    page.get_by_role("button", name="Add addendum").click()
    page.get_by_text("Addendum added").wait_for()
    check(page, "closed")
    sign_out(page)
    sign_in(page, "cc.north")
    page.goto(f"{page.base_url}/tasks/")
    page.get_by_text("Depot dates checked at each MDT (synthetic)").wait_for()
    check(page, "my-tasks")


def test_chair_runs_the_mdt_agenda(page, coordinator, person, team):
    chair = make_staff(
        team=team, roles=[RoleCode.TEAM_MANAGER, RoleCode.CARE_COORDINATOR], username="tm.north"
    )
    make_staff(
        team=team, roles=[RoleCode.SUPPORT_WORKER], username="sw", first_name="Sam", last_name="Support"
    )
    ReviewFactory(person=person, team=team, scheduled_for=timezone.localdate() - datetime.timedelta(days=3))
    episode = EpisodeFactory(person=person, team=team)
    leaving = TeamRegistrationFactory(team=team).person
    EpisodeFactory(
        person=leaving, team=team, discharge_planned_on=timezone.localdate() + datetime.timedelta(days=9)
    )
    meeting = MeetingFactory(team=team, chair=chair)
    sign_in(page, "tm.north")
    page.goto(f"{page.base_url}/meetings/")
    check(page, "meetings")
    page.goto(f"{page.base_url}/meetings/{meeting.pk}/")
    page.get_by_text("Review overdue").wait_for()
    page.get_by_text("Discharge planned for").wait_for()
    check(page, "agenda")
    page.get_by_role("link", name=f"Record discussion of {person.full_name}").click()
    page.get_by_role("button", name="Save and sign").click()
    page.get_by_text("There is a problem").wait_for()
    check(page, "discussion-errors")
    page.get_by_label("Discussion", exact=True).fill("Sleeping better (synthetic)")
    page.get_by_label("Decisions").fill("Weekly visits continue (synthetic)")
    page.get_by_label("Action 1", exact=True).fill("Visit with the housing officer")
    page.get_by_label("Who will do action 1").select_option(label="Sam Support")
    _fill_date(page, "action_1_due", timezone.localdate() + datetime.timedelta(days=7))
    page.get_by_label("Allocate a care coordinator").check()
    page.get_by_label("Who is allocated").select_option(label="Casey Coordinator")
    _fill_date(page, "discharge_planned_on", timezone.localdate() + datetime.timedelta(days=60))
    check(page, "discussion-filled")
    page.get_by_role("button", name="Save and sign").click()
    page.get_by_text("as a signed MDT note").wait_for()
    check(page, "agenda-after")
    page.goto(f"{page.base_url}/meetings/{meeting.pk}/minutes/")
    page.get_by_text("Visit with the housing officer").wait_for()
    page.get_by_text("Casey Coordinator: care coordinator").wait_for()
    check(page, "minutes")
    page.goto(f"{page.base_url}/allocation/people/{person.pk}/episodes/{episode.pk}/")
    page.get_by_text("Discharge planned for").wait_for()
    check(page, "episode")
