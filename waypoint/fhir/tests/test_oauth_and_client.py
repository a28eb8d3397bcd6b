"""OAuth 2.0 as a real client does it: client credentials for a system client, the authorization
code flow with PKCE for a member of staff. (The fhirpy client against the live server is in
tests/browser/test_fhir_client.py, beside the other live-server tests.)"""

import base64
import hashlib
import secrets
from io import StringIO
from urllib.parse import parse_qs, urlparse

import pytest
from django.core.management import CommandError, call_command
from oauth2_provider.models import Application

from waypoint.audit.models import AuditEvent, Basis, RecordType
from waypoint.episodes.factories import CoordinatorAllocationFactory, EpisodeFactory
from waypoint.fhir.factories import all_scopes
from waypoint.patients.factories import AlertFactory


@pytest.fixture
def in_care(person, team, coordinator):
    episode = EpisodeFactory(person=person, team=team, opened_by=coordinator)
    CoordinatorAllocationFactory(person=person, team=team, episode=episode, worker=coordinator)
    AlertFactory(person=person, created_by=coordinator)
    return person


def client_credentials(client, application, secret, scope):
    return client.post(
        "/oauth/token/",
        {
            "grant_type": "client_credentials",
            "client_id": application.client_id,
            "client_secret": secret,
            "scope": scope,
        },
    )


@pytest.mark.django_db
def test_a_registered_system_client_gets_a_token_with_its_secret_and_reads_as_its_service_account(
    client, in_care
):
    out = StringIO()
    call_command(
        "register_fhir_client",
        name="Shared care record",
        purpose="The ICS shared care record",
        resource_types="Patient,EpisodeOfCare",
        stdout=out,
    )
    client_id = out.getvalue().split("Client id: ")[1].split()[0]
    secret = out.getvalue().rsplit(": ", 1)[1].strip()
    application = Application.objects.get(client_id=client_id)
    assert application.system_client.purpose == "The ICS shared care record"
    assert AuditEvent.objects.filter(record_type=RecordType.STAFF_ACCOUNT, user__isnull=True).exists()

    response = client_credentials(client, application, secret, "system/Patient.read")
    assert response.status_code == 200, response.content
    token = response.json()["access_token"]
    read = client.get(f"/fhir/R4/Patient/{in_care.pk}", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert read.status_code == 200
    assert AuditEvent.objects.filter(record_type=RecordType.PERSON).get().basis == Basis.SHARED_CARE_RECORD
    # The scope asked for is all it gets, and it cannot ask for a type it was not registered for.
    flags = client.get(f"/fhir/R4/Flag?patient={in_care.pk}", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert flags.status_code == 403
    assert client_credentials(client, application, secret, "system/Flag.read").status_code == 400
    assert client_credentials(client, application, secret, "user/Patient.read").status_code == 400
    assert client_credentials(client, application, "wrong-secret", "system/Patient.read").status_code == 401


@pytest.mark.django_db
def test_a_system_client_cannot_be_registered_for_the_audit_or_an_unknown_type():
    for types in ("AuditEvent", "Immunization", ""):
        with pytest.raises(CommandError):
            call_command(
                "register_fhir_client", name="X", purpose="Y", resource_types=types, stdout=StringIO()
            )


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
