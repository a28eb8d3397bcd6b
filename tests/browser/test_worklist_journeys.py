"""The caseload worklist and delegated tasks: the coordinator filters their caseload to what is
overdue and delegates a task; the support worker completes it; the manager reviews the team."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from tests.browser.conftest import check, sign_in, sign_out
from waypoint.accounts.factories import make_staff
from waypoint.accounts.models import RoleCode
from waypoint.episodes.models import Allocation
from waypoint.patients.factories import PersonFactory, TeamRegistrationFactory
from waypoint.tasks.factories import TaskFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def on_caseload(coordinator, team, family_name):
    person = TeamRegistrationFactory(team=team, person=PersonFactory(family_name=family_name)).person
    Allocation.objects.create(
        person=person,
        team=team,
        worker=coordinator,
        kind="care_coordinator",
        started_at=timezone.now() - timedelta(days=5),  # so that nothing is overdue but what a test adds
        allocated_by=coordinator,
    )
    return person


def test_caseload_delegate_complete_and_team_view(page, coordinator, team):
    support = make_staff(
        team=team,
        roles=[RoleCode.SUPPORT_WORKER],
        username="sw.north",
        first_name="Sunny",
        last_name="Support",
    )
    make_staff(
        team=team,
        roles=[RoleCode.TEAM_MANAGER],
        username="manager.north",
        first_name="Mo",
        last_name="Manager",
    )
    late = on_caseload(coordinator, team, "Latetask")
    on_caseload(coordinator, team, "Allwell")
    TaskFactory(
        person=late,
        team=team,
        assigned_by=coordinator,
        assigned_to=support,
        what="Check the smoke alarm",
        due_on=timezone.localdate() - timedelta(days=2),
    )

    sign_in(page, "cc.north")
    page.get_by_role("link", name="My caseload").first.click()
    page.get_by_role("heading", name="My caseload").wait_for()
    check(page, "my-caseload")
    page.get_by_label("Only overdue items").check()
    page.get_by_role("button", name="Apply").click()
    page.get_by_text("Showing 1 of 2 people").wait_for()
    assert not page.get_by_text("ALLWELL").is_visible()
    check(page, "my-caseload-overdue")

    page.get_by_role("link", name="LATETASK").first.click()
    page.get_by_role("region", name="What is due").get_by_text(
        "Delegated task overdue", exact=False
    ).first.wait_for()
    page.get_by_role("navigation", name=re.compile("^Record of")).get_by_role(
        "link", name="Tasks", exact=True
    ).click()
    page.get_by_role("heading", name="Delegated tasks").wait_for()
    check(page, "record-with-tasks")
    page.get_by_role("link", name="Delegate a task").click()
    page.get_by_role("button", name="Delegate task").click()
    page.get_by_text("There is a problem").wait_for()
    check(page, "delegate-errors")
    page.get_by_label("Sunny Support").check()
    page.get_by_label("What needs doing").fill("Go with them to the benefits appointment")
    page.get_by_label("Why").fill("Anxious about the assessment (synthetic)")
    due = timezone.localdate() + timedelta(days=5)
    page.get_by_label("Day").fill(str(due.day))
    page.get_by_label("Month").fill(str(due.month))
    page.get_by_label("Year").fill(str(due.year))
    page.get_by_role("button", name="Delegate task").click()
    page.get_by_text("Task given to Sunny Support").wait_for()
    check(page, "person-tasks")
    sign_out(page)

    sign_in(page, "sw.north")
    page.get_by_role("link", name="My tasks").first.click()
    page.get_by_role("heading", name="My tasks").wait_for()
    check(page, "my-tasks")
    page.get_by_role("link", name="Go with them to the benefits appointment").click()
    page.get_by_role("heading", name="Complete this task").wait_for()
    check(page, "task")
    page.get_by_label("What was done").fill("Went with them; the assessment went well (synthetic)")
    page.get_by_role("button", name="Complete task").click()
    page.get_by_text("Task completed").wait_for()
    check(page, "my-tasks-after")
    sign_out(page)

    sign_in(page, "manager.north")
    page.get_by_role("link", name="Team worklist").first.click()
    page.get_by_role("heading", name="Team worklist").wait_for()
    check(page, "team-worklist")
    page.get_by_role("link", name="Casey Coordinator").click()
    page.get_by_role("heading", name="Caseload of Casey Coordinator").wait_for()
    check(page, "coordinator-caseload")
