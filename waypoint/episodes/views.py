from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render

from waypoint.access.policy import get_person_for_view
from waypoint.access.roles import require_role
from waypoint.accounts.models import RoleCode
from waypoint.accounts.teams import chosen_team, user_teams
from waypoint.patients import selectors as people_selectors
from waypoint.referrals import selectors as referral_selectors

from . import selectors, services
from .forms import AllocationForm

manager_required = require_role(RoleCode.TEAM_MANAGER)


@manager_required
def allocate(request, referral_id):
    referral = referral_selectors.referral_by_id(referral_id)
    if referral is None or referral.team_id not in request.user.current_team_ids():
        raise Http404("No referral found")
    get_person_for_view(request, referral.person_id, record_type="referral", record_id=referral.pk)
    members = list(selectors.team_members_with_caseloads(referral.team))
    form = AllocationForm(
        request.POST or None, members=members, initial={"kind": request.GET.get("kind", "assessing")}
    )
    if request.method == "POST" and form.is_valid():
        worker = form.members[form.cleaned_data["worker"]]
        services.allocate(
            user=request.user,
            referral=referral,
            worker=worker,
            kind=form.cleaned_data["kind"],
            weight=form.cleaned_data["weight"],
            path=request.path,
        )
        messages.success(request, f"{worker.display_name} allocated")
        return redirect("referrals:detail", referral.pk)
    return render(
        request,
        "episodes/allocate.jinja",
        {
            "referral": referral,
            "person": referral.person,
            "alerts": people_selectors.current_alerts(referral.person),
            "form": form,
            "members": members,
            "history": selectors.allocation_history(referral),
        },
    )


@manager_required
def caseloads(request):
    team = chosen_team(request)
    return render(
        request,
        "episodes/caseloads.jinja",
        {
            "team": team,
            "teams": user_teams(request.user),
            "members": selectors.team_members_with_caseloads(team),
        },
    )
