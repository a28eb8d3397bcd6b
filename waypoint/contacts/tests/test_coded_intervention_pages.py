"""Pages: recording a coded intervention (part 4 of the 4-week clock) and marking one entered in
error. Validation beside the field, audit, the contact's page link, the list's query count."""

import pytest
from django.urls import reverse

from waypoint.audit.models import Action, AuditEvent
from waypoint.contacts.factories import CodedInterventionFactory
from waypoint.contacts.models import Attendance, CodedIntervention

from .conftest import TODAY

pytestmark = pytest.mark.django_db
CBT = "304891004"


def page(response):
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def post_data(team, **overrides):
    data = {
        "team": team.pk,
        "code": CBT,
        "contact": "",
        "date_day": TODAY.day,
        "date_month": TODAY.month,
        "date_year": TODAY.year,
    }
    data.update(overrides)
    return data


def test_record_a_coded_intervention_and_see_it_listed(coordinator_client, coordinator, person, team):
    url = reverse("contacts:record_coded_intervention", args=[person.pk])
    html = page(coordinator_client.get(url))
    assert "Cognitive behavioural therapy" in html and "4-week clock" in html
    response = coordinator_client.post(url, post_data(team))
    assert response.status_code == 302
    saved = CodedIntervention.objects.get(person=person)
    assert (saved.code, saved.term, saved.date, saved.recorded_by) == (
        CBT,
        "Cognitive behavioural therapy",
        TODAY,
        coordinator,
    )
    html = page(coordinator_client.get(reverse("contacts:contacts", args=[person.pk])))
    assert "Cognitive behavioural therapy" in html and "SNOMED CT 304891004" in html
    row = AuditEvent.objects.get(record_type="coded_intervention", action=Action.CREATE)
    assert row.person_id == person.pk and row.user == coordinator and "code" in row.fields_changed


def test_bad_input_is_shown_beside_the_field_and_kept(coordinator_client, person, team):
    url = reverse("contacts:record_coded_intervention", args=[person.pk])
    future = TODAY.replace(year=TODAY.year + 1)
    html = page(
        coordinator_client.post(url, post_data(team, code="", date_day=future.day, date_year=future.year))
    )
    assert "<title>Error: " in html
    assert "Choose the intervention delivered" in html
    assert f'value="{future.year}"' in html  # what was typed is kept
    assert not CodedIntervention.objects.exists()
    html = page(coordinator_client.post(url, post_data(team, code="123")))
    assert "<title>Error: " in html and not CodedIntervention.objects.exists()


def test_from_a_contact_the_contact_is_chosen_and_the_date_must_match(
    coordinator_client, person, team, make_contact
):
    contact = make_contact(attendance=Attendance.ATTENDED, date=TODAY.replace(day=20))
    html = page(coordinator_client.get(reverse("contacts:contact", args=[person.pk, contact.pk])))
    assert "Record a coded intervention at this contact" in html
    url = reverse("contacts:record_coded_intervention", args=[person.pk])
    html = page(coordinator_client.get(url + f"?contact={contact.pk}"))
    assert f'<option value="{contact.pk}" selected' in html
    html = page(coordinator_client.post(url, post_data(team, contact=contact.pk)))
    assert "The date must be the date of the contact chosen" in html
    response = coordinator_client.post(url, post_data(team, contact=contact.pk, date_day=20))
    assert response.status_code == 302
    assert CodedIntervention.objects.get().contact == contact


def test_another_persons_contact_is_refused(coordinator_client, person, team, make_contact):
    from waypoint.patients.factories import PersonFactory

    theirs = make_contact(person=PersonFactory(), attendance=Attendance.ATTENDED, date=TODAY)
    url = reverse("contacts:record_coded_intervention", args=[person.pk])
    html = page(coordinator_client.post(url, post_data(team, contact=theirs.pk)))
    assert "Choose one of the person" in html and not CodedIntervention.objects.exists()


def test_mark_entered_in_error(coordinator_client, coordinator, person, team):
    item = CodedInterventionFactory(person=person, team=team, recorded_by=coordinator)
    url = reverse("contacts:coded_intervention_entered_in_error", args=[person.pk, item.pk])
    assert "Why this coded intervention was entered in error" in page(coordinator_client.get(url))
    assert "<title>Error: " in page(coordinator_client.post(url, {"reason": ""}))
    assert coordinator_client.post(url, {"reason": "Wrong person (synthetic)"}).status_code == 302
    item.refresh_from_db()
    assert item.entered_in_error and item.entered_in_error_by == coordinator
    html = page(coordinator_client.get(reverse("contacts:contacts", args=[person.pk])))
    assert "<del>" in html and "Wrong person (synthetic)" in html
    row = AuditEvent.objects.get(record_type="coded_intervention", action=Action.ENTERED_IN_ERROR)
    assert row.person_id == person.pk
    # Opening it again says so rather than asking twice.
    response = coordinator_client.get(url)
    assert response.status_code == 302


def test_no_relationship_gets_404_and_nothing_is_written(client, outsider, person, team):
    item = CodedInterventionFactory(person=person, team=team)
    client.force_login(outsider)
    for url in (
        reverse("contacts:record_coded_intervention", args=[person.pk]),
        reverse("contacts:coded_intervention_entered_in_error", args=[person.pk, item.pk]),
    ):
        assert client.get(url).status_code == 404
        assert client.post(url, {"reason": "x", "code": CBT}).status_code == 404
    assert CodedIntervention.objects.count() == 1 and not CodedIntervention.objects.get().entered_in_error


def test_an_intervention_under_another_person_is_not_found(coordinator_client, person, team):
    from waypoint.patients.factories import PersonFactory

    other = CodedInterventionFactory(person=PersonFactory(), team=team)
    url = reverse("contacts:coded_intervention_entered_in_error", args=[person.pk, other.pk])
    assert coordinator_client.get(url).status_code == 404


def test_contacts_page_query_count_does_not_grow_with_interventions(
    coordinator_client, coordinator, person, team, django_assert_max_num_queries
):
    url = reverse("contacts:contacts", args=[person.pk])
    CodedInterventionFactory(person=person, team=team, recorded_by=coordinator)
    coordinator_client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        page(coordinator_client.get(url))
    for _ in range(6):
        item = CodedInterventionFactory(person=person, team=team, recorded_by=coordinator)
    item.entered_in_error_at = item.recorded_at
    item.entered_in_error_by = coordinator
    item.save()
    with django_assert_max_num_queries(len(one)):
        page(coordinator_client.get(url))
