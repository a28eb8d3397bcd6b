"""Privacy officer pages: who has looked at a record, when and why; exportable as CSV."""

from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from waypoint.access.policy import actor_for
from waypoint.access.roles import privacy_officer_required
from waypoint.core import csv_export

from . import selectors
from . import services as audit
from .models import Action, Basis, RecordType


@privacy_officer_required
def find_person(request):
    query = request.GET.get("q", "").strip()
    results = list(selectors.people_matching(query)) if query else []
    if query:
        with transaction.atomic():
            audit.write(
                actor_for(request, Basis.PRIVACY_REVIEW),
                action=Action.SEARCH,
                record_type=RecordType.PERSON_SEARCH,
            )
    return render(request, "audit/find_person.jinja", {"query": query, "results": results})


@privacy_officer_required
def access_history(request, person_id):
    person = selectors.person_for_privacy_review(person_id)
    if person is None:
        raise Http404("No person found")
    export = request.GET.get("format") == "csv"
    with transaction.atomic():
        audit.write(
            actor_for(request, Basis.PRIVACY_REVIEW),
            person=person,
            action=Action.EXPORT if export else Action.VIEW,
            record_type=RecordType.ACCESS_HISTORY,
            record_id=person.pk,
        )
    events = selectors.access_history(person)
    if export:
        return _csv(person, events)
    return render(request, "audit/access_history.jinja", {"person": person, "events": events[:500]})


@privacy_officer_required
def account_changes(request):
    """Changes to staff accounts, roles and team memberships, newest first, for review."""
    with transaction.atomic():
        audit.write(
            actor_for(request, Basis.PRIVACY_REVIEW),
            action=Action.VIEW,
            record_type=RecordType.ACCOUNT_CHANGES,
        )
    context = {
        "changes": selectors.account_changes(limit=ACCOUNT_CHANGES_SHOWN),
        "pending": list(selectors.pending_role_grants()),
        "limit": ACCOUNT_CHANGES_SHOWN,
    }
    return render(request, "audit/account_changes.jinja", context)


ACCOUNT_CHANGES_SHOWN = 500


def _csv(person, events):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="access-history-{person.local_id}-{stamp}.csv"'
    writer = csv_export.writer(response)
    writer.writerow(
        [
            "When (UK time)",
            "Staff",
            "Username",
            "Action",
            "Record type",
            "Record ID",
            "Basis",
            "Break-glass reason",
        ]
    )
    for event in events.iterator(chunk_size=1000):
        writer.writerow(
            [
                timezone.localtime(event.occurred_at).strftime("%Y-%m-%d %H:%M:%S"),
                event.user.display_name if event.user else "",
                event.user.username if event.user else "",
                event.get_action_display(),
                event.record_type,
                event.record_id,
                event.get_basis_display(),
                event.break_glass_reason,
            ]
        )
    return response
