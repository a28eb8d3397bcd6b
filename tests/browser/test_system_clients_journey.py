"""The privacy officer reviews the registered FHIR system clients and what one has read."""

import pytest
from django.test import Client
from playwright.sync_api import expect

from tests.browser.conftest import check, sign_in
from waypoint.episodes.factories import EpisodeFactory
from waypoint.fhir.factories import registered_system_client

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_privacy_officer_reviews_system_clients_and_one_clients_audit(
    page, privacy_officer, person, team, coordinator
):
    EpisodeFactory(person=person, team=team, opened_by=coordinator)
    registered, token = registered_system_client(purpose="The ICS shared care record (synthetic)")
    api = Client()
    assert api.get(f"/fhir/R4/Patient/{person.pk}", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 200

    sign_in(page, "privacy")
    page.get_by_role("link", name="System clients").first.click()
    page.get_by_role("heading", name="System clients").wait_for()
    expect(page.get_by_text("The ICS shared care record (synthetic)")).to_be_visible()
    expect(page.get_by_text("system/EpisodeOfCare.read")).to_be_visible()
    check(page, "system-clients")
    page.get_by_role("link", name="What Shared care record read").click()
    page.get_by_role("heading", name="What Shared care record read").wait_for()
    expect(page.get_by_role("link", name=person.local_id)).to_be_visible()
    check(page, "system-client-audit")
    page.set_viewport_size({"width": 375, "height": 800})
    check(page, "system-client-audit-narrow")
