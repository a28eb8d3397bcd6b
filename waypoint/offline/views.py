"""My visits today, the page the phone keeps for no signal, its service worker, and sync. Thin views.

- `visit_day` (/visits/): the worker's visits today, server-rendered (it works without JavaScript)
  with the same data as JSON for the page's script, which encrypts it into the phone's storage.
  Audited: one row per person sent.
- `shell` (/visits/offline/): the page with no patient data in it; the service worker keeps it and
  shows it when there is no signal, and the script fills it from the encrypted copy.
- `service_worker` (/visits/sw.js): served from /visits/ so that its scope covers these pages.
- `sync` (/visits/sync/): GET gives the script a fresh CSRF token; POST takes the queued items.
"""

import hashlib
import json

from django.http import HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from waypoint.accounts.permissions import permission

from . import device, selectors, services
from .extensions import SEND_OFFLINE_RECORDS, TAKE_VISITS_OFFLINE

# What the service worker keeps so the page opens with no signal (besides the page itself).
SHELL_ASSETS = (
    "nhsuk/nhsuk-frontend.min.css",
    "waypoint/waypoint.css",
    "htmx/htmx.min.js",
    "nhsuk/nhsuk-frontend.min.js",
    "offline/visits.js",
    "offline/icon-192.png",
)


def _page_context(request, mode):
    return {
        "page_title": "My visits today",
        "mode": mode,
        "service_worker_url": reverse("offline:service_worker"),
        "shell_url": reverse("offline:shell"),
        "sync_url": reverse("offline:sync"),
        "day_url": reverse("offline:visit_day"),
    }


@permission(TAKE_VISITS_OFFLINE, methods=("GET",), hide=True)
@require_GET
def visit_day(request):
    visits = selectors.visits_today(request.user)
    services.audit_visit_day(user=request.user, visits=visits, path=request.path)
    day = selectors.visit_day(request.user, visits)
    key = device.session_key(request)
    device.hold(request.user, key)
    context = _page_context(request, "online")
    context.update(
        {
            "day": day,
            "payload": {
                "device": {
                    "key": key["key"],
                    "key_id": key["id"],
                    "expires_at": key["expires_at"],
                    "held": device.held_keys(request.user, key["id"]),
                },
                "day": day,
            },
        }
    )
    response = render(request, "offline/visit_day.jinja", context)
    device.set_marker(response, request, key["id"])
    return response


@permission(TAKE_VISITS_OFFLINE, methods=("GET",), hide=True)
@require_GET
def shell(request):
    return render(request, "offline/visit_day.jinja", _page_context(request, "shell"))


@require_GET
def service_worker(request):
    assets = [static(name) for name in SHELL_ASSETS]
    shell_url = reverse("offline:shell")
    version = hashlib.sha256(json.dumps([shell_url, *assets]).encode()).hexdigest()[:12]
    script = render_to_string(
        "offline/sw.js",
        {
            "cache_name": f"waypoint-visits-{version}",
            "scope": reverse("offline:visit_day"),
            "shell_url": shell_url,
            "assets_json": json.dumps(assets),
        },
    )
    return HttpResponse(script, content_type="text/javascript; charset=utf-8")


@permission(SEND_OFFLINE_RECORDS, methods=("GET", "POST"))
@require_http_methods(["GET", "POST"])
def sync(request):
    if request.method == "GET":
        key = request.session.get(device.SESSION_KEY) or {}
        return JsonResponse({"csrf_token": get_token(request), "key_id": key.get("id", "")})
    if request.content_type != "application/json":
        return JsonResponse({"error": 'Send the items as JSON: {"items": [...]}'}, status=400)
    try:
        body = json.loads(request.body.decode("utf-8"))
        items = body["items"]
        answers = services.sync(user=request.user, items=items, path=request.path)
    except (ValueError, KeyError, TypeError, services.BadItem):
        return JsonResponse({"error": 'Send the items as JSON: {"items": [...]}'}, status=400)
    return JsonResponse({"results": answers})
