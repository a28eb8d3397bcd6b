"""Fixtures for the sweeps of every page and form."""

import pytest

from waypoint.accounts.factories import make_staff
from waypoint.accounts.models import RoleCode


@pytest.fixture
def everyone(team):
    """A member of the person's team with every role, so every page and form is reachable."""
    roles = [code for code in RoleCode.values if code != RoleCode.SYSTEM_ADMINISTRATOR]
    return make_staff(team=team, roles=roles, username="sweep.everyone", first_name="Sam", last_name="Sweep")
