"""Registering a system client for the FHIR API: its service account and its OAuth application,
made together, audited (see `clients.py` for what such a client may see)."""

import secrets

from django.db import transaction
from oauth2_provider.models import Application

from waypoint.accounts.models import Role, RoleCode, User
from waypoint.audit import services as audit
from waypoint.audit.models import Action, RecordType

from .models import SystemClient
from .search import RESOURCE_TYPES


class ClientRefused(ValueError):
    pass


@transaction.atomic
def register_system_client(
    *, by, name: str, purpose: str, resource_types: list[str]
) -> tuple[Application, str]:
    """Make the service account (role `system_client`, no password, no team) and a confidential
    client-credentials application owned by it, allowed `system/<Type>.read` for the types named.
    Returns the application and its client secret, which is shown once and stored hashed."""
    unknown = sorted((set(resource_types) - set(RESOURCE_TYPES)) | ({"AuditEvent"} & set(resource_types)))
    if not resource_types:
        raise ClientRefused("Name at least one resource type the client may read")
    if unknown:
        raise ClientRefused(f"Not served to system clients: {', '.join(unknown)}")
    if not name.strip() or not purpose.strip():
        raise ClientRefused("A system client needs a name and a purpose")
    username = "system." + "".join(c if c.isalnum() else "-" for c in name.lower())[:40]
    if User.objects.filter(username=username).exists():
        raise ClientRefused(f"A system client called {name!r} is already registered")
    service = User(username=username, first_name=name[:150], last_name="(system client)", is_active=True)
    service.set_unusable_password()
    service.save()
    service.roles.add(Role.objects.get(code=RoleCode.SYSTEM_CLIENT))
    secret = secrets.token_urlsafe(32)
    application = Application.objects.create(
        name=name[:255],
        user=service,
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_CLIENT_CREDENTIALS,
        client_secret=secret,
        allowed_origins="",
    )
    SystemClient.objects.create(
        application=application, purpose=purpose, resource_types=sorted(resource_types)
    )
    audit.write(by, action=Action.CREATE, record_type=RecordType.STAFF_ACCOUNT, record_id=service.pk)
    audit.write(
        by,
        action=Action.GRANT,
        record_type=RecordType.STAFF_ROLE,
        record_id=service.pk,
        fields_changed=["system_client"],
    )
    return application, secret
