"""Write audit rows. Call inside the same transaction as the change being audited."""

from .models import AuditEvent


def record(
    *,
    user,
    action: str,
    record_type: str,
    basis: str,
    person=None,
    record_id="",
    break_glass_reason: str = "",
    fields_changed=(),
    path: str = "",
) -> AuditEvent:
    return AuditEvent.objects.create(
        user=user if user is not None and user.is_authenticated else None,
        person=person,
        record_type=record_type,
        record_id=str(record_id or ""),
        action=action,
        basis=basis,
        break_glass_reason=break_glass_reason,
        fields_changed=sorted(fields_changed),
        path=path[:300],
    )
