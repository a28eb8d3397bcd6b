"""OAuth clients and tokens for the FHIR API's tests."""

import secrets
from datetime import timedelta

from django.utils import timezone
from oauth2_provider.models import AccessToken, Application

from waypoint.accounts.factories import make_staff
from waypoint.accounts.models import RoleCode
from waypoint.fhir.search import RESOURCE_TYPES


def all_scopes(kind: str) -> str:
    return " ".join(f"{kind}/{name}.read" for name in RESOURCE_TYPES)


def staff_token(user, scope: str | None = None) -> str:
    """A member of staff's access token, as the authorization code flow would issue it."""
    application = Application.objects.create(
        name="Shared care record viewer",
        client_type=Application.CLIENT_PUBLIC,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris="https://viewer.example.nhs.uk/callback",
    )
    return _token(application, user, scope or all_scopes("user"))


def system_client_token(scope: str | None = None, *, name="Shared care record") -> tuple[str, object]:
    """A registered system client's token (client credentials) and its service account."""
    service = make_staff(roles=[RoleCode.SYSTEM_CLIENT], username=f"system.{secrets.token_hex(3)}")
    application = Application.objects.create(
        name=name,
        user=service,
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_CLIENT_CREDENTIALS,
    )
    return _token(application, None, scope or all_scopes("system")), service


def _token(application, user, scope) -> str:
    value = secrets.token_urlsafe(24)
    AccessToken.objects.create(
        user=user,
        application=application,
        token=value,
        scope=scope,
        expires=timezone.now() + timedelta(minutes=15),
    )
    return value


def registered_system_client(name="Shared care record", purpose="The ICS shared care record", types=None):
    """A registered system client (as `register_fhir_client` makes one) and its token."""
    from .models import SystemClient

    types = types or ["Patient", "EpisodeOfCare"]
    token, service = system_client_token(" ".join(f"system/{t}.read" for t in types), name=name)
    application = Application.objects.get(user=service)
    return SystemClient.objects.create(application=application, purpose=purpose, resource_types=types), token
