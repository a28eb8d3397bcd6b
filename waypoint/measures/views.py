"""Outcome measure pages. Thin: the person through the access policy, reads through selectors,
writes through services."""

from django.contrib import messages
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone

from waypoint.access.actor import Actor
from waypoint.access.policy import access_for, actor_for, open_record
from waypoint.accounts.permissions import permission
from waypoint.accounts.teams import chosen_team, user_teams
from waypoint.audit import services as audit
from waypoint.audit.models import Action, Basis, RecordType
from waypoint.core.ids import parse_id

from . import (
    four_week,
    handover,
    licences,
    presenters,
    scoring,
    selectors,
    services,
    team_lists,
    team_settings,
)
from .forms import (
    ConversationForm,
    DialogPlusStartForm,
    HandBackForm,
    MeasureForm,
    SelfAnswerForm,
    SelfStartForm,
    TeamSettingsForm,
)
from .models import FOUR_STEPS, DialogPlusSession, SelfCompletion, SelfCompletionStatus

RECORD_TYPE = RecordType.OUTCOME_MEASURE


def _context(opened, **extra):
    return {"person": opened.person, "alerts": opened.alerts, **extra}


def _definition(code):
    defn = licences.definition(code)
    if defn is None:
        raise Http404("No such measure here")
    return defn


def list_view(request, person_id):
    opened = open_record(request, person_id, record_type=RECORD_TYPE)
    return render(
        request,
        "measures/list.jinja",
        _context(
            opened,
            histories=selectors.summaries(opened.person),
            available=list(licences.definitions().values()),
            unfinished=selectors.unfinished_self_completions(opened.person),
            dialog_plus=selectors.dialog_plus_sessions(opened.person),
        ),
    )


