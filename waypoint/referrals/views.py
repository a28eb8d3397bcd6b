"""Referral pages. Thin: fetch through the access policy and selectors, write through services."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from waypoint.access.policy import get_person_for_view
from waypoint.accounts.teams import chosen_team, user_teams
from waypoint.audit import services as audit
from waypoint.audit.models import Action, Basis
from waypoint.core import csv_export
from waypoint.core.submissions import once
from waypoint.patients import selectors as people_selectors
from waypoint.patients import services as people
from waypoint.patients.forms import PersonForm

from . import selectors, services
from .clock import TeamClock, describe
from .forms import (
    CLOCK_EVENTS,
    ClockEventForm,
    FindPersonForm,
    ReferralForm,
    TriageForm,
    WaitingListFilterForm,
)
from .models import Status


def _referral_for_view(request, referral_id, *, action=Action.VIEW, team_member=False):
    """The referral, if the user may see its person (audited); with team_member, only for its team."""
    referral = selectors.referral_by_id(referral_id)
    if referral is None:
        raise Http404("No referral found")
    if team_member and referral.team_id not in request.user.current_team_ids():
        raise Http404("No referral found")
    get_person_for_view(
        request, referral.person_id, record_type="referral", record_id=referral.pk, action=action
    )
    return referral


@once
def new_referral(request):
    """Record a referral: find the person by NHS number first, or register them with the referral."""
    find = FindPersonForm(request.GET if "nhs_number" in request.GET else None)
    person, searched = None, False
    if find.is_bound and find.is_valid():
        searched = True
        nhs_number = find.cleaned_data["nhs_number"]
        person = people_selectors.person_by_nhs_number(nhs_number) if nhs_number else None
        if person:
            audit.record(
                user=request.user,
                person=person,
                action=Action.SEARCH,
                record_type="referral_intake_match",
                record_id=person.pk,
                basis=Basis.REFERRAL,
                path=request.path,
            )
    initial_team = request.user.primary_team()
    now = timezone.localtime()
    referral_form = ReferralForm(
        request.POST or None,
        initial={"team": initial_team, "received_on": now.date(), "received_time": now.strftime("%H:%M")},
        prefix="referral",
    )
    person_form = None
    if searched and person is None:
        initial = {"nhs_number": find.cleaned_data["nhs_number"]}
        person_form = PersonForm(request.POST or None, initial=initial, prefix="person")
    if request.method == "POST" and searched:
        forms_valid = referral_form.is_valid() and (person_form is None or person_form.is_valid())
        if forms_valid:
            data = {**referral_form.cleaned_data, "received_at": referral_form.cleaned_data["received_at"]}
            try:
                if person is not None:
                    referral = services.record_referral(
                        user=request.user, person=person, data=data, path=request.path
                    )
                else:
                    person_data = {k: v for k, v in person_form.cleaned_data.items() if k != "version"}
                    referral = services.register_and_refer(
                        user=request.user, person_data=person_data, data=data, path=request.path
                    )
            except people.DuplicateNHSNumber:
                person_form.add_error("nhs_number", "A person with this NHS number is already registered")
            else:
                if referral.possible_duplicate_of_id:
                    messages.warning(
                        request,
                        "Referral recorded. This person already has an open referral to this team: check for a duplicate.",
                    )
                else:
                    messages.success(request, "Referral recorded")
                return redirect("referrals:detail", referral.pk)
    return render(
        request,
        "referrals/new.jinja",
        {
            "find": find,
            "searched": searched,
            "match": person,
            "form": referral_form,
            "person_form": person_form,
            "has_errors": bool(referral_form.errors or (person_form and person_form.errors)),
        },
    )


def detail(request, referral_id):
    referral = _referral_for_view(request, referral_id)
    clock = TeamClock(referral.team).for_referral(referral)
    return render(
        request,
        "referrals/detail.jinja",
        {
            "referral": referral,
            "person": referral.person,
            "alerts": people_selectors.current_alerts(referral.person),
            "clock": clock,
            "describe": describe,
            "can_act": referral.team_id in request.user.current_team_ids(),
            "allocations": selectors.allocations_for(referral),
            "clock_events": CLOCK_EVENTS,
        },
    )


def triage(request, referral_id):
    referral = _referral_for_view(request, referral_id, team_member=True)
    if referral.status != Status.AWAITING_TRIAGE:
        messages.info(request, "This referral has already been triaged")
        return redirect("referrals:detail", referral.pk)
    form = TriageForm(
        request.POST or None,
        referral=referral,
        initial={"version": referral.version, "urgency": referral.urgency_requested},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.triage(
                user=request.user,
                referral=referral,
                data=form.cleaned_data,
                version=form.cleaned_data["version"],
                path=request.path,
            )
        except services.StaleReferral:
            form.add_error(
                None,
                "Someone else triaged or changed this referral after you opened it. Your choices are kept below: check the referral before saving again.",
            )
        except services.ReferralClosed:
            messages.info(request, "This referral has already been triaged")
            return redirect("referrals:detail", referral.pk)
        else:
            messages.success(request, "Triage recorded")
            return redirect("referrals:detail", referral.pk)
    clock = TeamClock(referral.team).for_referral(referral)
    return render(
        request,
        "referrals/triage.jinja",
        {
            "referral": referral,
            "person": referral.person,
            "alerts": people_selectors.current_alerts(referral.person),
            "form": form,
            "clock": clock,
            "describe": describe,
        },
    )


def clock_event(request, referral_id):
    referral = _referral_for_view(request, referral_id, team_member=True)
    form = ClockEventForm(
        request.POST or None, referral=referral, initial={"event": request.GET.get("event", "")}
    )
    if request.method == "POST" and form.is_valid():
        services.record_clock_event(
            user=request.user,
            referral=referral,
            event=form.cleaned_data["event"],
            moment=form.cleaned_data["moment"],
            path=request.path,
        )
        messages.success(request, f"{CLOCK_EVENTS[form.cleaned_data['event']]} recorded")
        return redirect("referrals:detail", referral.pk)
    return render(
        request,
        "referrals/clock_event.jinja",
        {
            "referral": referral,
            "person": referral.person,
            "alerts": people_selectors.current_alerts(referral.person),
            "form": form,
        },
    )


def letter(request, referral_id):
    referral = _referral_for_view(request, referral_id, action=Action.EXPORT, team_member=True)
    if not referral.decision:
        raise Http404("No triage decision yet")
    return render(
        request,
        "referrals/letter.jinja",
        {"referral": referral, "person": referral.person, "today": timezone.localdate()},
    )


def waiting_list(request):
    team = chosen_team(request)
    filters = WaitingListFilterForm(request.GET or None)
    filters.is_valid()
    wanted = filters.cleaned_data if filters.is_bound else {}
    referrals = selectors.waiting_list(team)
    if wanted.get("urgency"):
        referrals = referrals.filter(urgency=wanted["urgency"])
    if wanted.get("source"):
        referrals = referrals.filter(source=wanted["source"])
    team_clock = TeamClock(team)
    rows = [(referral, team_clock.for_referral(referral)) for referral in referrals]
    if wanted.get("breached") == "yes":
        rows = [row for row in rows if row[1].breached]
    elif wanted.get("breached") == "no":
        rows = [row for row in rows if not row[1].breached]
    audit.record(
        user=request.user,
        action=Action.VIEW,
        record_type="waiting_list",
        record_id=team.pk,
        basis=Basis.TEAM,
        path=request.path,
    )
    if request.GET.get("format") == "csv":
        return _waiting_list_csv(team, rows)
    return render(
        request,
        "referrals/waiting_list.jinja",
        {
            "team": team,
            "teams": user_teams(request.user),
            "rows": rows,
            "filters": filters,
            "describe": describe,
            "breached_count": sum(1 for _, clock in rows if clock.breached),
            "query_string": request.GET.urlencode(),
        },
    )


def _waiting_list_csv(team, rows):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="waiting-list-{team.pk}-{stamp}.csv"'
    writer = csv_export.writer(response)
    writer.writerow(
        [
            "Name",
            "NHS number",
            "Received",
            "Source",
            "Urgency",
            "Target",
            "Due",
            "Waited (days)",
            "Breached",
            "4-week standard due",
            "4-week breached",
        ]
    )
    for referral, clock in rows:
        writer.writerow(
            [
                referral.person.full_name,
                referral.person.nhs_number or "",
                timezone.localtime(referral.received_at).strftime("%Y-%m-%d %H:%M"),
                referral.get_source_display(),
                referral.get_urgency_display(),
                clock.target.label,
                timezone.localtime(clock.due_at).strftime("%Y-%m-%d %H:%M"),
                clock.waited.days,
                "Yes" if clock.breached else "No",
                timezone.localtime(clock.four_week_due).strftime("%Y-%m-%d"),
                "Yes" if clock.four_week_breached else "No",
            ]
        )
    return response
