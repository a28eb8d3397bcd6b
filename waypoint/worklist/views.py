"""My caseload, the team view and one coordinator's caseload (for supervision).

Each list is audited as one row (who, when, which caseload), not one row per person shown, as
the waiting list and the duty board are.
"""

from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from waypoint.access.policy import actor_for
from waypoint.access.roles import require_role
from waypoint.accounts.models import RoleCode
from waypoint.accounts.teams import chosen_team, user_teams
from waypoint.audit import services as audit
from waypoint.audit.models import Action, Basis, RecordType
from waypoint.core.pagination import page_links

from . import selectors
from .forms import CaseloadFilterForm

manager_required = require_role(RoleCode.TEAM_MANAGER)


def _audit(request, record_type, record_id):
    with transaction.atomic():
        audit.write(
            actor_for(request, Basis.NONE), action=Action.VIEW, record_type=record_type, record_id=record_id
        )


PAGE_SIZE = 25


def _caseload_context(request, rows):
    form = CaseloadFilterForm(request.GET or None, kinds=selectors.kind_choices(rows))
    chosen = form.values()
    shown = selectors.sort_rows(
        selectors.filter_rows(rows, overdue_only=chosen["overdue"], kind=chosen["kind"]), chosen["sort"]
    )
    page = Paginator(shown, PAGE_SIZE).get_page(request.GET.get("page"))
    return {
        "filters": form,
        "chosen": chosen,
        "filtered": chosen["overdue"] or bool(chosen["kind"]),
        "rows": list(page),
        "page": page,
        "pagination": page_links(request, page) if page.paginator.num_pages > 1 else None,
        "counts": selectors.counts(rows),
        "shown_counts": selectors.counts(shown),
        "today": timezone.localdate(),
    }


def my_caseload(request):
    today = timezone.localdate()
    rows = selectors.caseload(request.user, today)
    _audit(request, RecordType.CASELOAD, request.user.pk)
    context = _caseload_context(request, rows)
    context.update({"worker": request.user, "mine": True, "incoming": _incoming(request.user)})
    return render(request, "worklist/caseload.jinja", context)


# Coordinators per page of the team worklist: what is due is worked out for each person on the
# page's caseloads, so a page costs the same in a team of 50 coordinators as in a team of 5.
TEAM_PAGE_SIZE = 10


def _incoming(user, team=None):
    """Transfers waiting for a decision by the user's team (or `team`), if the user may decide them."""
    from waypoint.accounts import permissions
    from waypoint.accounts.permissions import Do
    from waypoint.episodes.selectors import incoming_transfers

    if not permissions.may(user, Do.DECIDE_TRANSFER):
        return []
    return incoming_transfers([team.pk] if team else user.current_team_ids(), user=user)


@manager_required
def team(request):
    team = chosen_team(request)
    coordinators = selectors.team_coordinators(team)
    page = Paginator(coordinators, TEAM_PAGE_SIZE).get_page(request.GET.get("page"))
    summaries = selectors.team_overview(team, timezone.localdate(), coordinators=list(page))
    _audit(request, RecordType.TEAM_CASELOADS, team.pk)
    return render(
        request,
        "worklist/team.jinja",
        {
            "team": team,
            "teams": user_teams(request.user),
            "summaries": summaries,
            "page": page,
            "pagination": page_links(request, page) if page.paginator.num_pages > 1 else None,
            "incoming": _incoming(request.user, team),
            "totals": {
                "people": sum(s.people for s in summaries),
                "overdue": sum(s.overdue for s in summaries),
                "due_soon": sum(s.due_soon for s in summaries),
            },
        },
    )


@manager_required
def coordinator_caseload(request, caseload_worker_id):
    """One coordinator's caseload in the manager's team, for supervision."""
    team = chosen_team(request)
    if not selectors.is_current_member(caseload_worker_id, team):
        raise Http404("Not a member of this team")
    worker = selectors.worker_by_id(caseload_worker_id)
    rows = selectors.caseload(worker, timezone.localdate(), team=team, viewer=request.user)
    _audit(request, RecordType.CASELOAD, worker.pk)
    context = _caseload_context(request, rows)
    context.update({"worker": worker, "mine": False, "team": team})
    return render(request, "worklist/caseload.jinja", context)
