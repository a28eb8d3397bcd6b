"""The audit spool: view rows that the database refused while Waypoint was read-only.

Rule 3 (every access is accountable) holds through a failover: when read-only mode is on and the
database refuses the audit row of a page view (a read-only replica, a database that is going
away), `audit.services.write` hands the row to `append`, which adds it as one JSON line to the
file named by `WAYPOINT_AUDIT_SPOOL`, with the time the view happened. Afterwards
`manage.py load_audit_spool` loads every line into the audit table in one transaction, keeping
those times, and renames the file so the same lines are never loaded twice.

The file is only ever appended to (opened "a", one whole line per write, under an exclusive lock,
flushed and synced before the page is shown). Loading first renames the spool to
`<spool>.loading-<time>`, so new views start a fresh spool meanwhile; a writer that opened the old
file just before the rename notices (its file is no longer the spool) and writes to the new one.
"""

import fcntl
import json
import os
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

FIELDS = (
    "user_id",
    "person_id",
    "record_type",
    "record_id",
    "action",
    "basis",
    "break_glass_reason",
    "fields_changed",
    "path",
)


def spool_path() -> Path:
    return Path(settings.WAYPOINT_AUDIT_SPOOL)


def append(row: dict) -> None:
    """Append one audit row (the fields above and `occurred_at`) as a JSON line."""
    line = json.dumps(
        {**{key: row.get(key) for key in FIELDS}, "occurred_at": row["occurred_at"].isoformat()}
    )
    path = spool_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    for _attempt in range(5):
        with open(path, "a", encoding="utf-8") as out:
            fcntl.flock(out.fileno(), fcntl.LOCK_EX)
            try:
                try:
                    same = os.fstat(out.fileno()).st_ino == os.stat(path).st_ino
                except FileNotFoundError:
                    same = False
                if not same:  # the loader renamed it after we opened it: write to the new spool
                    continue
                out.write(line + "\n")
                out.flush()
                os.fsync(out.fileno())
                return
            finally:
                fcntl.flock(out.fileno(), fcntl.LOCK_UN)
    raise OSError(f"Could not append to the audit spool {path}")


def pending_files() -> list[Path]:
    """Files waiting to be loaded: any left by an interrupted load, then the spool itself."""
    path = spool_path()
    left = sorted(path.parent.glob(path.name + ".loading-*")) if path.parent.exists() else []
    return [*left, *([path] if path.exists() else [])]


def count_pending() -> int:
    total = 0
    for path in pending_files():
        with open(path, encoding="utf-8") as handle:
            total += sum(1 for line in handle if line.strip())
    return total


def _claim(path: Path) -> Path:
    """Rename the live spool aside (waiting for any writer holding its lock) before reading it."""
    if ".loading-" in path.name:
        return path
    claimed = path.with_name(f"{path.name}.loading-{timezone.now().strftime('%Y%m%dT%H%M%S%f')}")
    with open(path, "a", encoding="utf-8") as handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            os.replace(path, claimed)
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
    return claimed


def _event(data: dict):
    from waypoint.audit.models import AuditEvent

    occurred_at = datetime.fromisoformat(data["occurred_at"])
    return AuditEvent(
        occurred_at=occurred_at,
        user_id=data.get("user_id"),
        person_id=data.get("person_id"),
        record_type=data["record_type"],
        record_id=data.get("record_id") or "",
        action=data["action"],
        basis=data["basis"],
        break_glass_reason=data.get("break_glass_reason") or "",
        fields_changed=data.get("fields_changed") or [],
        path=data.get("path") or "",
    )


def load() -> int:
    """Load every spooled row into the audit table, keeping when each view happened. Each file is
    loaded in one transaction and then renamed `.loaded-<time>` (kept, for the record): loading
    again never duplicates a row. Returns the number of rows loaded."""
    from waypoint.audit.models import AuditEvent

    from .state import is_read_only

    if is_read_only():
        raise RuntimeError("Waypoint is still read-only: turn read-only mode off before loading the spool.")
    loaded = 0
    for path in pending_files():
        claimed = _claim(path)
        with open(claimed, encoding="utf-8") as handle:
            rows = [json.loads(line) for line in handle if line.strip()]
        with transaction.atomic():
            AuditEvent.objects.bulk_create([_event(row) for row in rows], batch_size=500)
        os.replace(claimed, claimed.with_name(claimed.name.replace(".loading-", ".loaded-")))
        loaded += len(rows)
    return loaded
