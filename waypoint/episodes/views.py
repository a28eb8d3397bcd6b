from django.contrib import messages
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from waypoint.access.policy import actor_for, open_record
from waypoint.access.roles import require_role
from waypoint.accounts.models import RoleCode
from waypoint.accounts.permissions import Do, permission
from waypoint.accounts.teams import chosen_team, team_to_preselect, user_teams
from waypoint.audit import services as audit
from waypoint.audit.models import Action, Basis, RecordType
from waypoint.referrals import selectors as referral_selectors
from waypoint.referrals.models import Referral

from . import selectors, services
from .forms import (
    AllocationForm,
    CareApproachForm,
    CoordinatorForm,
    DischargeForm,
    OpenEpisodeForm,
    TransferDecisionForm,
    TransferRequestForm,
)
from .models import AllocationKind, EpisodeStatus
from .relationships import grace_days

manager_required = require_role(RoleCode.TEAM_MANAGER)


@permission(Do.ALLOCATE, hide=True)
def allocate(request, referral_id):
    referral = referral_selectors.referral_by_id(referral_id)
    if referral is None or referral.team_id not in request.user.current_team_ids():
        raise Http404("No referral found")
    opened = open_record(
        request, referral.person_id, model=Referral, record_id=referral.pk, record_type=RecordType.REFERRAL
    )
    # Only staff whose roles may hold the allocation chosen (`hold_care_coordination`, `hold_assessment`).
    kind = (request.POST or request.GET).get("kind", AllocationKind.ASSESSING)
    if kind not in AllocationKind.values:
        kind = AllocationKind.ASSESSING
    members = list(selectors.team_members_with_caseloads(referral.team, may_hold=services.HOLDS[kind]))
    form = AllocationForm(request.POST or None, members=members, initial={"kind": kind})
    if request.method == "POST" and form.is_valid():
        worker = form.members[form.cleaned_data["worker"]]
        services.allocate(
            by=opened.actor,
            referral=referral,
            worker=worker,
            kind=form.cleaned_data["kind"],
            weight=form.cleaned_data["weight"],
        )
        messages.success(request, f"{worker.display_name} allocated")
        return redirect("referrals:detail", referral.pk)
    return render(
        request,
        "episodes/allocate.jinja",
        {
            "referral": referral,
            "person": referral.person,
            "alerts": opened.alerts,
            "form": form,
            "members": members,
            "kind": AllocationKind(kind),
            "other_kind": AllocationKind.CARE_COORDINATOR
            if kind == AllocationKind.ASSESSING
            else AllocationKind.ASSESSING,
            "history": selectors.allocation_history(referral),
        },
    )


@manager_required
def caseloads(request):
    """The old Caseloads page: it and the team worklist showed the same caseloads, so it is now
    the team worklist (issue 18), which links each name to that caseload. Old links still work."""
    query = request.META.get("QUERY_STRING", "")
    return redirect(reverse("worklist:team") + (f"?{query}" if query else ""))


# Episodes of care -------------------------------------------------------------------------------


def _posted(request):
    """The POST data, or None for GET (an empty POST still counts as a submitted form)."""
    return request.POST if request.method == "POST" else None


def _record_context(opened, **extra):
    return {"person": opened.person, "alerts": opened.alerts, **extra}


def _team_care_approach(team) -> dict:
    """The care approach the team has chosen (measures' team settings, issue 10), as the form's
    starting choice; nothing when the team has not chosen one."""
    from waypoint.measures import team_settings

    chosen = team_settings.for_team(team)
    return {"care_approach": chosen.care_approach} if chosen.version else {}


def _my_teams_episode(request):
    """Only an episode of one of the user's teams (a 404 for anyone else, before auditing)."""
    return {"team_id__in": request.user.current_team_ids()}


