"""Read-only mode at the door: every request that would change something is refused with
Waypoint's own page, "Changes are paused", which shows back what the user typed (as the
permissions refusal does, `access.middleware`), so nothing is lost. Pages stay readable.

The services refuse too (`permissions.require` and `audit.write` raise `ChangesPaused`); this
middleware turns that refusal into the same page, whichever way it came.
"""

from django.http import HttpRequest
from django.shortcuts import render
from django.urls import Resolver404, resolve

from waypoint.access.middleware import back_link, typed_values

from . import state

SAFE_METHODS = {"GET", "HEAD", "OPTIONS", "TRACE"}

# Posts that read-only mode lets through: signing in (a password and a code) and signing out.
# They write only the session, and staff must be able to sign in to read. Setting a new password
# or a new authenticator at sign-in is a change, and waits.
ALLOWED_WHILE_READ_ONLY = {"accounts:sign_in", "accounts:sign_in_code", "accounts:sign_out"}


def _url_name(request: HttpRequest) -> str:
    try:
        return resolve(request.path_info).view_name
    except Resolver404:
        return ""


def paused_page(request, status=503):
    response = render(
        request,
        "continuity/paused.jinja",
        {"typed": typed_values(request), "back": back_link(request), "read_only_state": state.current()},
        status=status,
    )
    response["X-Waypoint-Read-Only"] = "refused"
    response["Retry-After"] = "600"
    return response


class ReadOnlyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            request.method not in SAFE_METHODS
            and state.is_read_only()
            and _url_name(request) not in ALLOWED_WHILE_READ_ONLY
        ):
            return paused_page(request)
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, state.ChangesPaused):
            return paused_page(request)
        return None
