"""Workforce: the team manager opens Team workforce, sees overdue supervision and training, records
a supervision (with a mistake first), and records caseload supervision from the coordinator's
caseload; the practitioner opens My development and sees it."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.browser.conftest import check, sign_in, sign_out
from waypoint.accounts.factories import make_staff
from waypoint.accounts.models import RoleCode
from waypoint.episodes.models import Allocation
from waypoint.patients.factories import PersonFactory, TeamRegistrationFactory
from waypoint.workforce.factories import (
    AppraisalFactory,
    CompletionFactory,
    CourseFactory,
    PlacementFactory,
    RegistrationFactory,
    SupervisionFactory,
)
from waypoint.workforce.models import SupervisionPolicy

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
TODAY = timezone.localdate()


def test_manager_records_supervision_and_practitioner_sees_my_development(page, coordinator, team):
    manager = make_staff(
        team=team, roles=[RoleCode.TEAM_MANAGER], username="tm.north", first_name="Mo", last_name="Manager"
    )
    student = make_staff(
        team=team, roles=[RoleCode.STUDENT], username="st.north", first_name="Stevie", last_name="Student"
    )
    # The Trust's default policy comes from a data migration; say the one this journey needs, so it
    # holds whatever earlier test in this process emptied the table.
    SupervisionPolicy.objects.get_or_create(
        role="care_coordinator", kind="clinical", defaults={"every_weeks": 4}
    )
    course = CourseFactory(name="Basic life support", valid_for_months=12)
    CourseFactory(name="Prevent", valid_for_months=36)
    CompletionFactory(staff=coordinator, course=course, completed_on=TODAY - timedelta(days=400))
    RegistrationFactory(staff=coordinator, expires_on=TODAY + timedelta(days=30))
    AppraisalFactory(
        staff=coordinator,
        appraiser=manager,
        next_due_on=TODAY + timedelta(days=10),
        development_plan="Family interventions course",
    )
    SupervisionFactory(supervisor=manager, supervisees=[coordinator], held_on=TODAY - timedelta(weeks=10))
    PlacementFactory(student=student, team=team, practice_supervisor=coordinator, practice_assessor=manager)
    person = TeamRegistrationFactory(team=team, person=PersonFactory(family_name="Discussed")).person
    Allocation.objects.create(
        person=person,
        team=team,
        worker=coordinator,
        kind="care_coordinator",
        started_at=timezone.now() - timedelta(days=30),
        allocated_by=coordinator,
    )

    sign_in(page, "tm.north")
    page.get_by_role("link", name="Team workforce").click()
    page.get_by_role("heading", name="Team workforce").wait_for()
    check(page, "team-workforce")
    page.get_by_role("link", name="Training matrix").click()
    page.get_by_role("heading", name="Training matrix").wait_for()
    check(page, "training-matrix")
    page.get_by_role("link", name="Back to team workforce").click()
    page.get_by_role("heading", name="Team workforce").wait_for()

    page.locator(f"a[href='/workforce/staff/{coordinator.pk}/supervision/new/']").first.click()
    page.get_by_role("heading", name="Record supervision").wait_for()
    page.get_by_label("Kind of supervision").select_option("clinical")
    page.get_by_label("Themes discussed").fill("Workload and a complex family")
    page.get_by_role("button", name="Save supervision").click()
    page.get_by_text("There is a problem").wait_for()
    assert page.get_by_label("Themes discussed").input_value() == "Workload and a complex family"
    check(page, "record-supervision-error")
    page.locator("#id_held_on_day").fill(str(TODAY.day))
    page.locator("#id_held_on_month").fill(str(TODAY.month))
    page.locator("#id_held_on_year").fill(str(TODAY.year))
    page.get_by_label("Actions agreed").fill("Book the AMHP refresher")
    page.get_by_role("button", name="Save supervision").click()
    page.get_by_text("Supervision saved").wait_for()
    page.get_by_role("heading", name="Casey Coordinator").wait_for()
    check(page, "staff-record")

    page.goto(page.base_url + f"/caseload/team/coordinators/{coordinator.pk}/?team={team.pk}")
    page.get_by_role("link", name="Record caseload supervision").click()
    page.get_by_role("heading", name="Caseload supervision with Casey Coordinator").wait_for()
    page.locator("#id_held_on_day").fill(str(TODAY.day))
    page.locator("#id_held_on_month").fill(str(TODAY.month))
    page.locator("#id_held_on_year").fill(str(TODAY.year))
    page.get_by_label(f"Discussed {person.full_name}").check()
    page.locator(f"#id_discussion_{person.pk}").fill("Agreed to bring the review forward")
    check(page, "caseload-supervision")
    page.get_by_role("button", name="Save caseload supervision").click()
    page.get_by_text("Caseload supervision saved: 1 person discussed").wait_for()
    sign_out(page)

    sign_in(page, "cc.north")
    page.get_by_role("link", name="My development").click()
    page.get_by_role("heading", name="My development").wait_for()
    page.get_by_text("Family interventions course").first.wait_for()
    check(page, "my-development")
