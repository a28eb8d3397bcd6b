"""Incident pages. Anyone may report; the reporter sees their own reports; the team manager
reviews, records the duty of candour and closes; staff with a relationship to a person named in
an incident see it from that person's record. People are named only to staff who may see them."""

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from waypoint.access.policy import acting_on, actor_for
from waypoint.access.roles import require_role
from waypoint.accounts.models import RoleCode
from waypoint.accounts.permissions import permission
from waypoint.accounts.teams import chosen_team, user_teams
from waypoint.audit import services as audit
from waypoint.audit.models import Action, Basis, RecordType
from waypoint.core import csv_export
from waypoint.core.submissions import once

from . import selectors, services
from .forms import (
    ActionForm,
    AddendumForm,
    CandourForm,
    CloseForm,
    EnteredInErrorForm,
    ReportIncidentForm,
    ReviewForm,
)

manager_required = require_role(RoleCode.TEAM_MANAGER)
ROLE_LABELS = dict(RoleCode.choices)


def _actor(request, incident=None):
    basis = (
        Basis.TEAM if incident is not None and selectors.may_manage(request.user, incident) else Basis.NONE
    )
    return actor_for(request, basis)


def _audit_view(request, incident):
    """One row for each person named whose identity this user was shown, else one row with no person."""
    with transaction.atomic():
        if not incident.shown_people:
            audit.write(
                _actor(request, incident),
                action=Action.VIEW,
                record_type=RecordType.INCIDENT,
                record_id=incident.pk,
            )
        for person in incident.shown_people:
            audit.write(
                acting_on(request, person),
                action=Action.VIEW,
                record_type=RecordType.INCIDENT,
                person=person,
                record_id=incident.pk,
            )


def incidents(request):
    """My reports, and for team managers the team's incidents (one audit row for the page)."""
    today = timezone.localdate()
    managed = selectors.managed_team_ids(request.user)
    team = chosen_team(request) if managed else None
    with transaction.atomic():
        audit.write(
            actor_for(request, Basis.TEAM if team else Basis.NONE),
            action=Action.VIEW,
            record_type=RecordType.INCIDENT_LIST,
            record_id=team.pk if team else "",
        )
    context = {
        "mine": selectors.mark_review_due(selectors.my_reports(request.user), today),
        "team": team,
        "teams": user_teams(request.user) if team else [],
        "team_incidents": selectors.mark_review_due(selectors.team_incidents(team), today) if team else [],
    }
    return render(request, "incidents/list.jinja", context)