@permission("record_measure")
def new(request, person_id, code):
    defn = _definition(code)
    opened = open_record(request, person_id, record_type=RECORD_TYPE)
    person = opened.person
    replaces = None
    initial = {"completed_on": timezone.localdate()}
    if "replaces" in request.GET:
        replaces_id = parse_id(request.GET.get("replaces"))
        replaces = selectors.measure_of(person, replaces_id) if replaces_id else None
        if replaces is None or replaces.code != code:
            raise Http404("No measure found")
        if replaces.replacement is not None:
            messages.info(request, "This measure has already been corrected")
            return redirect("measures:detail", person.pk, replaces.replacement.pk)
        initial = presenters.initial_from(replaces)
    form = MeasureForm(request.POST or None, defn=defn, replacing=replaces is not None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            measure = services.record_measure(
                by=opened.actor,
                person=person,
                defn=defn,
                answers=form.answers(),
                details=form.details(),
                replaces=replaces,
                reason=form.cleaned_data.get("reason", ""),
                **form.columns(),
            )
        except services.CannotReplace:
            messages.info(request, "This measure has already been corrected")
            return redirect("measures:detail", person.pk, replaces.pk)
        messages.success(request, f"{defn.name} recorded" if replaces is None else f"{defn.name} corrected")
        return redirect("measures:detail", person.pk, measure.pk)
    return render(
        request,
        "measures/form.jinja",
        _context(opened, form=form, defn=defn, replaces=replaces, licence=licences.licence_for(defn)),
    )


def detail(request, person_id, measure_id):
    opened, measure = selectors.measure_for_page(request, person_id, measure_id)
    defn = measure.definition
    h = selectors.history(opened.person, defn)
    row = next((r for r in h.rows if r.measure.pk == measure.pk), None)
    return render(
        request,
        "measures/detail.jinja",
        _context(
            opened,
            measure=measure,
            defn=defn,
            row=row,
            answers=presenters.answer_rows(defn, measure),
            subscales=presenters.subscale_rows(defn, measure),
            safety=scoring.safety_items_answered(defn, measure.answers),
            safety_links=presenters.safety_links(opened.person),
            can_correct=measure.replacement is None and licences.definition(measure.code) is not None,
        ),
    )


def history_view(request, person_id, code):
    defn = licences.any_definition(code)
    if defn is None:
        raise Http404("No such measure")
    opened = open_record(request, person_id, record_type=RECORD_TYPE)
    h = selectors.history(opened.person, defn)
    return render(
        request,
        "measures/history.jinja",
        _context(opened, h=h, defn=defn, chart=presenters.chart(h)),
    )


def since_review(request, person_id):
    """The measures done since the person's last held care review, with their change: for the
    review meeting (linked from the Measures tab)."""
    opened = open_record(request, person_id, record_type=RECORD_TYPE)
    held_on, found = selectors.since_last_review(opened.person)
    changes = [
        (
            item,
            scoring.change_since(item.history.defn, item.before.measure.total, item.rows[-1].measure.total),
        )
        if item.before
        else (item, None)
        for item in found
    ]
    return render(request, "measures/since_review.jinja", _context(opened, held_on=held_on, changes=changes))


def team_no_baseline(request):
    team = chosen_team(request)
    rows = team_lists.no_baseline(team, request.user)
    with transaction.atomic():
        audit.write(
            actor_for(request, Basis.NONE),
            action=Action.VIEW,
            record_type=RecordType.TEAM_MEASURES,
            record_id=team.pk,
        )
    return render(
        request,
        "measures/team_no_baseline.jinja",
        {"team": team, "teams": user_teams(request.user), "rows": rows},
    )


# Self-completion: staff hand the device to the person -------------------------------------------


def _self_report_definitions():
    return [d for code, d in licences.definitions().items() if code in services.SELF_REPORT_CODES]


@permission("record_measure")
def self_start(request, person_id):
    """Staff choose the questionnaire; saving it locks this session to the questionnaire."""
    opened = open_record(request, person_id, record_type=RECORD_TYPE)
    form = SelfStartForm(request.POST or None, definitions=_self_report_definitions())
    if request.method == "POST" and form.is_valid():
        sc = services.start_self_completion(
            by=opened.actor,
            person=opened.person,
            defn=_definition(form.cleaned_data["code"]),
            timing=form.cleaned_data["timing"],
        )
        handover.lock(request, sc)
        return redirect("measures:self_question")
    return render(request, "measures/self_start.jinja", _context(opened, form=form))


@permission("record_measure")
def self_resume(request, person_id, self_completion_id):
    """Hand the device back to the person to carry on with an unfinished questionnaire."""
    opened = open_record(
        request,
        person_id,
        model=SelfCompletion,
        record_id=self_completion_id,
        where={"status": SelfCompletionStatus.IN_PROGRESS},
        record_type=RecordType.SELF_COMPLETION,
    )
    if request.method != "POST":
        return redirect("measures:list", opened.person.pk)
    handover.lock(request, opened.record)
    return redirect("measures:self_question")


def _locked(request):
    """The questionnaire this session is locked to, with the acting member of staff. Nothing here
    shows the record: the person's name is not on these pages."""
    sc_id = handover.locked_to(request)
    sc = selectors.self_completion_for_handover(sc_id)
    access = access_for(request.user, sc.person) if sc else None
    if sc is None or access is None:
        handover.unlock(request)
        raise Http404("No questionnaire here")
    defn = licences.any_definition(sc.code)
    by = Actor(
        user=request.user, basis=access.basis, break_glass_reason=access.break_glass_reason, path=request.path
    )
    return sc, defn, by


def _self_render(request, template, sc, defn, **extra):
    return render(
        request, f"measures/self/{template}", {"sc": sc, "defn": defn, "page_title": defn.name, **extra}
    )


@permission("record_measure")
def self_question(request, number=None):
    sc, defn, by = _locked(request)
    if sc.is_finished:
        return redirect("measures:self_done")
    total = len(defn.items)
    if number is None:
        answered = [i for i, item in enumerate(defn.items, start=1) if item.key in sc.answers]
        number = next((n for n in range(1, total + 1) if n not in answered), None)
        if number is None:
            return redirect("measures:self_finish")
        return redirect("measures:self_question", number)
    if not 1 <= number <= total:
        raise Http404("No such question")
    item = defn.items[number - 1]
    initial = {"answer": sc.answers.get(item.key)}
    form = SelfAnswerForm(
        request.POST if request.method == "POST" else None, defn=defn, number=number, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.save_self_answer(
                by=by, sc=sc, defn=defn, key=item.key, value=form.cleaned_data["answer"]
            )
        except services.SelfCompletionClosed:
            return redirect("measures:self_done")
        if number < total:
            return redirect("measures:self_question", number + 1)
        return redirect("measures:self_finish")
    return _self_render(
        request,
        "question.jinja",
        sc,
        defn,
        form=form,
        number=number,
        total=total,
        previous=number - 1 if number > 1 else None,
        page_title=f"Question {number} of {total}",
    )


@permission("record_measure")
def self_finish(request):
    sc, defn, by = _locked(request)
    if sc.is_finished:
        return redirect("measures:self_done")
    missing = services.unanswered(defn, sc.answers)
    if request.method == "POST" and not missing:
        try:
            services.finish_self_completion(by=by, sc=sc, defn=defn)
        except services.SelfCompletionClosed:
            pass
        except services.SelfCompletionIncomplete as exc:
            missing = exc.unanswered
        else:
            return redirect("measures:self_done")
    return _self_render(request, "finish.jinja", sc, defn, missing=missing, page_title="Check and finish")


def self_done(request):
    sc, defn, by = _locked(request)
    if not sc.is_finished:
        return redirect("measures:self_question")
    return _self_render(request, "done.jinja", sc, defn, staff=sc.started_by, page_title="Thank you")


def self_hand_back(request):
    """Only the member of staff takes the device back: their password, again."""
    sc, defn, by = _locked(request)
    form = HandBackForm(request.POST if request.method == "POST" else None, user=request.user)
    if request.method == "POST":
        if form.is_valid():
            services.hand_back(by=by, sc=sc)
            handover.unlock(request)
            if sc.is_finished:
                messages.success(request, f"{defn.name} filled in by the person and recorded")
                return redirect("measures:detail", sc.person_id, sc.measure_id)
            messages.info(request, f"{defn.name} not finished: the answers given so far are kept")
            return redirect("measures:list", sc.person_id)
        if handover.record_failure(request) >= handover.MAX_FAILURES:
            from django.contrib.auth import logout

            logout(request)  # the answers are kept; the member of staff signs in again
            return redirect("accounts:sign_in")
    return _self_render(request, "hand_back.jinja", sc, defn, form=form, page_title="Hand the device back")


# DIALOG+ ----------------------------------------------------------------------------------------


@permission("record_dialog_plus")
def dialog_plus_new(request, person_id):
    """Step one: the 11 DIALOG ratings and the domains the person chooses to talk about."""
    defn = _definition("dialog")
    opened = open_record(request, person_id, record_type=RecordType.DIALOG_PLUS)
    form = DialogPlusStartForm(
        request.POST if request.method == "POST" else None,
        defn=defn,
        initial={"completed_on": timezone.localdate(), "completed_by_who": "person", "mode": "with_person"},
    )
    if request.method == "POST" and form.is_valid():
        session = services.start_dialog_plus(
            by=opened.actor,
            person=opened.person,
            defn=defn,
            answers=form.answers(),
            domains=form.cleaned_data["domains"],
            **form.columns(),
        )
        messages.success(request, "DIALOG ratings recorded: now talk about the areas the person chose")
        return redirect("measures:dialog_plus", opened.person.pk, session.pk)
    return render(request, "measures/dialog_plus_new.jinja", _context(opened, form=form, defn=defn))


def _team_for(request, person):
    from waypoint.patients import selectors as people_selectors

    team = request.user.primary_team()
    if team is None:
        registration = people_selectors.teams_of(person).first()
        team = registration.team if registration else None
    return team


@permission("record_dialog_plus")
def dialog_plus(request, person_id, dialog_plus_id):
    """Step two: the four steps for each chosen domain and the actions agreed; then read-only."""
    opened = open_record(
        request,
        person_id,
        model=DialogPlusSession,
        record_id=dialog_plus_id,
        record_type=RecordType.DIALOG_PLUS,
    )
    session = opened.record
    measure = session.measure
    defn = measure.definition
    form = None
    if not session.is_recorded:
        form = ConversationForm(
            request.POST if request.method == "POST" else None, defn=defn, domains=session.domains
        )
        if request.method == "POST" and form.is_valid():
            try:
                services.record_conversation(
                    by=opened.actor,
                    session=session,
                    discussion=form.discussion(),
                    add_to_plan=form.cleaned_data["add_to_plan"],
                    team=_team_for(request, opened.person),
                )
            except services.ConversationAlreadyRecorded:
                messages.info(request, "This DIALOG+ session has already been recorded")
            else:
                messages.success(request, "DIALOG+ session recorded")
            return redirect("measures:dialog_plus", opened.person.pk, session.pk)
    names = {item.key: item.short for item in defn.items}
    return render(
        request,
        "measures/dialog_plus.jinja",
        _context(
            opened,
            session=session,
            measure=measure,
            defn=defn,
            form=form,
            ratings=presenters.answer_rows(defn, measure),
            subscales=presenters.subscale_rows(defn, measure),
            chosen=[(key, names[key], session.discussion.get(key) or {}) for key in session.domains],
            steps=FOUR_STEPS,
        ),
    )


# The team's care approach and measure windows ---------------------------------------------------


@permission(team_settings.SET_TEAM_MEASURE_SETTINGS, methods=("GET", "POST"))
def team_settings_view(request):
    team = chosen_team(request)
    current = team_settings.for_team(team)
    form = TeamSettingsForm(
        request.POST if request.method == "POST" else None,
        initial={f: getattr(current, f) for f in team_settings.FIELDS} | {"version": current.version},
    )
    if request.method == "POST" and form.is_valid():
        values = {f: form.cleaned_data[f] for f in team_settings.FIELDS}
        try:
            team_settings.save(
                by=actor_for(request, Basis.TEAM), team=team, version=form.cleaned_data["version"], **values
            )
        except team_settings.StaleSettings:
            form.add_error(
                None, "Someone else changed these settings while you were editing: check them again"
            )
        else:
            messages.success(request, f"{team.name}'s care approach and measure windows saved")
            return redirect("measures:team_settings")
    return render(
        request,
        "measures/team_settings.jinja",
        {
            "team": team,
            "teams": user_teams(request.user),
            "form": form,
            "page_title": "Care approach and measure windows",
        },
    )


def team_four_week(request):
    """The team's 4-week clock figures: referral to clock-stop, the share stopped within 28 days,
    and each referral's parts (done and to do). A fixed number of queries."""
    team = chosen_team(request)
    period = request.GET.get("period") or team_lists.DEFAULT_PERIOD
    if period not in team_lists.PERIODS:
        period = team_lists.DEFAULT_PERIOD
    referrals = team_lists.four_week_referrals(team, request.user, team_lists.PERIODS[period])
    clocks = four_week.clocks_for(referrals)
    rows = [clocks[r.pk] for r in referrals]
    with transaction.atomic():
        audit.write(
            actor_for(request, Basis.TEAM),
            action=Action.VIEW,
            record_type=RecordType.TEAM_CLOCK_FIGURES,
            record_id=team.pk,
        )
    return render(
        request,
        "measures/team_four_week.jinja",
        {
            "team": team,
            "teams": user_teams(request.user),
            "rows": rows,
            "figures": four_week.team_figures(rows),
            "period": period,
            "periods": team_lists.PERIODS,
            "page_title": "4-week clock",
        },
    )
