"""Service reports: an index, one page per report (chart, table, CSV). Aggregates only."""

import io

from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render

from waypoint.access.policy import actor_for
from waypoint.accounts.permissions import permission
from waypoint.audit.models import Action, Basis
from waypoint.core.csv_export import writer

from . import access, registry, selectors, services
from .charts import chart_for
from .forms import WHOLE_SERVICE, ScopeForm


def _scope(request):
    teams = access.teams_for(request.user)
    whole = access.sees_whole_service(request.user)
    form = ScopeForm(request.GET or None, teams=teams, whole_service=whole)
    team, start, end = form.values()
    if team is None and not whole:
        raise Http404("Not found")
    scope = registry.Scope(
        team_ids=None if team is None else (team.pk,),
        start=start,
        end=end,
        label=team.name if team else "Whole service",
    )
    query = request.GET.urlencode() if form.is_bound and form.is_valid() else ""
    return form, scope, query


@access.reports_required
def index(request):
    form, scope, query = _scope(request)
    return render(
        request,
        "reports/index.jinja",
        {
            "page_title": "Service reports",
            "form": form,
            "scope": scope,
            "reports": registry.reports(),
            "query": query,
            "whole_service_value": WHOLE_SERVICE,
        },
    )


@access.reports_required
def report(request, key):
    found = registry.report(key)
    if found is None:
        raise Http404("Not found")
    form, scope, query = _scope(request)
    table = found.compute(scope)
    services.record_report_read(actor_for(request, Basis.NONE), key=key, scope_label=scope.label)
    chart = chart_for(found.title, table)
    return render(
        request,
        "reports/report.jinja",
        {
            "page_title": found.title,
            "report": found,
            "form": form,
            "scope": scope,
            "table": table,
            "chart": chart,
            "query": query,
        },
    )


@access.reports_required
def report_csv(request, key):
    found = registry.report(key)
    if found is None:
        raise Http404("Not found")
    _form, scope, _query = _scope(request)
    table = found.compute(scope)
    services.record_report_read(
        actor_for(request, Basis.NONE), key=key, scope_label=scope.label, action=Action.EXPORT
    )
    handle = io.StringIO()
    out = writer(handle)
    out.writerow([found.title, scope.label, scope.start.isoformat(), scope.end.isoformat()])
    out.writerow(table.columns)
    out.writerows(table.rows)
    response = HttpResponse(handle.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{key}-{scope.start}-{scope.end}.csv"'
    return response


PEOPLE_LIMIT = 200  # people named on a drill-down page


@access.reports_required
def report_people(request, key):
    """A figure's drill-down: the people behind it whom the reader may see (the access policy),
    each linking to their record; how many more there are whom the reader may not see."""
    found = registry.report(key)
    if found is None or found.people is None:
        raise Http404("Not found")
    form, scope, query = _scope(request)
    people, total = selectors.drill_down_people(request.user, found.people(scope), limit=PEOPLE_LIMIT)
    services.record_report_read(actor_for(request, Basis.NONE), key=f"{key}:people", scope_label=scope.label)
    return render(
        request,
        "reports/people.jinja",
        {
            "page_title": found.people_label,
            "report": found,
            "form": form,
            "scope": scope,
            "query": query,
            "people": people,
            "total": total,
            "limit": PEOPLE_LIMIT,
        },
    )


@access.data_quality_required
def data_quality(request):
    """Counts per team and check; below, the records to fix for people the reader may see."""
    from . import quality

    form, scope, query = _scope(request)
    found = quality.problems(scope)
    columns, rows = quality.counts_by_team(found)
    to_fix, total_visible = quality.visible_list(found, request.user)
    services.record_data_quality_read(actor_for(request, Basis.NONE))
    return render(
        request,
        "reports/data_quality.jinja",
        {
            "page_title": "Data quality",
            "form": form,
            "scope": scope,
            "query": query,
            "table": registry.Table(columns, rows),
            "to_fix": to_fix,
            "total_visible": total_visible,
            "total": len(found),
        },
    )


@permission("run_mhsds_extract", hide=True)
@access.information_required
def mhsds(request):
    """The information team's page: choose a month, run the extract in the background, download."""
    from waypoint.jobs.models import Job

    from .forms import ExtractForm
    from .tasks import KIND, run_mhsds_extract

    form = ExtractForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        start, end = form.period()
        job = services.start_extract(
            actor_for(request, Basis.NONE), start=start, end=end, task=run_mhsds_extract, kind=KIND
        )
        return redirect("reports:mhsds_run", job_id=job.pk)
    runs = Job.objects.filter(kind=KIND).select_related("requested_by")[:12]
    return render(
        request, "reports/mhsds.jinja", {"page_title": "MHSDS submission", "form": form, "runs": runs}
    )


@access.information_required
def mhsds_run(request, job_id):
    from waypoint.jobs.selectors import job_for

    from .models import ExtractFile
    from .tasks import KIND

    job = job_for(request.user, job_id, kinds=[KIND])
    if job is None:
        raise Http404("Not found")
    files = list(ExtractFile.objects.filter(job=job).defer("content"))
    validation = next((f for f in files if f.name == "validation"), None)
    return render(
        request,
        "reports/mhsds_run.jinja",
        {
            "page_title": job.title,
            "job": job,
            "files": [f for f in files if f.name != "validation"],
            "validation": validation,
        },
    )


@access.information_required
def mhsds_file(request, job_id, table):
    from .models import ExtractFile
    from .tasks import KIND

    found = (
        ExtractFile.objects.filter(job_id=job_id, job__kind=KIND, name=table).select_related("job").first()
    )
    if found is None:
        raise Http404("Not found")
    services.record_extract_download(actor_for(request, Basis.NONE), found)
    response = HttpResponse(found.content, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="{found.name}-{found.job.params.get("start", "")}.csv"'
    )
    return response
