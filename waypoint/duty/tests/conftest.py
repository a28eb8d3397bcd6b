"""Duty tests run at a fixed working-day moment, so weekends and "today" never make them flaky."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from waypoint.accounts.factories import make_staff
from waypoint.accounts.models import RoleCode
from waypoint.referrals.factories import ReferralFactory

# Tuesday 24 November 2026, 11:00 in London: a working day, not a bank holiday.
WORKING_MOMENT = datetime(2026, 11, 24, 11, 0, tzinfo=ZoneInfo("Europe/London"))


@pytest.fixture(autouse=True)
def on_a_working_day():
    """Autouse fixtures run first, so every record the other fixtures make is made on this day too."""
    with time_machine.travel(WORKING_MOMENT, tick=True) as traveller:
        yield traveller


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
def make_referral(coordinator):
    """A referral waiting for triage (the referrals app's factory; recorded by the coordinator)."""

    def make(**kwargs):
        kwargs.setdefault("recorded_by", coordinator)
        kwargs.setdefault("urgency_requested", "urgent")
        return ReferralFactory(**kwargs)

    return make
