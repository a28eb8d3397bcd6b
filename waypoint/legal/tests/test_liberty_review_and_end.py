"""DoLS: setting an authorisation's review date and ending it early (issue 12 item 9): the dates
checked beside the field with the typing kept, audited, the ended one off the BIA list, access."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from waypoint.audit.models import Action, AuditEvent, RecordType
from waypoint.legal.factories import LibertyAuthorisationFactory
from waypoint.legal.tests.test_views import date_post

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture
def authorisation(person, coordinator):
    return LibertyAuthorisationFactory(person=person, created_by=coordinator, bia=coordinator)


def test_set_the_review_date_within_the_term(coordinator_client, coordinator, person, authorisation):
    page = reverse("legal:liberty", args=[person.pk, authorisation.pk])
    assert "Set the review date" in coordinator_client.get(page).content.decode()
    url = reverse("legal:review_liberty", args=[person.pk, authorisation.pk])
    late = authorisation.expires_on + datetime.timedelta(days=1)
    body = coordinator_client.post(url, date_post("review_on", late)).content.decode()
    assert "<title>Error: " in body and "The review date must be between" in body
    assert f'value="{late.day}"' in body
    soon = TODAY + datetime.timedelta(days=5)
    assert coordinator_client.post(url, date_post("review_on", soon)).status_code == 302
    authorisation.refresh_from_db()
    assert authorisation.review_on == soon
    row = AuditEvent.objects.filter(record_type=RecordType.LIBERTY_AUTHORISATION, action=Action.UPDATE).get()
    assert row.fields_changed == ["review_on"] and row.user == coordinator


def test_end_early_with_a_reason_and_it_leaves_the_bia_list(
    coordinator_client, coordinator, person, authorisation
):
    url = reverse("legal:end_liberty", args=[person.pk, authorisation.pk])
    body = coordinator_client.post(url, {**date_post("ended_on", TODAY), "end_reason": ""}).content.decode()
    assert "Say why the authorisation ended" in body or "Enter why it ended" in body
    future = TODAY + datetime.timedelta(days=2)
    body = coordinator_client.post(
        url, {**date_post("ended_on", future), "end_reason": "Moved care home (synthetic)"}
    ).content.decode()
    assert "The date ended must be today or in the past" in body and "Moved care home (synthetic)" in body
    response = coordinator_client.post(
        url, {**date_post("ended_on", TODAY), "end_reason": "Moved care home (synthetic)"}
    )
    assert response.status_code == 302
    authorisation.refresh_from_db()
    assert authorisation.ended_on == TODAY and authorisation.end_reason == "Moved care home (synthetic)"
    body = coordinator_client.get(reverse("legal:index", args=[person.pk])).content.decode()
    assert "Ended" in body and "Moved care home (synthetic)" in body
    # Once ended, the page says so and offers neither change again.
    body = coordinator_client.get(
        reverse("legal:liberty", args=[person.pk, authorisation.pk])
    ).content.decode()
    assert "End the authorisation" not in body
    response = coordinator_client.post(url, {**date_post("ended_on", TODAY), "end_reason": "Again"})
    assert response.status_code == 302
    updates = AuditEvent.objects.filter(record_type=RecordType.LIBERTY_AUTHORISATION, action=Action.UPDATE)
    assert [sorted(row.fields_changed) for row in updates] == [["end_reason", "ended_on"]]
    bia_list = coordinator_client.get(reverse("legal:bia_list")).content.decode()
    assert "Elm House Care Home (synthetic)" not in bia_list


def test_no_relationship_gets_404_and_nothing_changes(client, outsider, person, authorisation):
    client.force_login(outsider)
    for name in ("legal:review_liberty", "legal:end_liberty"):
        url = reverse(name, args=[person.pk, authorisation.pk])
        assert client.get(url).status_code == 404
        assert client.post(url, {**date_post("ended_on", TODAY), "end_reason": "x"}).status_code == 404
    authorisation.refresh_from_db()
    assert authorisation.ended_on is None and authorisation.review_on is None
