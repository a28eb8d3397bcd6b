from django.conf import settings
from django.contrib import admin
from django.http import HttpResponse
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import include, path
from oauth2_provider import views as oauth

# OAuth 2.0 for the FHIR API: only the endpoints a client needs. django-oauth-toolkit's pages for
# managing applications, device codes, OpenID Connect and dynamic registration are not served:
# system clients are registered by the system administrator (`register_fhir_client`).
OAUTH_ENDPOINTS = [
    path("authorize/", oauth.AuthorizationView.as_view(), name="authorize"),
    path("token/", oauth.TokenView.as_view(), name="token"),
    path("revoke_token/", oauth.RevokeTokenView.as_view(), name="revoke-token"),
    path("introspect/", oauth.IntrospectTokenView.as_view(), name="introspect"),
]

# Each role lands on its own work (issue 18, item 11): the first role in this list that the user holds.
HOME_BY_ROLE = [
    ("team_manager", "worklist:team"),
    ("care_coordinator", "worklist:my_caseload"),
    ("support_worker", "tasks:mine"),
    ("student", "tasks:mine"),
    ("privacy_officer", "access:break_glass_list"),
    ("system_administrator", "admin:index"),
]


def home(request):
    if request.user.is_authenticated:
        for role, url_name in HOME_BY_ROLE:
            if request.user.has_role(role):
                return redirect(url_name)
    return redirect("patients:search")


def nhsuk_asset(request, path):
    """NHS.UK frontend's compiled CSS asks for images at /assets/...: send it to the static copy."""
    return redirect(static(f"nhsuk/assets/{path}"), permanent=False)


def health(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("", home, name="home"),
    path("health/", health, name="health"),
    path("assets/<path:path>", nhsuk_asset, name="nhsuk_asset"),
    path("", include("waypoint.accounts.urls")),
    path("people/", include("waypoint.patients.urls")),
    path("", include("waypoint.access.urls")),
    path("", include("waypoint.audit.urls")),
    path("referrals/", include("waypoint.referrals.urls")),
    path("allocation/", include("waypoint.episodes.urls")),
    path("duty/", include("waypoint.duty.urls")),
    path("", include("waypoint.assessments.urls")),
    path("", include("waypoint.risk.urls")),
    path("", include("waypoint.plans.urls")),
    path("", include("waypoint.reviews.urls")),
    path("", include("waypoint.contacts.urls")),
    path("", include("waypoint.notes.urls")),
    path("", include("waypoint.tasks.urls")),
    path("", include("waypoint.worklist.urls")),
    path("workforce/", include("waypoint.workforce.urls")),
    path("", include("waypoint.measures.urls")),
    path("fhir/R4/", include("waypoint.fhir.urls")),
    path("system-clients/", include("waypoint.fhir.page_urls")),
    path("oauth/", include((OAUTH_ENDPOINTS, "oauth2_provider"))),
    path("", include("waypoint.legal.urls")),
    path("", include("waypoint.medicines.urls")),
    path("", include("waypoint.safeguarding.urls")),
    path("", include("waypoint.incidents.urls")),
    path("", include("waypoint.meetings.urls")),
    path("reports/", include("waypoint.reports.urls")),
    path("", include("waypoint.offline.urls")),
    path("", include("waypoint.continuity.urls")),
    path("admin/", admin.site.urls),
]

admin.site.site_header = f"{settings.WAYPOINT_SERVICE_NAME} administration"
