"""OAuth 2.0 as a real client does it: client credentials for a system client, the authorization
code flow with PKCE for a member of staff. (The fhirpy client against the live server is in
tests/browser/test_fhir_client.py, beside the other live-server tests.)"""

import base64
import hashlib
import secrets
from urllib.parse import parse_qs, urlparse

import pytest
from oauth2_provider.models import Application

from waypoint.accounts.factories import make_staff
from waypoint.accounts.models import RoleCode
from waypoint.audit.models import AuditEvent, Basis
from waypoint.episodes.factories import CoordinatorAllocationFactory, EpisodeFactory
from waypoint.fhir.factories import all_scopes
from waypoint.patients.factories import AlertFactory

SECRET = "a-long-client-secret-for-tests-only"


@pytest.fixture
def in_care(person, team, coordinator):
    episode = EpisodeFactory(person=person, team=team, opened_by=coordinator)
    CoordinatorAllocationFactory(person=person, team=team, episode=episode, worker=coordinator)
    AlertFactory(person=person, created_by=coordinator)
    return person


@pytest.mark.django_db
def test_a_system_client_gets_a_token_with_its_secret_and_reads_as_its_service_account(client, in_care):
    service = make_staff(roles=[RoleCode.SYSTEM_CLIENT], username="system.scr")
    application = Application.objects.create(
        name="Shared care record",
        user=service,
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_CLIENT_CREDENTIALS,
        client_secret=SECRET,
    )
    response = client.post(
        "/oauth/token/",
        {
            "grant_type": "client_credentials",
            "client_id": application.client_id,
            "client_secret": SECRET,
            "scope": "system/Patient.read",
        },
    )
    assert response.status_code == 200, response.content
    token = response.json()["access_token"]
    read = client.get(f"/fhir/R4/Patient/{in_care.pk}", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert read.status_code == 200
    assert AuditEvent.objects.get().basis == Basis.SHARED_CARE_RECORD
    # The scope asked for is all it gets.
    flags = client.get(f"/fhir/R4/Flag?patient={in_care.pk}", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert flags.status_code == 403


@pytest.mark.django_db
def test_a_member_of_staff_signs_in_approves_and_the_client_reads_what_they_may_see(
    client, coordinator, in_care, outsider
):
    application = Application.objects.create(
        name="Crisis team system",
        client_type=Application.CLIENT_PUBLIC,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris="https://crisis.example.nhs.uk/callback",
        skip_authorization=True,  # registered by the system administrator as a trusted Trust system
    )
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    params = {
        "response_type": "code",
        "client_id": application.client_id,
        "redirect_uri": "https://crisis.example.nhs.uk/callback",
        "scope": all_scopes("user"),
        "code_challenge": challenge,
        "code_challenge_method": "S256",
        "state": "xyz",
    }
    # Not signed in: the authorisation page sends the member of staff to Waypoint's sign-in.
    assert "/sign-in/" in client.get("/oauth/authorize/", params)["Location"]
    client.force_login(coordinator)
    answer = client.get("/oauth/authorize/", params)
    assert answer.status_code == 302, answer.content
    code = parse_qs(urlparse(answer["Location"]).query)["code"][0]
    client.logout()
    response = client.post(
        "/oauth/token/",
        {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": "https://crisis.example.nhs.uk/callback",
            "client_id": application.client_id,
            "code_verifier": verifier,
        },
    )
    assert response.status_code == 200, response.content
    token = response.json()["access_token"]
    assert (
        client.get(f"/fhir/R4/Patient/{in_care.pk}", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 200
    )
    assert AuditEvent.objects.get().user == coordinator
