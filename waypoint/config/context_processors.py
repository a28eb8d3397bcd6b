"""Values every page's layout needs: the service name, the signed-in person and their team."""

from django.conf import settings

from waypoint.continuity import state as continuity


def layout(request):
    user = getattr(request, "user", None)
    context = {
        "service_name": settings.WAYPOINT_SERVICE_NAME,
        "current_user": None,
        "current_team": None,
        "mfa_required": settings.WAYPOINT_MFA_REQUIRED,
        "waypoint_demo": settings.WAYPOINT_DEMO,
        "read_only": continuity.current(),  # the "Changes are paused" banner (docs/continuity.md)
    }
    if user is not None and user.is_authenticated:
        context["current_user"] = user
        context["current_team"] = user.primary_team()
    nonce = getattr(request, "csp_nonce", None)
    context["csp_nonce"] = str(nonce) if nonce is not None else None
    return context
