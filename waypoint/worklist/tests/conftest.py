from datetime import timedelta

import pytest
from django.utils import timezone

from waypoint.accounts.factories import make_staff
from waypoint.accounts.models import RoleCode
from waypoint.episodes.models import Allocation
from waypoint.patients.factories import PersonFactory, TeamRegistrationFactory
from waypoint.worklist import registry


def allocate_to(worker, team, person=None, kind="care_coordinator", weight=1, days_ago=1, **person_fields):
    """A current allocation that started `days_ago` days ago: by default a new one, so the missing
    risk formulation and safety plan are still "Due soon" (they are "Overdue" once
    WAYPOINT_SAFETY_ITEMS_DAYS, 14 by default, have passed)."""
    if person is None:
        person = TeamRegistrationFactory(team=team, person=PersonFactory(**person_fields)).person
    Allocation.objects.create(
        person=person,
        team=team,
        worker=worker,
        kind=kind,
        weight=weight,
        started_at=timezone.now() - timedelta(days=days_ago),
        allocated_by=worker,
    )
    return person


@pytest.fixture
def manager(team):
    return make_staff(
        team=team,
        roles=[RoleCode.TEAM_MANAGER],
        username="manager.north",
        first_name="Mo",
        last_name="Manager",
    )


@pytest.fixture
def manager_client(client, manager):
    client.force_login(manager)
    return client


@pytest.fixture
def isolated_providers(monkeypatch):
    """Only the providers a test registers (the real ones are put back afterwards)."""
    monkeypatch.setattr(registry, "_providers", {})