@permission("report_incident")
@once
def report(request):
    if not request.user.current_team_ids():
        raise Http404("You are not a member of a team")
    form = ReportIncidentForm(
        request.POST or None, user=request.user, initial={"team": request.user.primary_team()}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        incident = services.report_incident(
            by=actor_for(request, Basis.NONE),
            team=data["team"],
            data=data,
            people=data["nhs_numbers"],
            staff=list(data["staff_involved"]),
        )
        messages.success(
            request, f"Incident {incident.reference} reported. Your team manager will review it."
        )
        return redirect("incidents:detail", incident.pk)
    return render(request, "incidents/report.jinja", {"form": form})


def _detail_page(request, incident, **forms):
    manage = selectors.may_manage(request.user, incident)
    context = {
        "incident": incident,
        "shown_ids": {person.pk for person in incident.shown_people},
        "manage": manage,
        "may_void": manage or incident.reported_by_id == request.user.pk,
        "addendum_form": forms.get("addendum_form") or AddendumForm(),
        "form": forms.get("addendum_form"),
        "today": timezone.localdate(),
    }
    return render(request, "incidents/detail.jinja", context)


def detail(request, incident_id):
    incident = selectors.incident_for_page(request.user, incident_id)
    _audit_view(request, incident)
    return _detail_page(request, incident)


def _managed(request, incident_id):
    incident = selectors.incident_for_page(request.user, incident_id)
    if not selectors.may_manage(request.user, incident) or incident.entered_in_error:
        raise Http404("Not found")
    _audit_view(request, incident)
    return incident


@permission("review_incident")
def review(request, incident_id):
    incident = _managed(request, incident_id)
    if incident.is_closed:
        return redirect("incidents:detail", incident.pk)
    form = ReviewForm(
        request.POST or None,
        initial={"version": incident.version, "findings": incident.findings, "lessons": incident.lessons},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.review_incident(
                by=_actor(request, incident),
                incident=incident,
                findings=data["findings"],
                lessons=data["lessons"],
                version=data["version"],
            )
        except services.IncidentError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Review saved")
            return redirect("incidents:detail", incident.pk)
    return render(request, "incidents/review.jinja", {"incident": incident, "form": form})


@permission("review_incident")
def add_action(request, incident_id):
    incident = _managed(request, incident_id)
    if incident.is_closed:
        return redirect("incidents:detail", incident.pk)
    form = ActionForm(request.POST or None, team=incident.team, people=incident.shown_people)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            action = services.add_action(
                by=_actor(request, incident),
                incident=incident,
                what=data["what"],
                owner=data["owner"],
                due_on=data["due_on"],
                person=data["person"],
            )
        except services.NotATaskHolder as exc:
            form.add_error("owner", str(exc))
        except services.IncidentError as exc:
            form.add_error(None, str(exc))
        else:
            done = (
                f"Action added and given to {action.owner.display_name} as a task"
                if action.task_id
                else "Action added"
            )
            messages.success(request, done)
            return redirect("incidents:detail", incident.pk)
    return render(request, "incidents/action.jinja", {"incident": incident, "form": form})


@permission("review_incident")
def candour(request, incident_id):
    incident = _managed(request, incident_id)
    if incident.is_closed:
        messages.info(request, "This incident is closed: add the duty of candour dates as an addendum.")
        return redirect("incidents:detail", incident.pk)
    initial = {
        "version": incident.version,
        "candour_in_person_on": incident.candour_in_person_on,
        "candour_in_writing_on": incident.candour_in_writing_on,
        "candour_notes": incident.candour_notes,
    }
    form = CandourForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_candour(
                by=_actor(request, incident),
                incident=incident,
                data=form.cleaned_data,
                version=form.cleaned_data["version"],
            )
        except services.IncidentError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Duty of candour saved")
            return redirect("incidents:detail", incident.pk)
    return render(request, "incidents/candour.jinja", {"incident": incident, "form": form})


@permission("review_incident")
def close(request, incident_id):
    incident = _managed(request, incident_id)
    if incident.is_closed:
        return redirect("incidents:detail", incident.pk)
    form = CloseForm(request.POST or None, initial={"version": incident.version})
    if request.method == "POST" and form.is_valid():
        try:
            services.close_incident(
                by=_actor(request, incident), incident=incident, version=form.cleaned_data["version"]
            )
        except services.IncidentError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Incident closed")
            return redirect("incidents:detail", incident.pk)
    return render(request, "incidents/close.jinja", {"incident": incident, "form": form})


@permission("report_incident")
def add_addendum(request, incident_id):
    incident = selectors.incident_for_page(request.user, incident_id)
    if request.method != "POST":
        return redirect("incidents:detail", incident.pk)
    form = AddendumForm(request.POST)
    if form.is_valid():
        services.add_addendum(by=_actor(request, incident), incident=incident, text=form.cleaned_data["text"])
        messages.success(request, "Addendum added")
        return redirect("incidents:detail", incident.pk)
    _audit_view(request, incident)
    return _detail_page(request, incident, addendum_form=form)


@permission("report_incident")
def entered_in_error(request, incident_id):
    incident = selectors.incident_for_page(request.user, incident_id)
    if not (selectors.may_manage(request.user, incident) or incident.reported_by_id == request.user.pk):
        raise Http404("Not found")
    if incident.entered_in_error:
        return redirect("incidents:detail", incident.pk)
    _audit_view(request, incident)
    form = EnteredInErrorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.mark_entered_in_error(
            by=_actor(request, incident), incident=incident, reason=form.cleaned_data["reason"]
        )
        messages.success(request, "Incident marked as entered in error")
        return redirect("incidents:detail", incident.pk)
    return render(request, "incidents/entered_in_error.jinja", {"incident": incident, "form": form})


LFPSE_COLUMNS = [
    "reference",
    "event_date",
    "event_time",
    "reported_date",
    "location",
    "category",
    "physical_harm",
    "description",
    "immediate_actions",
    "patients_involved",
    "patient_ages",
    "patient_sexes",
    "staff_involved",
    "reporter_roles",
    "status",
    "reviewed_date",
    "findings",
    "lessons",
    "duty_of_candour_applies",
    "told_in_person",
    "told_in_writing",
    "entered_in_error",
]


@manager_required
def export_csv(request):
    """The team's incidents with the fields LFPSE asks for. People are given by age and sex only."""
    team = chosen_team(request)
    rows = selectors.export_rows(team)
    with transaction.atomic():
        audit.write(
            actor_for(request, Basis.TEAM),
            action=Action.EXPORT,
            record_type=RecordType.INCIDENT_EXPORT,
            record_id=team.pk,
        )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="incidents-{timezone.localdate():%Y-%m-%d}.csv"'
    writer = csv_export.writer(response)
    writer.writerow(LFPSE_COLUMNS)
    for incident in rows:
        occurred = timezone.localtime(incident.occurred_at)
        people = [link.person for link in incident.people.all()]
        writer.writerow(
            [
                incident.reference,
                occurred.date().isoformat(),
                occurred.strftime("%H:%M"),
                timezone.localtime(incident.reported_at).date().isoformat(),
                incident.location,
                incident.get_category_display(),
                incident.get_harm_display(),
                incident.what_happened,
                incident.immediate_actions,
                len(people),
                "; ".join(str(person.age(on=occurred.date())) for person in people),
                "; ".join(person.get_sex_display() for person in people),
                len(incident.staff_involved.all()),
                "; ".join(ROLE_LABELS.get(role.code, role.code) for role in incident.reported_by.roles.all()),
                incident.get_status_display(),
                timezone.localtime(incident.reviewed_at).date().isoformat() if incident.reviewed_at else "",
                incident.findings,
                incident.lessons,
                "yes" if incident.candour_required else "no",
                incident.candour_in_person_on.isoformat() if incident.candour_in_person_on else "",
                incident.candour_in_writing_on.isoformat() if incident.candour_in_writing_on else "",
                "yes" if incident.entered_in_error else "no",
            ]
        )
    return response
