"""Outcome measure pages. Thin: the person through the access policy, reads through selectors,
writes through services."""

from django.contrib import messages
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone

from waypoint.access.policy import actor_for, open_record
from waypoint.accounts.permissions import permission
from waypoint.accounts.teams import chosen_team, user_teams
from waypoint.audit import services as audit
from waypoint.audit.models import Action, Basis, RecordType
from waypoint.core.ids import parse_id

from . import licences, presenters, scoring, selectors, services, team_lists
from .forms import MeasureForm

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
