"""Write audit rows: one function, `write`, called inside the same transaction as the change.

It takes the acting user as one value (`by`, an `access.actor.Actor`: user, basis, break-glass
reason, path) and a `RecordType`; it refuses to run outside a transaction, for an anonymous user,
or with a record type that is not one of `RecordType`'s values.
"""

from django.db import transaction
from django.utils import timezone

from .models import AuditEvent, Basis, RecordType


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
    return AuditEvent.objects.create(
        occurred_at=occurred_at or now,
        user=user,
        person=person,
        record_type=record_type,
        record_id=str(record_id or ""),
        action=action,
        basis=by.basis,
        break_glass_reason=by.break_glass_reason,
        fields_changed=sorted(fields_changed),
        path=(by.path or "")[:300],
    )
