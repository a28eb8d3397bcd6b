"""Middleware shared by every page."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, QueryDict


def _without_nul(data: QueryDict) -> QueryDict:
    cleaned = QueryDict(mutable=True, encoding=data.encoding)
    for key, values in data.lists():
        cleaned.setlist(key.replace("\x00", ""), [value.replace("\x00", "") for value in values])
    cleaned._mutable = False
    return cleaned


def _has_nul(data: QueryDict) -> bool:
    return any("\x00" in key or any("\x00" in value for value in values) for key, values in data.lists())


class StripNulMiddleware:
    """Remove NUL characters from the query string and posted form fields.

    Nobody types a NUL (0x00), PostgreSQL refuses to store or even compare text containing one
    ("A string literal cannot contain NUL characters"), and a search for `a%00` used to be a
    server error. Removing it here means no view, search or form has to remember to.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if _has_nul(request.GET):
            request.GET = _without_nul(request.GET)  # type: ignore[assignment]  # a QueryDict like Django's
        if request.method == "POST" and request.content_type in (
            "application/x-www-form-urlencoded",
            "multipart/form-data",
        ):
            if _has_nul(request.POST):
                request.POST = _without_nul(request.POST)  # type: ignore[assignment]  # a QueryDict like Django's
        return self.get_response(request)
