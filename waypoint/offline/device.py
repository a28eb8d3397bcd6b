"""The key that encrypts the visit day on the phone: one per signed-in session, kept in the server
session (so it goes when the session goes), handed to the page with the day's visits.

The design, and why the phone keeps it where it does: docs/decisions/0020-offline-visit-day-key.md.
"""

import base64
import secrets
import time

from django.conf import settings

from waypoint.accounts.middleware import SESSION_SIGNED_IN_AT

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


def set_marker(response, request, key_id: str) -> None:
    response.set_cookie(
        MARKER_COOKIE,
        key_id,
        path=MARKER_PATH,
        secure=request.is_secure() or settings.SESSION_COOKIE_SECURE,
        httponly=False,
        samesite="Strict",
    )  # no max_age: a browser-session cookie, like the session cookie itself
