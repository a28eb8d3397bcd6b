"""The system clients pages: for the privacy officer and the system administrator, every system
registered to read Waypoint over FHIR (its purpose, resource types, scopes, when it was last used
and how many people it has read), and each one's audit. Viewing them is audited."""

from django.db import transaction
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from waypoint.access.policy import actor_for
from waypoint.accounts.permissions import permission
from waypoint.audit import services as audit
from waypoint.audit.models import Action, Basis, RecordType

from . import selectors


def _audit_view(request, record_id=""):
    # System clients are service accounts: their review is audited as account reading (no person).
    with transaction.atomic():
        audit.write(
            actor_for(request, Basis.PRIVACY_REVIEW),
            action=Action.VIEW,
            record_type=RecordType.STAFF_ACCOUNT,
            record_id=record_id,
        )


@permission("review_system_clients", methods=(), hide=True)
@require_GET
def client_list(request):
    _audit_view(request)
    return render(request, "fhir/system_clients.jinja", {"clients": selectors.system_clients()})


@permission("review_system_clients", methods=(), hide=True)
@require_GET
def client_audit(request, client_id):
    client = selectors.system_client(client_id)
    if client is None:
        raise Http404("No such system client")
    _audit_view(request, record_id=str(client.application.user_id))
    context = {
        "client": client,
        "events": selectors.client_events(client),
        "limit": selectors.EVENTS_SHOWN,
    }
    return render(request, "fhir/system_client_audit.jinja", context)
