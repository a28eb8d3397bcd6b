"""Walk every URL pattern that takes a person or record id, as a user with no relationship: 404.

New URLs are picked up automatically. A new kind of id needs an entry in RECORD_FACTORIES,
and the test fails loudly until it has one, so no record page can slip through unchecked.
An app adds the ids it owns in `waypoint/<app>/tests/sweep.py`, with a function
`record_factories(person, coordinator, team) -> {"<name>_id": callable returning a pk}`; the
records it builds must belong to `person` (who is on `team`'s books; the outsider is not).
"""

import importlib

import pytest
from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from waypoint.access.models import BreakGlass
from waypoint.duty.factories import DutyEnquiryFactory
from waypoint.patients.factories import AlertFactory, CarerFactory
from waypoint.referrals.factories import ReferralFactory

# Admin pages need is_staff and hold no person records (Person is not registered in the admin).
# The FHIR API takes bearer tokens, not a session: its own sweeps are in waypoint/fhir/tests
# (test_api.py: no relationship -> 404 or an empty bundle, for every resource type; and
# test_schemathesis.py: odd input never a server error).
EXCLUDED_NAMESPACES = {"admin", "fhir"}


def _walk(patterns, namespace=None):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace or namespace
            if inner in EXCLUDED_NAMESPACES:
                continue
            yield from _walk(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield (f"{namespace}:{pattern.name}" if namespace else pattern.name), pattern


def id_taking_url_names():
    names = []
    for name, pattern in _walk(get_resolver().url_patterns):
        if any(key.endswith("_id") or key in {"pk", "id"} for key in pattern.pattern.converters):
            names.append(name)
    return sorted(set(names))


def _converters(name):
    for found, pattern in _walk(get_resolver().url_patterns):
        if found == name:
            return set(pattern.pattern.converters)
    return set()


def record_factories(person, coordinator, team):
    """{"<name>_id": callable returning the pk of a record of `person`} for every id the URLs use."""
    factories = {
        "person_id": lambda: person.pk,
        "alert_id": lambda: AlertFactory(person=person, created_by=coordinator).pk,
        "carer_id": lambda: CarerFactory(person=person).pk,
        "referral_id": lambda: ReferralFactory(person=person, team=team, recorded_by=coordinator).pk,
        "enquiry_id": lambda: DutyEnquiryFactory(team=team, person=person, logged_by=coordinator).pk,
        "grant_id": lambda: (
            BreakGlass.objects.create(
                user=coordinator, person=person, reason="Synthetic reason", expires_at="2099-01-01T00:00:00Z"
            ).pk
        ),
    }
    for app in apps.get_app_configs():
        if not app.name.startswith("waypoint."):
            continue
        try:
            module = importlib.import_module(f"{app.name}.tests.sweep")
        except ModuleNotFoundError as exc:
            if exc.name not in {f"{app.name}.tests", f"{app.name}.tests.sweep"}:
                raise
            continue
        factories.update(module.record_factories(person, coordinator, team))
    return factories


def test_sweep_finds_the_record_urls():
    names = id_taking_url_names()
    assert "patients:detail" in names
    assert "audit:access_history" in names
    assert len(names) >= 5


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", id_taking_url_names())
def test_user_without_relationship_gets_404(url_name, outsider_client, person, coordinator, team):
    RECORD_FACTORIES = record_factories(person, coordinator, team)
    kwargs = {}
    for key in _converters(url_name):
        assert key in RECORD_FACTORIES, f"Add {key!r} to RECORD_FACTORIES so {url_name} is swept"
        kwargs[key] = RECORD_FACTORIES[key]()
    url = reverse(url_name, kwargs=kwargs)
    response = outsider_client.get(url)
    if response.status_code == 405:
        response = outsider_client.post(url, {})
    assert response.status_code == 404, f"{url_name} ({url}) answered {response.status_code}"
