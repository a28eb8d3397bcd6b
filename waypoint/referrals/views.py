"""Referral pages. Thin: fetch through the access policy and selectors, write through services."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from waypoint.access.forms import ReviewForm
from waypoint.access.policy import acting_on, actor_for
from waypoint.access.roles import privacy_officer_required
from waypoint.accounts.permissions import Do, permission
from waypoint.accounts.teams import chosen_team, team_to_preselect, user_teams
from waypoint.audit import services as audit
from waypoint.audit.models import Action, Basis, RecordType
from waypoint.core import csv_export
from waypoint.core.pagination import page_links
from waypoint.core.submissions import once
from waypoint.patients import selectors as people_selectors
from waypoint.patients import services as people
from waypoint.patients.forms import PersonForm
from waypoint.patients.trace import REFERRAL_LOOKUP_GROUP, limit_message, use_a_trace

from . import selectors, services
from .clock import TeamClock, describe
from .forms import (
    CLOCK_EVENTS,
    ClockEventForm,
    FindPersonForm,
    ReferralForm,
    TriageForm,
    WaitingListFilterForm,
    claim_reason_field,
)
from .intake import intake_team_ids
from .models import Status

INTAKE_LOOKUP_REASON = "Referral intake: looked up the NHS number on a referral to record it"


def _audit_lookup(request, person, actor):
    """Audit showing the person found (or not) for an NHS number; False when the user is over the trace limit.

    A person the user already works with is audited as a search with the user's basis. Anyone
    else, and an NHS number with no one registered, is a trace: rate-limited, and recorded
    against the person it showed, with the intake reason.
    """
    if person is not None and actor is not None:
        with transaction.atomic():
            audit.write(
                actor,
                person=person,
                action=Action.SEARCH,
                record_type=RecordType.REFERRAL_INTAKE_MATCH,
                record_id=person.pk,
            )
        return True
    if not use_a_trace(request, REFERRAL_LOOKUP_GROUP):
        return False
    people.record_trace(
        by=actor_for(request, Basis.NONE) if person is None else acting_on(request, person),
        person=person,
        reason=INTAKE_LOOKUP_REASON,
    )
    return True


@once
def new_referral(request):
    """Record a referral (intake staff only): find the person by NHS number first, or register them."""
    team_ids = intake_team_ids(request.user)
    if not team_ids:
        raise Http404("Not found")
    find = FindPersonForm(request.GET if "nhs_number" in request.GET else None)
    person, access, searched, self_claim = None, None, False, False
    if find.is_bound and find.is_valid():
        searched = True
        nhs_number = find.cleaned_data["nhs_number"]
        person = people_selectors.person_by_nhs_number(nhs_number) if nhs_number else None
        access = acting_on(request, person) if person else None
        self_claim = person is not None and services.self_claimed(access.basis)
        if self_claim:
            access = None
    initial_team = team_to_preselect(sorted(team_ids), request.user.primary_team())
    now = timezone.localtime()
    referral_form = ReferralForm(
        request.POST or None,
        initial={"team": initial_team, "received_on": now.date(), "received_time": now.strftime("%H:%M")},
        prefix="referral",
        team_ids=team_ids,
        self_claim=self_claim,
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
                    # Audited with the recorder's own basis for the person (none, if they have none yet).
                    referral = services.record_referral(
                        by=acting_on(request, person),
                        person=person,
                        data=data,
                        claim_reason=referral_form.cleaned_data.get("claim_reason", ""),
                    )
                else:
                    person_data = {k: v for k, v in person_form.cleaned_data.items() if k != "version"}
                    referral = services.register_and_refer(
                        by=actor_for(request, Basis.REGISTRATION), person_data=person_data, data=data
                    )
            except people.DuplicateNHSNumber:
                person_form.add_error("nhs_number", "A person with this NHS number is already registered")
            except services.NotIntake:
                referral_form.add_error("team", referral_form.fields["team"].error_messages["invalid_choice"])
            except services.ClaimReasonRequired:
                # The person left the user's relationships between the two steps: ask for the reason.
                self_claim, access = True, None
                referral_form.fields["claim_reason"] = claim_reason_field()
                referral_form.add_error("claim_reason", "Enter why you are recording this referral")
            else:
                if referral.possible_duplicate_of_id:
                    messages.warning(
                        request,
                        "Referral recorded. This person already has an open referral to this team: check for a duplicate.",
                    )
                elif self_claim:
                    messages.success(
                        request,
                        "Referral recorded. Until it is triaged, only the team's duty worker, team manager and "
                        "admin and records staff can open this person's record. The privacy officer will review it.",
                    )
                else:
                    messages.success(request, "Referral recorded")
                return redirect("referrals:detail", referral.pk)
    limited = False
    if searched and find.cleaned_data["nhs_number"] and (request.method == "GET" or access is None):
        if not _audit_lookup(request, person, access):
            find.add_error("nhs_number", limit_message())
            searched, person, person_form, limited = False, None, None, True
    return render(
        request,
        "referrals/new.jinja",
        {
            "find": find,
            "searched": searched,
            "match": person,
            "self_claim": self_claim,
            "form": referral_form,
            "person_form": person_form,
            "has_errors": bool(referral_form.errors or (person_form and person_form.errors)),
        },
        status=429 if limited else 200,
    )


def _four_week_clock(referral):
    from waypoint.measures import four_week

    return four_week.clock_for(referral)


def detail(request, referral_id):
    opened, referral = selectors.referral_for_page(request, referral_id)
    clock = TeamClock(referral.team).for_referral(referral)
    return render(
        request,
        "referrals/detail.jinja",
        {
            "referral": referral,
            "person": referral.person,
            "alerts": opened.alerts,
            "clock": clock,
            "four_week": _four_week_clock(referral),  # measures: each part, spells of overlapping referrals
            "today": timezone.localdate(),
            "describe": describe,
            "can_act": referral.team_id in request.user.current_team_ids(),
            "allocations": selectors.allocations_for(referral),
            "clock_events": CLOCK_EVENTS,
        },
    )


@permission(Do.TRIAGE_REFERRAL)
def triage(request, referral_id):
    opened, referral = selectors.referral_for_page(request, referral_id, team_member=True)
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
                by=opened.actor,
                referral=referral,
                data=form.cleaned_data,
                version=form.cleaned_data["version"],
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
            "alerts": opened.alerts,
            "form": form,
            "clock": clock,
            "four_week": _four_week_clock(referral),
            "today": timezone.localdate(),
            "describe": describe,
        },
    )


@permission(Do.RECORD_CLOCK_EVENT)
def clock_event(request, referral_id):
    opened, referral = selectors.referral_for_page(request, referral_id, team_member=True)
    form = ClockEventForm(
        request.POST or None, referral=referral, initial={"event": request.GET.get("event", "")}
    )
    if request.method == "POST" and form.is_valid():
        services.record_clock_event(
            by=opened.actor,
            referral=referral,
            event=form.cleaned_data["event"],
            moment=form.cleaned_data["moment"],
        )
        messages.success(request, f"{CLOCK_EVENTS[form.cleaned_data['event']]} recorded")
        return redirect("referrals:detail", referral.pk)
    return render(
        request,
        "referrals/clock_event.jinja",
        {
            "referral": referral,
            "person": referral.person,
            "alerts": opened.alerts,
            "form": form,
        },
    )


def letter(request, referral_id):
    # No letter before a triage decision: a 404 before anything is audited.
    opened, referral = selectors.referral_for_page(
        request, referral_id, action=Action.EXPORT, team_member=True, where=Q(decision__gt="")
    )
    return render(
        request,
        "referrals/letter.jinja",
        {"referral": referral, "person": referral.person, "today": timezone.localdate()},
    )


def _four_week_parts(referrals):
    """The 4-week clock for the waiting list's rows: its parts and "over 4 weeks" (measures; four
    queries in all)."""
    from waypoint.measures import four_week

    return four_week.clocks_for(referrals)


WAITING_LIST_PAGE_SIZE = 50


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
    export = request.GET.get("format") == "csv"
    with transaction.atomic():
        audit.write(
            actor_for(request, Basis.TEAM),
            action=Action.EXPORT if export else Action.VIEW,
            record_type=RecordType.WAITING_LIST,
            record_id=team.pk,
        )
    if export:
        return _waiting_list_csv(team, rows, _four_week_parts([referral for referral, _ in rows]))
    # One page of rows is shown (the CSV has them all): the page costs the same for a team with
    # thousands waiting as for one with ten (issue 19). Only the page's rows need their 4-week
    # clock (a referral's clock reads only its own person's referrals, so it is the same).
    page = Paginator(rows, WAITING_LIST_PAGE_SIZE).get_page(request.GET.get("page"))
    four_week_parts = _four_week_parts([referral for referral, _ in page])
    return render(
        request,
        "referrals/waiting_list.jinja",
        {
            "team": team,
            "teams": user_teams(request.user),
            "rows": list(page),
            "total": len(rows),
            "page": page,
            "pagination": page_links(request, page) if page.paginator.num_pages > 1 else None,
            "filters": filters,
            "describe": describe,
            "breached_count": sum(1 for _, clock in rows if clock.breached),
            "four_week_parts": four_week_parts,
            "query_string": request.GET.urlencode(),
            "may_record_referral": team.pk in intake_team_ids(request.user),
        },
    )


def _waiting_list_csv(team, rows, four_week_parts):
    """The 4-week columns come from the same clock as the page and the team's figures
    (measures/four_week.py: spells, dates)."""
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
        fw = four_week_parts[referral.pk]
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
                fw.due_on.isoformat() if fw.in_scope else "Not counted",
                ("Yes" if fw.over_four_weeks else "No") if fw.in_scope else "Not counted",
            ]
        )
    return response


@privacy_officer_required
def claim_list(request):
    """Self-claimed referrals for the privacy officer to review, beside the break-glass reviews."""
    show = request.GET.get("show", "awaiting")
    claims = selectors.claims_for_review(reviewed=(show == "reviewed"))
    return render(request, "referrals/claim_list.jinja", {"claims": claims, "show": show})


@permission(Do.REVIEW_BREAK_GLASS, hide=True)
def claim_review(request, claim_id):
    claim = selectors.claim_by_id(claim_id)
    if claim is None:
        raise Http404("Not found")
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.review_claim(
            by=actor_for(request, Basis.PRIVACY_REVIEW), claim=claim, comment=form.cleaned_data["comment"]
        )
        messages.success(request, "Review recorded")
        return redirect("referrals:claim_list")
    return render(request, "referrals/claim_review.jinja", {"claim": claim, "form": form})