@permission(Do.OPEN_EPISODE)
def open_from_referral(request, referral_id):
    referral = referral_selectors.referral_by_id(referral_id)
    if referral is None or referral.team_id not in request.user.current_team_ids():
        raise Http404("No referral found")
    opened = open_record(
        request, referral.person_id, model=Referral, record_id=referral.pk, record_type=RecordType.REFERRAL
    )
    person = opened.person
    existing = selectors.open_episodes_for_teams(person, [referral.team_id])
    if existing:
        messages.info(
            request, f"{person.full_name} already has an open episode of care with {referral.team.name}"
        )
        return redirect("episodes:episode", person.pk, existing[0].pk)
    if referral.decision != "accept" or not referral.is_open:
        messages.info(request, "Only an accepted, open referral can start an episode of care")
        return redirect("referrals:detail", referral.pk)
    form = OpenEpisodeForm(
        _posted(request),
        initial={"started_on": timezone.localdate(), **_team_care_approach(referral.team)},
    )
    if request.method == "POST" and form.is_valid():
        try:
            episode = services.open_episode_from_referral(
                by=opened.actor,
                referral=referral,
                care_approach=form.cleaned_data["care_approach"],
                started_on=form.cleaned_data["started_on"],
            )
        except services.EpisodeProblem as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"Episode of care with {referral.team.name} opened")
            return redirect("episodes:episode", person.pk, episode.pk)
    return render(
        request,
        "episodes/open_episode.jinja",
        _record_context(opened, form=form, referral=referral, team=referral.team, teams=None),
    )


@permission(Do.OPEN_EPISODE)
def open_for_person(request, person_id):
    opened = open_record(request, person_id, record_type=RecordType.EPISODE)
    person = opened.person
    team_ids = request.user.current_team_ids()
    open_team_ids = {episode.team_id for episode in selectors.open_episodes_for_teams(person, team_ids)}
    teams = [
        team
        for team in selectors.teams_person_is_on_books_of(person, team_ids)
        if team.pk not in open_team_ids
    ]
    initial = {"started_on": timezone.localdate()}
    preselect = team_to_preselect(teams, request.user.primary_team())
    if preselect is not None:
        initial["team"] = preselect
        initial.update(_team_care_approach(next(team for team in teams if team.pk == preselect)))
    form = OpenEpisodeForm(_posted(request), teams=teams, initial=initial)
    if request.method == "POST" and teams and form.is_valid():
        team = form.teams[form.cleaned_data["team"]]
        try:
            episode = services.open_episode(
                by=opened.actor,
                person=person,
                team=team,
                care_approach=form.cleaned_data["care_approach"],
                started_on=form.cleaned_data["started_on"],
            )
        except services.EpisodeProblem as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"Episode of care with {team.name} opened")
            return redirect("episodes:episode", person.pk, episode.pk)
    return render(
        request,
        "episodes/open_episode.jinja",
        _record_context(opened, form=form, referral=None, team=None, teams=teams),
    )


def episode(request, person_id, episode_id):
    episode, opened = selectors.episode_for_page(request, person_id, episode_id)
    transfers = selectors.transfers_of_episode(episode)
    my_team_ids = request.user.current_team_ids()
    return render(
        request,
        "episodes/episode.jinja",
        _record_context(
            opened,
            episode=episode,
            coordinators=selectors.coordinator_history(episode),
            approach_changes=selectors.care_approach_history(episode),
            transfers=transfers,
            pending=next((t for t in transfers if t.is_pending and t.from_episode_id == episode.pk), None),
            transferred_in=next((t for t in transfers if t.to_episode_id == episode.pk), None),
            grace_days=grace_days(),
            discharge=selectors.discharge_of(episode) if episode.is_closed else None,
            is_team_member=episode.team_id in my_team_ids,
            my_team_ids=my_team_ids,
        ),
    )


@permission(Do.CHANGE_CARE_APPROACH)
def care_coordinator(request, person_id, episode_id):
    episode, opened = selectors.episode_for_page(
        request, person_id, episode_id, where=_my_teams_episode(request)
    )
    person = opened.person
    if episode.is_closed:
        messages.info(request, "This episode is closed, so it cannot be changed")
        return redirect("episodes:episode", person.pk, episode.pk)
    members = list(selectors.team_members_with_caseloads(episode.team, may_hold=Do.HOLD_CARE_COORDINATION))
    form = CoordinatorForm(_posted(request), members=members, initial={"version": episode.version})
    if request.method == "POST" and form.is_valid():
        worker = form.members[form.cleaned_data["worker"]]
        try:
            services.assign_care_coordinator(
                by=opened.actor,
                episode=episode,
                worker=worker,
                weight=form.cleaned_data["weight"],
                version=form.cleaned_data.get("version"),
            )
        except services.StaleEpisode as exc:
            form.add_error(None, STALE_MESSAGE)
            form.data = form.data.copy()
            form.data["version"] = str(exc.current_version)
        except services.EpisodeProblem as exc:
            form.add_error(None, str(exc))  # shown above the form, with everything typed kept
        else:
            messages.success(request, f"{worker.display_name} is now the {episode.worker_word}")
            return redirect("episodes:episode", person.pk, episode.pk)
    return render(
        request,
        "episodes/care_coordinator.jinja",
        _record_context(
            opened,
            episode=episode,
            form=form,
            members=members,
            history=selectors.coordinator_history(episode),
        ),
    )


