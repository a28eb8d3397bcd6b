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
SESSION_GENERATION = "waypoint_session_generation"
SESSION_MFA_VERIFIED = "waypoint_mfa_verified"

# The FHIR API and the OAuth token endpoints authenticate with tokens and client secrets, not a
# session (waypoint/fhir/auth.py); the OAuth authorisation page itself needs a signed-in user.
PUBLIC_PATH_PREFIXES = (
    "/sign-in/",
    "/static/",
    "/assets/",
    "/health/",
    "/fhir/",
    "/oauth/token/",
    "/oauth/revoke_token/",
    "/oauth/introspect/",
)
ADMIN_SIGN_IN_PATH = "/admin/login/"


def redirect_to_sign_in(request):
    """To the sign-in page, coming back afterwards to the page asked for (query string kept)."""
    return redirect(f"{reverse('accounts:sign_in')}?{urlencode({'next': request.get_full_path()})}")


class SessionLifetimeMiddleware:
    """Sign people out after an idle period and after an absolute lifetime, both configurable;
    when their sessions were ended (or their account disabled) since they signed in; and, where
    MFA is required, when the session was not signed in through the code step."""

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
            # A session with no generation recorded counts as generation 0 (sessions made by
            # force_login in tests); any end_sessions or disabling moves the user past it.
            ended = request.session.get(SESSION_GENERATION, 0) != request.user.session_generation
            unverified = settings.WAYPOINT_MFA_REQUIRED and not request.session.get(SESSION_MFA_VERIFIED)
            if ended or unverified:
                logout(request)
                messages.info(request, "You have been signed out. Sign in again to carry on.")
                return redirect_to_sign_in(request)
            if SESSION_SIGNED_IN_AT not in request.session:
                request.session[SESSION_SIGNED_IN_AT] = now
            # The idle clock is moved on at most once a minute (WAYPOINT_SESSION_TOUCH_SECONDS):
            # writing it on every request would save the session, a database write, on every page.
            # The idle timeout is therefore measured to within that many seconds.
            if SESSION_LAST_SEEN_AT not in request.session or (
                now - last_seen_at >= settings.WAYPOINT_SESSION_TOUCH_SECONDS
            ):
                request.session[SESSION_LAST_SEEN_AT] = now
        return self.get_response(request)


class SignInRequiredMiddleware:
    """Every page needs a signed-in member of staff, except the sign-in page and static files."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path == ADMIN_SIGN_IN_PATH:
            # The admin's own sign-in asks for a password only; everyone signs in through
            # Waypoint's sign-in steps (password, new password, code) instead.
            next_url = request.GET.get("next") or "/admin/"
            return redirect(f"{reverse('accounts:sign_in')}?{urlencode({'next': next_url})}")
        if not request.user.is_authenticated and not request.path.startswith(PUBLIC_PATH_PREFIXES):
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
