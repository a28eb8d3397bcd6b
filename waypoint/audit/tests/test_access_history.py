import csv
import io

import pytest
from django.urls import reverse

from waypoint.access.actor import Actor
from waypoint.access.services import start_break_glass
from waypoint.accounts.factories import UserFactory
from waypoint.audit.models import AuditEvent, RecordType


@pytest.mark.django_db
class TestAccessHistory:
    def test_privacy_officer_sees_who_viewed_when_and_on_what_basis(
        self, client, coordinator_client, privacy_officer, outsider, person
    ):
        coordinator_client.get(reverse("patients:detail", args=[person.pk]))
        start_break_glass(
            by=Actor(outsider, basis="break_glass", break_glass_reason="Phoned duty in crisis"),
            person=person,
            reason="Phoned duty in crisis",
        )
        client.force_login(privacy_officer)
        response = client.get(reverse("audit:access_history", args=[person.pk]))
        body = response.content.decode()
        assert "Casey Coordinator" in body and "Team relationship" in body
        assert "Oscar Outsider" in body and "Phoned duty in crisis" in body
        assert response["Cache-Control"] == "no-store"

    def test_viewing_the_history_is_itself_audited(self, client, privacy_officer, person):
        client.force_login(privacy_officer)
        client.get(reverse("audit:access_history", args=[person.pk]))
        event = AuditEvent.objects.get(record_type="access_history")
        assert event.basis == "privacy_review" and event.user == privacy_officer and event.person == person

    def test_csv_export(self, client, coordinator_client, privacy_officer, person):
        coordinator_client.get(reverse("patients:detail", args=[person.pk]))
        client.force_login(privacy_officer)
        response = client.get(reverse("audit:access_history", args=[person.pk]), {"format": "csv"})
        assert response["Content-Type"].startswith("text/csv")
        rows = list(csv.reader(io.StringIO(response.content.decode())))
        assert rows[0][:3] == ["When (UK time)", "Staff", "Username"]
        assert any(row[2] == "cc.north" and row[3] == "Viewed" for row in rows[1:])
        assert AuditEvent.objects.filter(record_type="access_history", action="export").exists()

    def test_find_person_by_nhs_number(self, client, privacy_officer, person):
        client.force_login(privacy_officer)
        response = client.get(reverse("audit:find_person"), {"q": person.nhs_number})
        assert reverse("audit:access_history", args=[person.pk]) in response.content.decode()

    def test_other_staff_get_404(self, coordinator_client, person):
        assert coordinator_client.get(reverse("audit:access_history", args=[person.pk])).status_code == 404
        assert coordinator_client.get(reverse("audit:find_person")).status_code == 404

    def test_query_count_does_not_grow_with_rows(
        self, client, coordinator, privacy_officer, person, django_assert_max_num_queries
    ):
        from waypoint.audit import services as audit

        client.force_login(privacy_officer)
        url = reverse("audit:access_history", args=[person.pk])
        audit.write(
            Actor(coordinator, basis="team"), person=person, action="view", record_type=RecordType.PERSON
        )
        with django_assert_max_num_queries(20) as baseline:
            client.get(url)
        for _ in range(30):
            audit.write(
                Actor(UserFactory(), basis="team"),
                person=person,
                action="view",
                record_type=RecordType.PERSON,
            )
        with django_assert_max_num_queries(len(baseline.captured_queries)):
            client.get(url)


@pytest.mark.django_db
def test_no_clinical_free_text_in_audit_rows(coordinator_client, person):
    """Audit rows carry field names, never the values typed (here: an alert's wording)."""
    coordinator_client.post(
        reverse("patients:add_alert", args=[person.pk]),
        {"category": "staff_safety", "summary": "Secret clinical wording"},
    )
    event = AuditEvent.objects.get(record_type="alert", action="create")
    assert event.fields_changed == ["category", "summary"]
    stored = " ".join(
        str(value)
        for value in AuditEvent.objects.values_list(
            "record_type", "record_id", "fields_changed", "break_glass_reason", "path"
        )
    )
    assert "Secret clinical wording" not in stored
