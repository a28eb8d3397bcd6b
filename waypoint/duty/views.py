"""Duty pages: the board, the duty log, crisis responses, handover and the rota. Thin views."""

from datetime import date, timedelta

from django.contrib import messages
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from waypoint.access.policy import acting_on, actor_for
from waypoint.accounts.permissions import Do, permission
from waypoint.accounts.teams import chosen_team, user_teams
from waypoint.audit import services as audit
from waypoint.audit.models import Action, Basis, RecordType
from waypoint.core.submissions import once
from waypoint.referrals.clock import TeamClock, describe
from waypoint.referrals.intake import intake_team_ids

from . import selectors, services
from .forms import CloseForm, EnquiryForm, EnquiryUpdateForm, HandoverForm, RotaDayForm, parse_month

STALE_MESSAGE = (
    "Someone else updated this enquiry after you opened it. Your changes have not been saved: they are "
    "still below. Check the enquiry in another tab; saving again will replace their changes with yours."
)


def _board_url(team):
    return reverse("duty:board") + f"?team={team.pk}"


def board(request):
    team = chosen_team(request)
    today = timezone.localdate()
    enquiries = list(selectors.open_enquiries(team))
    referrals = list(selectors.awaiting_triage(team))
    clock = TeamClock(team)
    with transaction.atomic():
        audit.write(
            actor_for(request, Basis.TEAM),
            action=Action.VIEW,
            record_type=RecordType.DUTY_BOARD,
            record_id=team.pk,
        )
    return render(
        request,
        "duty/board.jinja",
        {
            "team": team,
            "teams": user_teams(request.user),
            "today": today,
            "on_duty": selectors.shifts_on(team, today),
            "i_am_on_duty": team.pk in selectors.on_duty_today(request.user),
            "may_record_referral": team.pk in intake_team_ids(request.user),
            "enquiries": enquiries,
            "crisis_count": sum(1 for enquiry in enquiries if enquiry.is_crisis),
            "visible_people": selectors.visible_person_ids(request.user, [e.person_id for e in enquiries]),
            "referrals": [(referral, clock.for_referral(referral)) for referral in referrals],
            "handover": selectors.latest_handover(team),
            "describe": describe,
        },
    )


@once
@permission(Do.LOG_DUTY_CALL)
def log_call(request):
    team = chosen_team(request)
    now = timezone.localtime()
    form = EnquiryForm(
        request.POST or None,
        initial={"received_on": now.date(), "received_time": now.strftime("%H:%M")},
        find_person=lambda nhs_number: selectors.find_visible_person(request.user, nhs_number),
    )
    if request.method == "POST" and form.is_valid():
        data = form.enquiry_data()
        person = data.get("person")
        by = acting_on(request, person) if person is not None else actor_for(request, Basis.TEAM)
        enquiry = services.log_enquiry(by=by, team=team, data=data)
        messages.success(
            request, "Call logged. It stays open on the duty board until you close it with an outcome."
        )
        return redirect("duty:enquiry", enquiry.pk)
    return render(request, "duty/log_call.jinja", {"form": form, "team": team})


def _enquiry_for_view(request, enquiry_id):
    """The enquiry if the user is a member of its team (else 404); a view of a linked person is audited.

    Whether the person's name is shown, and the basis recorded, come from the access policy. A team
    member without a relationship with the person still sees the team's duty log entry, but not
    who it is about, and the view is still audited against the person.
    """
    enquiry = selectors.enquiry_for_team_member(request.user, enquiry_id)
    if enquiry is None:
        raise Http404("No enquiry found")
    if not enquiry.person_id:
        return enquiry, actor_for(request, Basis.TEAM), False
    actor = acting_on(request, enquiry.person)
    with transaction.atomic():
        audit.write(
            actor,
            person=enquiry.person,
            action=Action.VIEW,
            record_type=RecordType.DUTY_ENQUIRY,
            record_id=enquiry.pk,
        )
    return enquiry, actor, actor.basis != Basis.NONE


