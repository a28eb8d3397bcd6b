"""Fixtures shared by every test: teams, staff with and without a relationship, people."""

import importlib

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


# Process-wide registries that apps fill in their AppConfig.ready(): (module, attribute).
_REGISTRIES = [
    ("waypoint.access.policy", "_providers"),
    ("waypoint.worklist.registry", "_providers"),
    ("waypoint.patients.record_sections", "_sections"),
    ("waypoint.patients.record_sections", "_tabs"),
    ("waypoint.patients.record_sections", "_facts"),
    ("waypoint.patients.record_sections", "_banner_items"),
    ("waypoint.referrals.clock", "_components"),
    ("waypoint.reports.registry", "_reports"),
    ("waypoint.accounts.permissions", "_actions"),
    ("waypoint.contacts.registry", "_diary_sources"),
    ("waypoint.contacts.registry", "_contact_form_parts"),
]


def _registries():
    for module_name, attribute in _REGISTRIES:
        registry = getattr(importlib.import_module(module_name), attribute, None)
        if isinstance(registry, dict):
            yield f"{module_name}.{attribute}", registry


_registries_before = pytest.StashKey[dict]()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_setup(item):
    item.stash[_registries_before] = {name: dict(registry) for name, registry in _registries()}
    return (yield)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """Every test must leave the extension registries as it found them (change one only through
    monkeypatch or a fixture that restores it), or the tests after it run against a different
    policy, worklist or record page: a test that removed the real duty provider once did exactly
    that for the rest of the run. Checked once every fixture (monkeypatch included) is torn down."""
    result = yield
    before = item.stash.get(_registries_before, {})
    changed = []
    for name, registry in _registries():
        if name in before and registry != before[name]:
            changed.append(name)
            registry.clear()
            registry.update(before[name])  # so one bad test does not change the tests after it
    assert not changed, f"{item.nodeid} left these registries changed: {', '.join(changed)}"
    return result
