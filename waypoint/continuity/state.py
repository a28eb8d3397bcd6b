"""Read-only mode: is it on, who turned it on and when, and the refusal a write meets.

Read-only mode is on when `WAYPOINT_READ_ONLY` is true, or when the flag file named by
`WAYPOINT_READ_ONLY_FILE` exists (`manage.py read_only on` writes it, `off` removes it). The flag
lives in a file, not in the database, so that it can be turned on while the database itself
refuses writes (a failover to a read-only replica): nothing here touches the database.

A file that exists but cannot be read or parsed still means "read-only": failing towards paused
changes is safe, failing towards writes against a database that refuses them is not.
"""

import json
import os
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.utils import timezone

PAUSED_MESSAGE = "Changes are paused while Waypoint is being looked after. You can still read every record you could before."


class ChangesPaused(Exception):
    """A write was attempted while Waypoint is read-only (raised by services and the middleware)."""

    def __init__(self, what: str = ""):
        self.what = what
        super().__init__(f"Changes are paused (read-only mode){': ' + what if what else ''}")


@dataclass(frozen=True)
class ReadOnlyState:
    source: str  # "setting" (WAYPOINT_READ_ONLY) or "file" (manage.py read_only on)
    since: datetime | None = None
    reason: str = ""
    by: str = ""


def flag_path() -> Path:
    return Path(settings.WAYPOINT_READ_ONLY_FILE)


def current() -> ReadOnlyState | None:
    """The read-only state, or None when Waypoint takes changes. A stat and a small read: no query."""
    if settings.WAYPOINT_READ_ONLY:
        return ReadOnlyState(source="setting", reason="WAYPOINT_READ_ONLY is set")
    path = flag_path()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except OSError:
        return ReadOnlyState(source="file", reason=f"the flag file {path} exists but cannot be read")
    try:
        data = json.loads(text)
        since = datetime.fromisoformat(data["since"]) if data.get("since") else None
        return ReadOnlyState(
            source="file", since=since, reason=str(data.get("reason", "")), by=str(data.get("by", ""))
        )
    except (ValueError, TypeError, KeyError, AttributeError):
        return ReadOnlyState(source="file", reason=f"the flag file {path} is not one Waypoint wrote")


def is_read_only() -> bool:
    return current() is not None


def refuse_if_paused(what: str = "") -> None:
    """Called by every service that writes (through `permissions.require` and `audit.write`)."""
    if is_read_only():
        raise ChangesPaused(what)


def turn_on(*, reason: str = "", by: str = "") -> ReadOnlyState:
    """Write the flag file atomically (a temporary file in the same folder, then renamed)."""
    path = flag_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    since = timezone.now()
    payload = json.dumps({"since": since.isoformat(), "reason": reason, "by": by})
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".read-only-")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(payload)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return ReadOnlyState(source="file", since=since, reason=reason, by=by)


def turn_off() -> bool:
    """Remove the flag file; True if it was there. The setting, if set, still holds."""
    try:
        flag_path().unlink()
    except FileNotFoundError:
        return False
    return True
