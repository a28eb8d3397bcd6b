"""Reads for the system clients pages (privacy officer, system administrator). Fixed query counts."""

from django.db.models import Count, OuterRef, Subquery

from waypoint.audit.models import AuditEvent

from .models import SystemClient

EVENTS_SHOWN = 500


def system_clients() -> list[SystemClient]:
    """Every registered system client with when it last read anything and how many different people
    it has read (from the audit, under its service account): one query."""
    events = AuditEvent.objects.filter(user=OuterRef("application__user"))
    people = (
        AuditEvent.objects.filter(user=OuterRef("application__user"), person__isnull=False)
        .order_by()
        .values("user")
        .annotate(n=Count("person", distinct=True))
        .values("n")
    )
    return list(
        SystemClient.objects.select_related("application", "application__user")
        .annotate(
            last_used=Subquery(events.order_by("-occurred_at").values("occurred_at")[:1]),
            people_read=Subquery(people[:1]),
        )
        .order_by("application__name", "pk")
    )


def system_client(client_id: int) -> SystemClient | None:
    return (
        SystemClient.objects.select_related("application", "application__user").filter(pk=client_id).first()
    )


def client_events(client: SystemClient) -> list[AuditEvent]:
    """What the client's service account did, newest first (the latest EVENTS_SHOWN)."""
    return list(
        AuditEvent.objects.filter(user=client.application.user)
        .select_related("person")
        .order_by("-occurred_at", "-pk")[:EVENTS_SHOWN]
    )
