"""Session lifetime, sign-in required, and no caching of pages."""

import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse

SESSION_SIGNED_IN_AT = "waypoint_signed_in_at"
SESSION_LAST_SEEN_AT = "waypoint_last_seen_at"

PUBLIC_PATH_PREFIXES = ("/sign-in/", "/static/", "/assets/", "/health/")


def redirect_to_sign_in(request):
    """To the sign-in page, coming back afterwards to the page asked for (query string kept)."""
    return redirect(f"{reverse('accounts:sign_in')}?{urlencode({'next': request.get_full_path()})}")


class SessionLifetimeMiddleware:
    """Sign people out after an idle period and after an absolute lifetime, both configurable."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = time.time()
            signed_in_at = request.session.get(SESSION_SIGNED_IN_AT, now)
            last_seen_at = request.session.get(SESSION_LAST_SEEN_AT, now)
            idle_limit = settings.WAYPOINT_IDLE_TIMEOUT_MINUTES * 60
            absolute_limit = settings.WAYPOINT_SESSION_MAX_HOURS * 3600
            if now - last_seen_at > idle_limit or now - signed_in_at > absolute_limit:
                logout(request)
                messages.info(request, "You were signed out to keep records safe. Sign in again to carry on.")
                return redirect_to_sign_in(request)
            request.session.setdefault(SESSION_SIGNED_IN_AT, now)
            request.session[SESSION_LAST_SEEN_AT] = now
        return self.get_response(request)


class SignInRequiredMiddleware:
    """Every page needs a signed-in member of staff, except the sign-in page and static files."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.user.is_authenticated and not request.path.startswith(PUBLIC_PATH_PREFIXES):
            if request.path.startswith("/admin/"):
                return self.get_response(request)  # the admin has its own sign-in
            return redirect_to_sign_in(request)
        return self.get_response(request)


class NoStoreMiddleware:
    """Nothing Waypoint serves (other than static assets) may be kept in a cache."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not request.path.startswith("/static/"):
            response["Cache-Control"] = "no-store"
            response["Pragma"] = "no-cache"
        return response
