"""Fixtures shared by every test: teams, staff with and without a relationship, people."""

import pytest

from waypoint.accounts.factories import TeamFactory, make_staff
from waypoint.accounts.models import RoleCode
from waypoint.patients.factories import TeamRegistrationFactory


@pytest.fixture
def team(db):
    return TeamFactory(name="North CMHT")


@pytest.fixture
def other_team(db):
    return TeamFactory(name="South CMHT")


@pytest.fixture
def coordinator(team):
    return make_staff(team=team, username="cc.north", first_name="Casey", last_name="Coordinator")


@pytest.fixture
def outsider(other_team):
    """A member of staff with no relationship to `person`."""
    return make_staff(team=other_team, username="cc.south", first_name="Oscar", last_name="Outsider")


@pytest.fixture
def privacy_officer(db):
    return make_staff(
        roles=[RoleCode.PRIVACY_OFFICER], username="privacy", first_name="Pat", last_name="Privacy"
    )


@pytest.fixture
def person(team):
    registration = TeamRegistrationFactory(team=team)
    return registration.person


@pytest.fixture
def coordinator_client(client, coordinator):
    client.force_login(coordinator)
    return client


@pytest.fixture
def outsider_client(client, outsider):
    client.force_login(outsider)
    return client


@pytest.fixture(autouse=True)
def _empty_cache():
    """Rate-limit counts live in the cache (local memory in tests): start every test with none."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
