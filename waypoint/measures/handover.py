"""Handing the device to the person: while a self-completion is under way the signed-in session
is locked to its questionnaire.

`lock(request, self_completion)` marks the session; `HandoverLockMiddleware` then answers every
other page of Waypoint (the record, the navigation, search, other people, sign-out) by sending the
browser back to the questionnaire. Only the member of staff unlocks it, on the hand-back page, by
entering their password again (`unlock`). Five wrong passwords end the session (the person is
signed out; the answers already given are kept).
"""

from django.shortcuts import redirect

SESSION_KEY = "waypoint_handover"
FAILED_KEY = "waypoint_handover_failures"
MAX_FAILURES = 5
ALLOWED_PREFIXES = ("/self-completion/", "/static/", "/assets/", "/favicon")


def lock(request, self_completion) -> None:
    request.session[SESSION_KEY] = self_completion.pk
    request.session[FAILED_KEY] = 0


def unlock(request) -> None:
    request.session.pop(SESSION_KEY, None)
    request.session.pop(FAILED_KEY, None)


def locked_to(request) -> int | None:
    session = getattr(request, "session", None)
    return session.get(SESSION_KEY) if session is not None else None


def record_failure(request) -> int:
    """Count a wrong password on the hand-back page; returns the number so far."""
    failures = int(request.session.get(FAILED_KEY, 0)) + 1
    request.session[FAILED_KEY] = failures
    return failures


class HandoverLockMiddleware:
    """While the device is with the person, nothing but the questionnaire is reachable."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if locked_to(request) is not None and not request.path.startswith(ALLOWED_PREFIXES):
            return redirect("measures:self_question")
        return self.get_response(request)
