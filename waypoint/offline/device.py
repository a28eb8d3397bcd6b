"""The key that encrypts the visit day on the phone: one per signed-in session, kept in the server
session (so it goes when the session goes), handed to the page with the day's visits.

The design, and why the phone keeps it where it does: docs/decisions/0020-offline-visit-day-key.md.
"""

import base64
import secrets
import time
from datetime import UTC, datetime

from django.conf import settings
from django.utils import timezone

from waypoint.accounts.middleware import SESSION_SIGNED_IN_AT

from .models import HeldKey

SESSION_KEY = "waypoint_offline_key"
# A browser-session cookie naming the key in use, readable by the page (it is not a secret): it
# goes when the browser session does, so the phone can tell, with no signal, that the session
# the key belongs to is over. The key itself is never in a cookie.
MARKER_COOKIE = "waypoint_offline"
MARKER_PATH = "/visits/"


def session_key(request) -> dict:
    """{"id", "key" (base64url, 256 bits), "expires_at" (ms since 1970)} for this session: made on
    first use, the same for the rest of the session, gone with it (sign-out flushes the session)."""
    stored = request.session.get(SESSION_KEY)
    if not stored:
        raw = secrets.token_bytes(32)
        stored = {
            "id": secrets.token_hex(8),
            "key": base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii"),
        }
        request.session[SESSION_KEY] = stored
    signed_in_at = request.session.get(SESSION_SIGNED_IN_AT) or time.time()
    expires_at = signed_in_at + settings.WAYPOINT_SESSION_MAX_HOURS * 3600
    return {**stored, "expires_at": int(expires_at * 1000)}


# Held keys. So that what a worker recorded offline is not lost when the browser closes (or its
# session ends) before it was sent, Waypoint keeps each of the worker's keys, for that worker only,
# until the key's own expiry (the session's maximum age). The phone forgets the key when its
# browser session ends and keeps only the ciphertext of what was not sent; when the same worker
# signs in again before the expiry, the page is handed their held keys and moves those items to
# the new session's key. Anyone else signing in on the phone gets none of them, so the items stay
# unreadable and are deleted. Signing out deletes the worker's held keys (the phone's storage is
# wiped then too); ending their sessions (a new session generation) stops them being handed out.
# The same key is in the server session row anyway until that row expires; what this adds is
# finding it again by worker. docs/offline.md, ADR 0020.


def _expires(key: dict) -> datetime:
    return datetime.fromtimestamp(key["expires_at"] / 1000, tz=UTC)


def hold(user, key: dict) -> None:
    """Keep this session's key for the worker until it expires (once: the first time it is used)."""
    if HeldKey.objects.filter(key_id=key["id"]).exists():
        return
    HeldKey.objects.filter(expires_at__lte=timezone.now()).delete()  # nobody's expired keys stay
    HeldKey.objects.get_or_create(
        key_id=key["id"],
        defaults={
            "user": user,
            "key": key["key"],
            "session_generation": user.session_generation,
            "expires_at": _expires(key),
        },
    )


def held_keys(user, current_id: str) -> list[dict]:
    """The worker's own earlier keys that have not expired, from sessions not ended since:
    [{"key_id", "key", "expires_at" (ms since 1970)}]. Never anyone else's."""
    rows = HeldKey.objects.filter(
        user=user, session_generation=user.session_generation, expires_at__gt=timezone.now()
    ).exclude(key_id=current_id)
    return [
        {"key_id": row.key_id, "key": row.key, "expires_at": int(row.expires_at.timestamp() * 1000)}
        for row in rows
    ]


def drop_held_keys(user) -> int:
    """Signing out: every key held for the worker goes (on every phone, not only this one)."""
    deleted, _ = HeldKey.objects.filter(user=user).delete()
    return deleted


def set_marker(response, request, key_id: str) -> None:
    response.set_cookie(
        MARKER_COOKIE,
        key_id,
        path=MARKER_PATH,
        secure=request.is_secure() or settings.SESSION_COOKIE_SECURE,
        httponly=False,
        samesite="Strict",
    )  # no max_age: a browser-session cookie, like the session cookie itself
