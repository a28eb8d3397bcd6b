"""One-time tokens for create forms: a repeated submit shows the first result, never a second record.

A create form puts `{{ submission_token() }}` inside its `<form>` (a Jinja global: a hidden input
with a new random token each time the form is drawn), and its view is decorated with `@once`.

`@once` claims the token by inserting a `SubmissionToken` row (the token is unique) in a
transaction around the view, so the claim and the record the view's service creates are saved
together or not at all:

- the view answers with a redirect (it saved): the redirect's address is kept as the result;
- the view answers with the form again (something to correct): the claim is removed, so the
  corrected form can be sent;
- the token was already claimed (a double click, the back button, a retry): no view runs; the
  member of staff is sent to the first result with the message "This was already saved". At the
  same moment, the database makes the second claim wait for the first to finish.

A post without a token (an old page, a script) is handled as before. A token claimed by someone
else is a 404, like any record the user may not see.
"""

# PARTIAL: claimed tokens are never deleted (one small row per record created); a housekeeping
# job that deletes those older than a day is not written yet.

import re
import secrets
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.db import IntegrityError, transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from markupsafe import Markup

from .models import SubmissionToken

FIELD = "submission_token"
ALREADY_SAVED = "This was already saved"
_TOKEN = re.compile(r"[A-Za-z0-9_-]{20,64}")


def new_token() -> str:
    return secrets.token_urlsafe(24)


def submission_token_input() -> Markup:
    """The hidden input a create form carries (the Jinja global `submission_token()`)."""
    return Markup('<input type="hidden" name="{}" value="{}">').format(FIELD, new_token())


def _posted_token(request: HttpRequest) -> str | None:
    if request.method != "POST":
        return None
    token = request.POST.get(FIELD, "")
    return token if _TOKEN.fullmatch(token) else None


def _first_result(request: HttpRequest, token: str) -> HttpResponse:
    first = SubmissionToken.objects.filter(token=token).first()
    if first is None or first.user_id != request.user.pk or not first.result_url:
        raise Http404("No such submission")
    messages.info(request, ALREADY_SAVED)
    return redirect(first.result_url)


def once(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Decorate a create view so each rendered form can be saved once."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        token = _posted_token(request)
        if token is None:
            return view(request, *args, **kwargs)
        with transaction.atomic():
            try:
                with transaction.atomic():
                    claim = SubmissionToken.objects.create(token=token, user=request.user)  # type: ignore[misc]  # signed in (middleware)
            except IntegrityError:
                return _first_result(request, token)
            response = view(request, *args, **kwargs)
            if response.status_code in (301, 302, 303) and response.get("Location"):
                claim.result_url = response["Location"][:500]
                claim.save(update_fields=["result_url"])
            else:
                claim.delete()
            return response

    return wrapper
