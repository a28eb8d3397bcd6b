from datetime import timedelta

import pytest
from django.utils import timezone

from waypoint.accounts.factories import make_staff
from waypoint.accounts.models import RoleCode
from waypoint.episodes.models import Allocation
from waypoint.patients.factories import PersonFactory, TeamRegistrationFactory
from waypoint.workforce.factories import LineManagementFactory


@pytest.fixture
def manager(team):
    return make_staff(
        team=team, roles=[RoleCode.TEAM_MANAGER], username="tm.north", first_name="Mo", last_name="Manager"
    )


@pytest.fixture
def colleague(team):
    """In the same team as the coordinator, with no line relationship to them."""
    return make_staff(team=team, username="cc2.north", first_name="Cole", last_name="Colleague")


@pytest.fixture
def line_manager(other_team, coordinator):
    """Line manages the coordinator from another team (so not their team manager)."""
    boss = make_staff(team=other_team, username="lm", first_name="Lin", last_name="Linemanager")
    LineManagementFactory(staff=coordinator, manager=boss)
    return boss


@pytest.fixture
def workforce_admin(db):
    return make_staff(
        roles=[RoleCode.WORKFORCE_ADMINISTRATOR], username="wfa", first_name="Wren", last_name="Admin"
    )


@pytest.fixture
def manager_client(client, manager):
    client.force_login(manager)
    return client


def allocate_to(worker, team, **person_fields):
    person = TeamRegistrationFactory(team=team, person=PersonFactory(**person_fields)).person
    Allocation.objects.create(
        person=person,
        team=team,
        worker=worker,
        kind="care_coordinator",
        started_at=timezone.now() - timedelta(days=30),
        allocated_by=worker,
    )
    return person