@permission(Do.LOG_DUTY_CALL)
def enquiry(request, enquiry_id):
    enquiry, actor, person_visible = _enquiry_for_view(request, enquiry_id)
    if request.method == "POST" and not enquiry.is_open:
        messages.info(request, "This enquiry has been closed, so it cannot be changed")
        return redirect("duty:enquiry", enquiry.pk)
    log = selectors.log_of(enquiry)
    form = EnquiryUpdateForm(
        request.POST or None,
        initial=EnquiryUpdateForm.initial_for(enquiry),
        enquiry=enquiry,
        crisis_logged=bool(enquiry.crisis_what_happened)
        or any(e.kind == "crisis_what_happened" for e in log),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_enquiry(
                by=actor, enquiry=enquiry, data=form.enquiry_data(), version=form.cleaned_data["version"]
            )
        except services.StaleEnquiry as exc:
            form.add_error(None, STALE_MESSAGE)
            form.data = form.data.copy()
            form.data["version"] = str(exc.current_version)
        except services.ConveyedBeforeTheCall:
            form.add_error("conveyed_time", "The time conveyed must be after the call was received")
        except services.AlreadyClosed:
            messages.info(request, "This enquiry has been closed, so it cannot be changed")
            return redirect("duty:enquiry", enquiry.pk)
        else:
            messages.success(request, "Enquiry updated")
            return redirect("duty:enquiry", enquiry.pk)
    return render(
        request,
        "duty/enquiry.jinja",
        {"enquiry": enquiry, "person_visible": person_visible, "form": form, "log": log},
    )


@permission(Do.LOG_DUTY_CALL)
def close(request, enquiry_id):
    enquiry, actor, person_visible = _enquiry_for_view(request, enquiry_id)
    if not enquiry.is_open:
        messages.info(request, "This enquiry is already closed")
        return redirect("duty:enquiry", enquiry.pk)
    form = CloseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.close_enquiry(by=actor, enquiry=enquiry, outcome=form.cleaned_data["outcome"])
        except services.AlreadyClosed:
            messages.info(request, "This enquiry was already closed")
        else:
            messages.success(request, "Enquiry closed")
        return redirect(_board_url(enquiry.team))
    return render(
        request, "duty/close.jinja", {"enquiry": enquiry, "person_visible": person_visible, "form": form}
    )


@permission(Do.LOG_DUTY_CALL)
def handover(request):
    team = chosen_team(request)
    form = HandoverForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.write_handover(by=actor_for(request, Basis.TEAM), team=team, note=form.cleaned_data["note"])
        messages.success(
            request, "Handover saved. Everything still open stays on the duty board for tomorrow."
        )
        return redirect(_board_url(team))
    enquiries = list(selectors.open_enquiries(team))
    # The handover lists the same open calls and referrals as the board: audited the same way.
    with transaction.atomic():
        audit.write(
            actor_for(request, Basis.TEAM),
            action=Action.VIEW,
            record_type=RecordType.DUTY_HANDOVER,
            record_id=team.pk,
        )
    return render(
        request,
        "duty/handover.jinja",
        {
            "team": team,
            "form": form,
            "today": timezone.localdate(),
            "enquiries": enquiries,
            "visible_people": selectors.visible_person_ids(request.user, [e.person_id for e in enquiries]),
            "referrals": list(selectors.awaiting_triage(team)),
            "handover": selectors.latest_handover(team),
        },
    )


def rota(request):
    team = chosen_team(request)
    first = parse_month(request.GET.get("month", ""))
    today = timezone.localdate()
    return render(
        request,
        "duty/rota.jinja",
        {
            "team": team,
            "teams": user_teams(request.user),
            "first": first,
            "days": selectors.month_rota(team, first),
            "today": today,
            "on_duty": selectors.shifts_on(team, today),
            "previous_month": (first - timedelta(days=1)).replace(day=1),
            "next_month": selectors.first_of_next_month(first),
            "can_edit": selectors.may_edit_rota(request.user, team),
        },
    )


@permission(Do.SET_DUTY_ROTA, hide=True)
def rota_day(request, day):
    try:
        chosen = date.fromisoformat(day)
    except ValueError:
        raise Http404("Not a date") from None
    team = chosen_team(request)
    if not selectors.may_edit_rota(request.user, team):
        raise Http404("Only the team's manager changes its rota")
    if chosen.weekday() >= 5:
        raise Http404("The rota covers Monday to Friday")
    members = list(selectors.team_members(team))
    current = selectors.shifts_on(team, chosen)
    form = RotaDayForm(
        request.POST or None,
        members=members,
        initial={
            "duty_worker": current["duty"].pk if current["duty"] else "",
            "backup_worker": current["backup"].pk if current["backup"] else "",
        },
    )
    if request.method == "POST" and form.is_valid():
        duty_worker, backup_worker = form.workers()
        try:
            services.set_rota_day(
                by=actor_for(request, Basis.TEAM),
                team=team,
                day=chosen,
                duty_worker=duty_worker,
                backup_worker=backup_worker,
            )
        except services.RotaProblem as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"Duty rota for {chosen:%A %-d %B} saved")
            return redirect(reverse("duty:rota") + f"?team={team.pk}&month={chosen:%Y-%m}")
    return render(request, "duty/rota_day.jinja", {"team": team, "day": chosen, "form": form})
