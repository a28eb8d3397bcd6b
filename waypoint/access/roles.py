"""Role checks for pages that are not about one person's care."""

from functools import wraps

from django.http import Http404

from waypoint.accounts.models import RoleCode


def require_role(*codes):
    """Only staff holding one of these roles may use the view; anyone else gets 404 (nothing to see here)."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not any(request.user.has_role(code) for code in codes):
                raise Http404("Not found")
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


privacy_officer_required = require_role(RoleCode.PRIVACY_OFFICER)
