"""The team's downtime pack page and its download (docs/continuity.md)."""

from django.http import FileResponse, Http404
from django.shortcuts import render
from django.utils import timezone

from waypoint.access.policy import actor_for
from waypoint.accounts.permissions import permission
from waypoint.accounts.teams import user_teams
from waypoint.audit.models import Basis

from . import packs, services


def _my_team(request, team_id):
    for team in user_teams(request.user):
        if team.pk == team_id:
            return team
    raise Http404("Not a team you belong to")


def pack_list(request):
    teams = list(user_teams(request.user))
    if not teams:
        raise Http404("You are not a member of a team")
    now = timezone.now()
    rows = [{"team": team, "info": packs.pack_info(team.pk)} for team in teams]
    for team in teams:
        services.record_pack_list(actor_for(request, Basis.TEAM), team)
    return render(
        request, "continuity/packs.jinja", {"rows": rows, "now": now, "page_title": "Downtime packs"}
    )


@permission(services.ACTION, methods=("GET", "POST"))
def download(request, team_id):
    team = _my_team(request, team_id)
    if request.method != "GET":
        raise Http404("Downloads only")
    info = packs.pack_info(team.pk)
    if info is None:
        raise Http404("No pack yet")
    services.record_download(actor_for(request, Basis.TEAM), info)
    stamp = info.generated_at.astimezone(timezone.get_current_timezone()).strftime("%Y-%m-%d-%H%M")
    return FileResponse(
        open(info.path, "rb"),  # noqa: SIM115 - FileResponse closes it
        as_attachment=True,
        filename=f"downtime-pack-team-{team.pk}-{stamp}.html.age",
        content_type="application/octet-stream",
    )
