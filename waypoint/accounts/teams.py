"""Which team a page is about: the user's primary team, or one they choose that they belong to."""

from django.http import Http404

from waypoint.core.ids import parse_id

from .models import Team


def chosen_team(request, param="team"):
    """The team named by ?team=<id> if the user is a current member of it, else their primary team."""
    team_ids = request.user.current_team_ids()
    wanted = request.GET.get(param) or request.POST.get(param)
    if wanted:
        team_id = parse_id(wanted)
        if team_id is None or team_id not in team_ids:
            raise Http404("Not a team you belong to")
        return Team.objects.get(pk=team_id)
    team = request.user.primary_team()
    if team is None:
        raise Http404("You are not a member of a team")
    return team


def team_to_preselect(teams, primary=None):
    """The team a form chooses for the user before they do (issue 18, item 12): their primary team
    if it is offered, else the only team offered, else none (they choose). Returns its id."""
    ids = [getattr(team, "pk", team) for team in teams]
    primary_id = getattr(primary, "pk", primary)
    if primary_id is not None and primary_id in ids:
        return primary_id
    return ids[0] if len(ids) == 1 else None


def user_teams(user):
    return Team.objects.filter(pk__in=user.current_team_ids()).order_by("name")