@permission(Do.CHANGE_CARE_APPROACH)
def care_approach(request, person_id, episode_id):
    episode, opened = selectors.episode_for_page(
        request, person_id, episode_id, where=_my_teams_episode(request)
    )
    person = opened.person
    if episode.is_closed:
        messages.info(request, "This episode is closed, so it cannot be changed")
        return redirect("episodes:episode", person.pk, episode.pk)
    form = CareApproachForm(
        _posted(request), current=episode.care_approach, initial={"version": episode.version}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.change_care_approach(
                by=opened.actor,
                episode=episode,
                care_approach=form.cleaned_data["care_approach"],
                version=form.cleaned_data.get("version"),
            )
        except services.StaleEpisode as exc:
            form.add_error(None, STALE_MESSAGE)
            form.data = form.data.copy()
            form.data["version"] = str(exc.current_version)
        except services.EpisodeProblem as exc:
            form.add_error(None, str(exc))  # shown above the form, with everything typed kept
        else:
            messages.success(request, "Care approach changed")
            return redirect("episodes:episode", person.pk, episode.pk)
    return render(
        request,
        "episodes/care_approach.jinja",
        _record_context(opened, episode=episode, form=form),
    )


STALE_MESSAGE = (
    "Someone else changed this episode after you opened this page. Nothing has been saved: what you "
    "typed is still below. Check the episode in another tab, then save again."
)


@permission(Do.REQUEST_TRANSFER)
def request_transfer(request, person_id, episode_id):
    episode, opened = selectors.episode_for_page(
        request, person_id, episode_id, where=_my_teams_episode(request)
    )
    person = opened.person
    if not episode.status == EpisodeStatus.OPEN:
        messages.info(
            request,
            "This episode is closed"
            if episode.is_closed
            else "A transfer of this episode is already waiting for a decision",
        )
        return redirect("episodes:episode", person.pk, episode.pk)
    teams = selectors.transfer_destinations(episode.team)
    form = TransferRequestForm(
        _posted(request),
        teams=teams,
        initial={"care_approach": episode.care_approach, "version": episode.version},
    )
    if request.method == "POST" and form.is_valid():
        to_team = form.teams[form.cleaned_data["to_team"]]
        try:
            services.request_transfer(
                by=opened.actor,
                episode=episode,
                to_team=to_team,
                data=form.cleaned_data,
                version=form.cleaned_data.get("version"),
            )
        except services.StaleEpisode as exc:
            form.add_error(None, STALE_MESSAGE)
            form.data = form.data.copy()
            form.data["version"] = str(exc.current_version)
        except services.AlreadyOpen as exc:
            form.add_error("to_team", str(exc))
        except services.EpisodeProblem as exc:
            form.add_error(None, str(exc))  # shown above the form, with everything typed kept
        else:
            messages.success(
                request, f"Transfer to {to_team.name} requested. The episode stays open until they decide."
            )
            return redirect("episodes:episode", person.pk, episode.pk)
    return render(
        request, "episodes/transfer_request.jinja", _record_context(opened, episode=episode, form=form)
    )


@permission(Do.DECIDE_TRANSFER)
def decide_transfer(request, person_id, transfer_id):
    # Only the receiving team decides: anyone else gets a 404 before anything is audited.
    transfer, opened = selectors.transfer_for_page(
        request, person_id, transfer_id, where={"to_team_id__in": request.user.current_team_ids()}
    )
    person = opened.person
    sending = transfer.from_episode
    if not transfer.is_pending:
        messages.info(request, f"This transfer has already been {transfer.get_status_display().lower()}")
        return redirect("episodes:episode", person.pk, transfer.to_episode_id or sending.pk)
    form = TransferDecisionForm(_posted(request), initial={"care_approach": transfer.care_approach})
    if request.method == "POST" and form.is_valid():
        try:
            if form.cleaned_data["decision"] == "accept":
                receiving = services.accept_transfer(
                    by=opened.actor,
                    transfer=transfer,
                    care_approach=form.cleaned_data.get("care_approach") or None,
                    reason=form.cleaned_data.get("reason", ""),
                )
            else:
                services.decline_transfer(
                    by=opened.actor,
                    transfer=transfer,
                    reason=form.cleaned_data["reason"],
                )
        except services.TransferNotPending as exc:
            messages.info(request, str(exc))
            return redirect("episodes:transfers")
        except services.EpisodeProblem as exc:
            form.add_error(None, str(exc))
        else:
            if form.cleaned_data["decision"] == "accept":
                messages.success(
                    request,
                    f"Transfer accepted. {person.full_name}'s episode of care with {transfer.to_team.name} is open: allocate a care coordinator.",
                )
                return redirect("episodes:episode", person.pk, receiving.pk)
            messages.success(
                request, f"Transfer declined. {sending.team.name} keeps {person.full_name}'s care."
            )
            return redirect(f"{reverse('episodes:transfers')}?team={transfer.to_team_id}")
    return render(
        request,
        "episodes/transfer_decision.jinja",
        _record_context(opened, transfer=transfer, sending=sending, form=form),
    )


@require_POST
@permission(Do.DECIDE_TRANSFER)
def withdraw_transfer(request, person_id, transfer_id):
    transfer, opened = selectors.transfer_for_page(
        request, person_id, transfer_id, where={"from_episode__team_id__in": request.user.current_team_ids()}
    )
    person = opened.person
    try:
        services.withdraw_transfer(by=opened.actor, transfer=transfer)
    except services.EpisodeProblem as exc:
        messages.info(request, str(exc))
    else:
        messages.success(request, "Transfer request withdrawn. The episode carries on with your team.")
    return redirect("episodes:episode", person.pk, transfer.from_episode_id)


@permission(Do.DISCHARGE)
def discharge(request, person_id, episode_id):
    episode, opened = selectors.episode_for_page(
        request, person_id, episode_id, where=_my_teams_episode(request)
    )
    person = opened.person
    if episode.is_closed:
        messages.info(request, "This episode is already closed")
        return redirect("episodes:episode", person.pk, episode.pk)
    if episode.status == EpisodeStatus.TRANSFER_PENDING:
        messages.info(
            request,
            "A transfer of this episode is waiting for a decision. Withdraw it, or wait for the other team, before discharging.",
        )
        return redirect("episodes:episode", person.pk, episode.pk)
    form = DischargeForm(
        _posted(request),
        initial={
            "version": episode.version,
            "discharged_on": timezone.localdate(),
            "getting_back_in_touch": (
                f"Your GP can refer you back to {episode.team.name}. For the next 28 days you can also ring "
                f"{episode.team.name} directly, Monday to Friday, 9am to 5pm."
            ),
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.discharge(
                by=opened.actor,
                episode=episode,
                data=form.cleaned_data,
                version=form.cleaned_data.get("version"),
            )
        except services.StaleEpisode as exc:
            form.add_error(None, STALE_MESSAGE)
            form.data = form.data.copy()
            form.data["version"] = str(exc.current_version)
        except services.EpisodeProblem as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"{person.full_name} has been discharged from {episode.team.name}")
            return redirect("episodes:episode", person.pk, episode.pk)
    return render(request, "episodes/discharge.jinja", _record_context(opened, episode=episode, form=form))


def _letter(request, person_id, episode_id, template):
    # A letter exists only once the episode is closed with a discharge: a 404 before auditing.
    episode, opened = selectors.episode_for_page(
        request,
        person_id,
        episode_id,
        action=Action.PRINT,
        record_type=RecordType.DISCHARGE_LETTER,
        where=Q(
            team_id__in=request.user.current_team_ids(), status=EpisodeStatus.CLOSED, discharge__isnull=False
        ),
    )
    person = opened.person
    record = selectors.discharge_of(episode)
    return render(
        request,
        template,
        {"person": person, "episode": episode, "discharge": record, "today": timezone.localdate()},
    )


def discharge_letter_gp(request, person_id, episode_id):
    return _letter(request, person_id, episode_id, "episodes/letter_gp.jinja")


def discharge_letter_person(request, person_id, episode_id):
    return _letter(request, person_id, episode_id, "episodes/letter_person.jinja")


def transfers(request):
    team = chosen_team(request)
    found = selectors.team_transfers(team, user=request.user)
    with transaction.atomic():
        audit.write(
            actor_for(request, Basis.TEAM),
            action=Action.VIEW,
            record_type=RecordType.TRANSFER_LIST,
            record_id=team.pk,
        )
    return render(
        request,
        "episodes/transfers.jinja",
        {"team": team, "teams": user_teams(request.user), **found},
    )
