from django.conf import settings
from django.contrib import admin
from django.http import HttpResponse
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import include, path

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
    path("admin/", admin.site.urls),
]

admin.site.site_header = f"{settings.WAYPOINT_SERVICE_NAME} administration"
