"""MDT meeting pages: the team's meetings, planning one, the agenda, recording each person's
discussion (chair only), the printable minutes, reflective practice notes."""

from django.contrib import messages
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone

from waypoint.access.policy import acting_on, actor_for
from waypoint.accounts.permissions import permission
from waypoint.accounts.teams import chosen_team, user_teams
from waypoint.audit import services as audit
from waypoint.audit.models import Action, Basis, RecordType
from waypoint.core.submissions import once

from . import selectors, services
from .forms import AddPersonForm, DiscussionForm, PlanMeetingForm, ReflectiveNotesForm


def _audit_meeting(request, meeting, action=Action.VIEW):
    with transaction.atomic():
        audit.write(
            actor_for(request, Basis.TEAM),
            action=action,
            record_type=RecordType.MDT_MEETING,
            record_id=meeting.pk,
        )


def meetings(request):
    team = chosen_team(request)
    today = timezone.localdate()
    found = selectors.meetings_of(team)
    return render(
        request,
        "meetings/list.jinja",
        {
            "team": team,
            "teams": user_teams(request.user),
            "upcoming": sorted([m for m in found if m.held_on >= today], key=lambda m: (m.held_on, m.pk)),
            "past": [m for m in found if m.held_on < today],
        },
    )


@permission("run_mdt_meeting")
@once
def plan(request):
    team = chosen_team(request)
    form = PlanMeetingForm(request.POST or None, team=team, initial={"kind": "mdt", "chair": request.user.pk})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        meeting = services.plan_meeting(
            by=actor_for(request, Basis.TEAM), team=team, data=data, attendees=list(data["attendees"])
        )
        messages.success(request, f"{meeting.get_kind_display()} planned")
        return redirect("meetings:detail", meeting.pk)
    return render(request, "meetings/plan.jinja", {"form": form, "team": team})


@permission("run_mdt_meeting")
def detail(request, meeting_id):
    meeting = selectors.meeting_for_page(request.user, meeting_id)
    _audit_meeting(request, meeting)
    if meeting.is_reflective:
        form = ReflectiveNotesForm(request.POST or None, initial={"notes": meeting.notes})
        if request.method == "POST" and form.is_valid():
            services.save_reflective_notes(
                by=actor_for(request, Basis.TEAM), meeting=meeting, notes_text=form.cleaned_data["notes"]
            )
            messages.success(request, "Notes saved")
            return redirect("meetings:detail", meeting.pk)
        return render(request, "meetings/reflective.jinja", {"meeting": meeting, "form": form})
    return render(
        request,
        "meetings/agenda.jinja",
        {
            "meeting": meeting,
            "agenda": selectors.agenda_for(meeting, request.user),
            "add_form": AddPersonForm(user=request.user),
            "is_chair": meeting.chair_id == request.user.pk,
        },
    )


@permission("run_mdt_meeting")
def add_person(request, meeting_id):
    meeting = selectors.meeting_for_page(request.user, meeting_id)
    if meeting.is_reflective:
        raise Http404("A reflective practice session has no agenda")
    form = AddPersonForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        person = form.cleaned_data["nhs_number"]
        try:
            services.add_to_agenda(
                by=acting_on(request, person),
                meeting=meeting,
                person=person,
                reason=form.cleaned_data["reason"],
            )
        except services.MeetingError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"{person.full_name} added to the agenda")
            return redirect("meetings:detail", meeting.pk)
    _audit_meeting(request, meeting)
    return render(
        request,
        "meetings/agenda.jinja",
        {
            "meeting": meeting,
            "agenda": selectors.agenda_for(meeting, request.user),
            "add_form": form,
            "form": form,
            "is_chair": meeting.chair_id == request.user.pk,
        },
    )


@permission("run_mdt_meeting")
def discuss(request, meeting_id, person_id):
    meeting = selectors.meeting_for_page(request.user, meeting_id)
    if meeting.is_reflective:
        raise Http404("A reflective practice session records no person's details")
    opened = selectors.person_for_discussion(request, meeting, person_id)
    person = opened.person
    recorded = selectors.discussion_of(meeting, person)
    form = DiscussionForm(request.POST or None, team=meeting.team)
    if request.method == "POST" and recorded is None and form.is_valid():
        data = form.cleaned_data
        try:
            services.record_discussion(
                by=opened.actor,
                meeting=meeting,
                person=person,
                discussion=data["discussion"],
                decisions=data["decisions"],
                actions=data["actions"],
                allocation=data["allocation"],
                discharge_planned_on=data.get("discharge_planned_on"),
            )
        except (services.AllocationRefused, services.DischargePlanRefused) as exc:
            form.add_error(exc.field, str(exc))
        except services.MeetingError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"Discussion saved to {person.full_name}'s record as a signed MDT note")
            return redirect("meetings:detail", meeting.pk)
    return render(
        request,
        "meetings/discuss.jinja",
        {
            "meeting": meeting,
            "person": person,
            "alerts": opened.alerts,
            "form": form,
            "recorded": recorded,
            "is_chair": meeting.chair_id == request.user.pk,
        },
    )


def minutes(request, meeting_id):
    """The printable minutes. One audit row for the meeting and one for each person in them."""
    meeting = selectors.meeting_for_page(request.user, meeting_id)
    discussions = [] if meeting.is_reflective else selectors.discussions_of(meeting)
    allowed = selectors.visible_ids(request.user, [d.person_id for d in discussions])
    shown = [d for d in discussions if d.person_id in allowed]
    with transaction.atomic():
        audit.write(
            actor_for(request, Basis.TEAM),
            action=Action.PRINT,
            record_type=RecordType.MDT_MEETING,
            record_id=meeting.pk,
        )
        for item in shown:
            audit.write(
                acting_on(request, item.person),
                action=Action.PRINT,
                record_type=RecordType.MDT_DISCUSSION,
                person=item.person,
                record_id=item.pk,
            )
    return render(request, "meetings/minutes.jinja", {"meeting": meeting, "discussions": shown})
