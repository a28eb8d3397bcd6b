"""Write audit rows: one function, `write`, called inside the same transaction as the change.

It takes the acting user as one value (`by`, an `access.actor.Actor`: user, basis, break-glass
reason, path) and a `RecordType`; it refuses to run outside a transaction, for an anonymous user,
or with a record type that is not one of `RecordType`'s values.
"""

from django.db import transaction
from django.utils import timezone

from .models import Action, AuditEvent, Basis, RecordType


class SystemActor:
    """The acting "user" of a management command run by the Trust (the staff import): no signed-in
    member of staff, shown as "System". `write` accepts a missing user only for this value."""

    user = None
    basis = Basis.NONE
    break_glass_reason = ""
    path = "manage.py"


SYSTEM = SystemActor()


class AuditRefused(Exception):
    """An audit row was written outside a transaction, without a signed-in user, or untyped."""


def write(
    by,
    *,
    action: str,
    record_type: RecordType,
    person=None,
    record_id="",
    fields_changed=(),
    occurred_at=None,
) -> AuditEvent:
    """One audit row for what `by` (an Actor) did. Its basis, break-glass reason and path come
    from the actor, so a change made under break-glass carries the reason as a view does.

    `occurred_at`: only for a view that happened earlier on a phone with no signal, written when
    the phone sends it (waypoint/offline); never later than now. Otherwise the row is timed now."""
    if not transaction.get_connection().in_atomic_block:
        raise AuditRefused("Audit rows are written in the same transaction as what they record")
    user = getattr(by, "user", None)
    if by is not SYSTEM and (user is None or not user.is_authenticated):
        raise AuditRefused("Audit rows need the signed-in member of staff")
    if not isinstance(record_type, RecordType):
        raise AuditRefused(f"Record type {record_type!r} is not a RecordType")
    now = timezone.now()
    if occurred_at is not None and occurred_at > now:
        raise AuditRefused("An audit row cannot be timed in the future")
    row = {
        "occurred_at": occurred_at or now,
        "user": user,
        "person": person,
        "record_type": record_type,
        "record_id": str(record_id or ""),
        "action": action,
        "basis": by.basis,
        "break_glass_reason": by.break_glass_reason,
        "fields_changed": sorted(fields_changed),
        "path": (by.path or "")[:300],
    }
    from waypoint.continuity import state  # read-only mode (docs/continuity.md); reads a file, no query

    if state.is_read_only():
        return _write_while_read_only(row)
    return AuditEvent.objects.create(**row)


# What a member of staff may still do while Waypoint is read-only: read (and search, print,
# download). Every other action is a change, and is refused.
READ_ACTIONS = frozenset({Action.VIEW, Action.SEARCH, Action.EXPORT, Action.PRINT})


def _write_while_read_only(row: dict) -> AuditEvent:
    """Read-only mode: a change is refused (`ChangesPaused`, so a service that forgot to ask
    `permissions.require` is still stopped by its own audit row); a view is written in a savepoint,
    and if the database refuses it, appended to the spool with its time (`continuity.spool`)."""
    from django.db import DatabaseError

    from waypoint.continuity import spool, state

    if row["action"] not in READ_ACTIONS:
        raise state.ChangesPaused(str(row["record_type"]))
    event = AuditEvent(**row)
    try:
        with transaction.atomic():
            event.save()
    except DatabaseError:
        event.pk = None
        spool.append(
            {
                **{key: row[key] for key in spool.FIELDS if key in row},
                "user_id": row["user"].pk if row["user"] is not None else None,
                "person_id": getattr(row["person"], "pk", row["person"]),
                "occurred_at": event.occurred_at,
            }
        )
    return event
