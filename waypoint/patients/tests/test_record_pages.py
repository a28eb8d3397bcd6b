"""Editing, carers and alerts: errors beside fields, nothing typed lost, audited, scoped."""

import pytest
from django.urls import reverse

from waypoint.audit.models import AuditEvent
from waypoint.patients.factories import AlertFactory, PersonFactory, TeamRegistrationFactory


def edit_data(person, **overrides):
    data = {
        "nhs_number": person.nhs_number,
        "given_name": person.given_name,
        "family_name": person.family_name,
        "date_of_birth_day": str(person.date_of_birth.day),
        "date_of_birth_month": str(person.date_of_birth.month),
        "date_of_birth_year": str(person.date_of_birth.year),
        "sex": "X",
        "gender_identity": "X",
        "ethnicity": "99",
        "preferred_language": "English",
        "accommodation_status": "not_known",
        "employment_status": "ZZ",
        "version": str(person.version),
        "gp_practice": str(person.gp_practice_id or ""),
        "postcode": person.postcode,
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
class TestEdit:
    def test_edit_saves_and_audits(self, coordinator_client, person):
        response = coordinator_client.post(
            reverse("patients:edit", args=[person.pk]), edit_data(person, phone="07700 900111")
        )
        assert response.status_code == 302
        person.refresh_from_db()
        assert person.phone == "07700 900111"
        assert AuditEvent.objects.get(action="update", person=person).fields_changed == ["phone"]

    def test_stale_form_is_told_and_keeps_the_typed_text(self, coordinator_client, person):
        url = reverse("patients:edit", args=[person.pk])
        coordinator_client.post(url, edit_data(person, phone="first save"))
        response = coordinator_client.post(url, edit_data(person, phone="second person's text"))
        body = response.content.decode()
        assert response.status_code == 200
        assert "Someone else changed these details" in body
        assert "second person&#39;s text" in body or "second person's text" in body
        person.refresh_from_db()
        assert person.phone == "first save"
        # Saving again, having been warned, goes through.
        assert 'name="version" value="2"' in body


@pytest.mark.django_db
class TestCarersAndAlerts:
    def test_add_carer_with_consent(self, coordinator_client, person):
        response = coordinator_client.post(
            reverse("patients:add_carer", args=[person.pk]),
            {
                "name": "Morgan Testcarer",
                "relationship": "Brother",
                "is_carer": "on",
                "consent_to_share": "crisis_only",
                "consent_recorded_on_day": "1",
                "consent_recorded_on_month": "2",
                "consent_recorded_on_year": "2026",
                "carer_assessment": "offered",
            },
        )
        assert response.status_code == 302
        carer = person.carers.get()
        assert carer.consent_to_share == "crisis_only" and carer.is_carer
        assert AuditEvent.objects.filter(record_type="carer", action="create").exists()

    def test_carer_errors_beside_fields_and_kept(self, coordinator_client, person):
        response = coordinator_client.post(
            reverse("patients:add_carer", args=[person.pk]),
            {
                "name": "",
                "relationship": "Aunt",
                "consent_to_share": "nothing",
                "carer_assessment": "not_offered",
            },
        )
        body = response.content.decode()
        assert "Enter the carer&#39;s name" in body or "Enter the carer's name" in body
        assert 'value="Aunt"' in body

    def test_alert_add_and_end(self, coordinator_client, coordinator, person):
        coordinator_client.post(
            reverse("patients:add_alert", args=[person.pk]),
            {"category": "staff_safety", "summary": "Dog at home"},
        )
        alert = person.alerts.get()
        page = coordinator_client.get(reverse("patients:edit", args=[person.pk])).content.decode()
        assert "Dog at home" in page  # the banner is on every page of the record
        response = coordinator_client.post(reverse("patients:end_alert", args=[person.pk, alert.pk]))
        assert response.status_code == 302
        alert.refresh_from_db()
        assert alert.ended_at is not None

    def test_alert_of_another_person_is_404(self, coordinator_client, coordinator, person, team):
        other = TeamRegistrationFactory(team=team).person
        alert = AlertFactory(person=other, created_by=coordinator)
        response = coordinator_client.post(reverse("patients:end_alert", args=[person.pk, alert.pk]))
        assert response.status_code == 404


@pytest.mark.django_db
class TestQueryCounts:
    def test_search_results_query_count_does_not_grow(
        self, coordinator_client, team, django_assert_max_num_queries
    ):
        url = reverse("patients:search")
        for _ in range(2):
            TeamRegistrationFactory(team=team, person=PersonFactory(family_name="Querycount"))
        with django_assert_max_num_queries(30) as baseline:
            coordinator_client.get(url, {"q": "Querycount"})
        for _ in range(25):
            TeamRegistrationFactory(team=team, person=PersonFactory(family_name="Querycount"))
        with django_assert_max_num_queries(len(baseline.captured_queries)):
            response = coordinator_client.get(url, {"q": "Querycount"})
        assert "27 people" in response.content.decode()

    def test_record_page_query_count_does_not_grow_with_carers_and_alerts(
        self, coordinator_client, coordinator, person, django_assert_max_num_queries
    ):
        from waypoint.patients.factories import CarerFactory

        url = reverse("patients:detail", args=[person.pk])
        CarerFactory(person=person)
        AlertFactory(person=person, created_by=coordinator)
        # The overview composes every module's record section and worklist provider (a fixed number
        # each); the bound is generous, the point is that it does not grow with rows.
        with django_assert_max_num_queries(80) as baseline:
            coordinator_client.get(url)
        for _ in range(10):
            CarerFactory(person=person)
            AlertFactory(person=person, created_by=coordinator)
        with django_assert_max_num_queries(len(baseline.captured_queries)):
            coordinator_client.get(url)
