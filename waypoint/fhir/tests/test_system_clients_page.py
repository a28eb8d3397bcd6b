"""The system clients page: the privacy officer and the system administrator see every registered
client with its purpose, scopes, last use and how many people it has read, and each one's audit."""

import pytest
from django.urls import reverse

from waypoint.accounts.factories import make_staff
from waypoint.accounts.models import RoleCode
from waypoint.audit.models import Action, AuditEvent, Basis, RecordType
from waypoint.episodes.factories import EpisodeFactory
from waypoint.fhir import selectors
from waypoint.fhir.factories import registered_system_client


@pytest.fixture
def admin(db):
    return make_staff(roles=[RoleCode.SYSTEM_ADMINISTRATOR], username="sysadmin")


@pytest.fixture
def in_care(person, team, coordinator):
    EpisodeFactory(person=person, team=team, opened_by=coordinator)
    return person


@pytest.mark.django_db
class TestSystemClientsPage:
    def test_lists_each_client_with_its_purpose_scopes_use_and_people_read(
        self, client, privacy_officer, in_care
    ):
        registered, token = registered_system_client(purpose="The ICS shared care record")
        idle, _ = registered_system_client(
            name="Analytics platform", purpose="Service planning", types=["Patient"]
        )
        client.get(f"/fhir/R4/Patient/{in_care.pk}", HTTP_AUTHORIZATION=f"Bearer {token}")
        client.get(f"/fhir/R4/Patient?_id={in_care.pk}", HTTP_AUTHORIZATION=f"Bearer {token}")
        client.force_login(privacy_officer)
        response = client.get(reverse("fhir_pages:system_clients"))
        assert response.status_code == 200
        page = response.content.decode()
        assert "The ICS shared care record" in page and "Service planning" in page
        assert "system/EpisodeOfCare.read" in page
        clients = {c.pk: c for c in selectors.system_clients()}
        assert clients[registered.pk].people_read == 1
        assert clients[registered.pk].last_used is not None
        assert (clients[idle.pk].people_read, clients[idle.pk].last_used) == (None, None)
        assert "Never" in page
        assert reverse("fhir_pages:system_client_audit", args=[registered.pk]) in page
        row = AuditEvent.objects.filter(user=privacy_officer).get()
        assert (row.action, row.record_type, row.basis) == (
            Action.VIEW,
            RecordType.STAFF_ACCOUNT,
            Basis.PRIVACY_REVIEW,
        )

    def test_a_clients_audit_shows_what_it_read_and_only_the_privacy_officer_sees_who(
        self, client, privacy_officer, admin, in_care
    ):
        registered, token = registered_system_client()
        client.get(f"/fhir/R4/Patient/{in_care.pk}", HTTP_AUTHORIZATION=f"Bearer {token}")
        url = reverse("fhir_pages:system_client_audit", args=[registered.pk])
        client.force_login(privacy_officer)
        page = client.get(url).content.decode()
        assert in_care.local_id in page
        assert reverse("audit:access_history", args=[in_care.pk]) in page
        client.force_login(admin)
        page = client.get(url).content.decode()
        assert "Person: View" not in page and in_care.local_id not in page
        assert "A person (privacy officers see who)" in page
        row = AuditEvent.objects.filter(user=admin).get()
        assert row.record_id == str(registered.application.user_id)

    def test_nobody_else_finds_the_pages(self, client, coordinator):
        registered, _ = registered_system_client()
        client.force_login(coordinator)
        assert client.get(reverse("fhir_pages:system_clients")).status_code == 404
        assert client.get(reverse("fhir_pages:system_client_audit", args=[registered.pk])).status_code == 404
        assert not AuditEvent.objects.filter(user=coordinator).exists()

    def test_an_unknown_client_is_404(self, client, privacy_officer):
        client.force_login(privacy_officer)
        assert client.get(reverse("fhir_pages:system_client_audit", args=[999999])).status_code == 404

    def test_the_number_of_queries_does_not_grow_with_the_clients(
        self, client, privacy_officer, django_assert_max_num_queries
    ):
        client.force_login(privacy_officer)
        registered_system_client(name="First")
        client.get(reverse("fhir_pages:system_clients"))  # the first request also loads the session's caches
        with django_assert_max_num_queries(30) as few:
            client.get(reverse("fhir_pages:system_clients"))
        for n in range(5):
            registered_system_client(name=f"Client {n}")
        with django_assert_max_num_queries(30) as many:
            client.get(reverse("fhir_pages:system_clients"))
        assert len(many.captured_queries) == len(few.captured_queries)
