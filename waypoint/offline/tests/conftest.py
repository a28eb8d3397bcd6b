"""The offline visit day's tests run at a fixed moment (Wednesday 25 November 2026, 11:00 in London)."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
import time_machine

from waypoint.contacts.factories import AppointmentFactory
from waypoint.medicines.factories import DepotFactory
from waypoint.patients.factories import AlertFactory, PersonFactory, TeamRegistrationFactory
from waypoint.plans.factories import PlanFactory, PlanRevisionFactory
from waypoint.plans.models import PlanKind

MOMENT = datetime(2026, 11, 25, 11, 0, tzinfo=ZoneInfo("Europe/London"))
TODAY = date(2026, 11, 25)


@pytest.fixture(autouse=True)
def fixed_moment():
    with time_machine.travel(MOMENT, tick=True) as traveller:
        yield traveller


@pytest.fixture
def visit(person, team, coordinator):
    """A home visit at 10:00 today in the coordinator's diary, with an alert, agreed crisis and
    safety plans and a depot."""
    AlertFactory(person=person, created_by=coordinator, summary="Do not visit alone (synthetic)")
    crisis = PlanFactory(person=person, team=team, kind=PlanKind.CRISIS, created_by=coordinator)
    PlanRevisionFactory(
        plan=crisis, agreed=True, content={"crisis_actions": "Ring the crisis team (synthetic)"}
    )
    safety = PlanFactory(person=person, team=team, kind=PlanKind.SAFETY, created_by=coordinator)
    PlanRevisionFactory(plan=safety, agreed=True, content={"warning_signs": "Not sleeping (synthetic)"})
    DepotFactory(person=person, team=team, recorded_by=coordinator)
    return AppointmentFactory(
        person=person, team=team, booked_by=coordinator, date=TODAY, start_time=time(10, 0)
    )


@pytest.fixture
def stranger_visit(other_team, coordinator):
    """In the coordinator's diary today, but for a person of another team: no relationship."""
    stranger = TeamRegistrationFactory(team=other_team, person=PersonFactory(family_name="Stranger")).person
    return AppointmentFactory(
        person=stranger, team=other_team, booked_by=coordinator, date=TODAY, start_time=time(12, 0)
    )
