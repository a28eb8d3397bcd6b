"""A refused action (`permissions.PermissionRefused`) becomes Waypoint's own page, never a 500 or a 404.

The page says, in plain words, which action the user's role does not allow, shows back what they
typed (so nothing is lost: they can copy it or pass it to a colleague who may take the action), and
offers a way back. It answers 403: unlike a record the user has no relationship with (404, ADR
0003), the user can see this record; they may not take this one action on it.
"""

from django.conf import settings
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme

from waypoint.accounts.permissions import PermissionRefused

# Hidden machinery of a form, not something the user typed.
_NOT_TYPED = {"csrfmiddlewaretoken", "submission_token", "version", "based_on"}


def typed_values(request) -> list[tuple[str, str]]:
    values = []
    for name, items in request.POST.lists():
        if name in _NOT_TYPED:
            continue
        for item in items:
            if item.strip():
                values.append((name.replace("_", " ").capitalize(), item))
    return values


def back_link(request) -> str:
    referer = request.META.get("HTTP_REFERER", "")
    if referer and url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return referer
    return "/"


def not_found_page(request):
    """Waypoint's own "Page not found" (header, a way back, the way to emergency access)."""
    response = render(request, "404.html", {"back": back_link(request)}, status=404)
    response.waypoint_page = True  # type: ignore[attr-defined]
    return response


class PermissionRefusedMiddleware:
    """Also: with DEBUG on (the demo), Django would answer a refused record with its technical page
    listing every URL pattern; this answers Waypoint's own page instead, as production does."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            settings.DEBUG
            and response.status_code == 404
            and "text/html" in response.get("Content-Type", "")
            and not getattr(response, "waypoint_page", False)
        ):
            return not_found_page(request)
        return response

    def process_exception(self, request, exception):
        if not isinstance(exception, PermissionRefused):
            return None
        response = render(
            request,
            "access/refused.jinja",
            {"message": exception.message, "typed": typed_values(request), "back": back_link(request)},
            status=403,
        )
        response["X-Waypoint-Refused"] = exception.action
        return response
