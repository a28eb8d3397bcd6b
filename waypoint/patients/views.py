"""Person index pages. Thin: fetch through the access policy, write through services."""

from django.contrib import messages
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from waypoint.access.policy import acting_on, actor_for, open_record
from waypoint.accounts.permissions import Do, permission
from waypoint.audit import services as audit
from waypoint.audit.models import Action, Basis, RecordType
from waypoint.core.memo import request_scope
from waypoint.core.submissions import once

from . import record_sections, selectors, services
from .forms import AlertForm, CarerForm, PersonForm, SearchForm, TraceForm
from .models import Alert
from .trace import limit_message, use_a_trace


def _duplicate_error(form, exc):
    link = reverse("patients:detail", args=[exc.existing.pk])
    form.add_error("nhs_number", "A person with this NHS number is already registered")
    return link


def search(request):
    """Search the people the user has a relationship with. Anyone else needs a trace (below)."""
    form = SearchForm(request.GET or None)
    query = form.data.get("q", "").strip() if form.is_bound else ""
    results = []
    if query:
        results = list(selectors.search_visible(request.user, query))
        with transaction.atomic():
            audit.write(
                actor_for(request, Basis.NONE), action=Action.SEARCH, record_type=RecordType.PERSON_SEARCH
            )
    return render(request, "patients/search.jinja", {"form": form, "query": query, "results": results})


def trace(request):
    """Trace one person outside the user's relationships: exact details, a reason, rate-limited, audited."""
    form = TraceForm(request.POST or None)
    match, outcome, status = None, None, 200
    if request.method == "POST" and form.is_valid():
        if not use_a_trace(request):
            form.add_error(None, limit_message())
            status = 429
        else:
            people = selectors.trace_matches(form.cleaned_data)
            reason = form.cleaned_data["reason"]
            if len(people) == 1:
                match = people[0]
                actor = acting_on(request, match)
                services.record_trace(by=actor, person=match, reason=reason)
                outcome = "outside" if actor.basis == Basis.NONE else "visible"
            else:
                services.record_trace(by=actor_for(request, Basis.NONE), reason=reason)
                outcome = "several" if people else "none"
    return render(
        request, "patients/trace.jinja", {"form": form, "match": match, "outcome": outcome}, status=status
    )


@permission(Do.REGISTER_PERSON)
def register(request):
    form = PersonForm(request.POST or None)
    duplicate_link = None
    if request.method == "POST" and form.is_valid():
        data = {name: value for name, value in form.cleaned_data.items() if name != "version"}
        try:
            person = services.register_person(by=actor_for(request, Basis.REGISTRATION), data=data)
        except services.DuplicateNHSNumber as exc:
            duplicate_link = _duplicate_error(form, exc)
        else:
            messages.success(request, f"{person.full_name} has been registered")
            return redirect("patients:detail", person.pk)
    return render(request, "patients/person_form.jinja", {"form": form, "duplicate_link": duplicate_link})


def detail(request, person_id):
    """The record's overview: what a care coordinator needs on the first screen."""
    return _record_page(request, person_id, record_sections.OVERVIEW)


def record_tab(request, person_id, tab):
    """One tab of the record: the sections other modules put on it (`record_sections`)."""
    return _record_page(request, person_id, tab)


def _record_page(request, person_id, tab_key):
    entry = record_sections.tab(tab_key)
    if entry is None:
        raise Http404("No such part of the record")
    opened = open_record(request, person_id)
    person, access = opened.person, opened.access
    record = record_sections.RecordContext(person, user=request.user)
    with request_scope():  # sections and worklist providers share each read (core.memo)
        return render(
            request,
            "patients/detail.jinja" if tab_key == record_sections.OVERVIEW else "patients/record_tab.jinja",
            {
                "person": person,
                "access": access,
                "tab": entry,
                "alerts": record.alerts,
                "sections": record_sections.sections_for(record, tab_key),
            },
        )


@permission(Do.EDIT_PERSON)
def edit(request, person_id):
    opened = open_record(request, person_id)
    person = opened.person
    form = PersonForm(request.POST or None, instance=person, initial={"version": person.version})
    duplicate_link, stale = None, False
    if request.method == "POST" and form.is_valid():
        data = {name: value for name, value in form.cleaned_data.items() if name != "version"}
        try:
            services.update_person(
                by=opened.actor,
                person=person,
                data=data,
                version=form.cleaned_data.get("version"),
            )
        except services.DuplicateNHSNumber as exc:
            duplicate_link = _duplicate_error(form, exc)
        except services.StaleEdit as exc:
            stale = True
            form.add_error(
                None,
                "Someone else changed these details after you opened this page. Your changes have not been "
                "saved: they are still below. Check the record in another tab; saving again will replace "
                "their changes with yours.",
            )
            form.data = form.data.copy()
            form.data["version"] = str(exc.current_version)
        else:
            messages.success(request, "Personal details updated")
            return redirect("patients:detail", person.pk)
    return render(
        request,
        "patients/person_form.jinja",
        {
            "form": form,
            "person": person,
            "alerts": opened.alerts,
            "duplicate_link": duplicate_link,
            "stale": stale,
        },
    )


@once
@permission(Do.ADD_CARER)
def add_carer(request, person_id):
    opened = open_record(request, person_id)
    person = opened.person
    form = CarerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.add_carer(by=opened.actor, person=person, data=form.cleaned_data)
        messages.success(request, "Carer added")
        return redirect("patients:detail", person.pk)
    return render(
        request,
        "patients/carer_form.jinja",
        {"form": form, "person": person, "alerts": opened.alerts},
    )


@permission(Do.ADD_ALERT)
def add_alert(request, person_id):
    opened = open_record(request, person_id)
    person = opened.person
    form = AlertForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.add_alert(by=opened.actor, person=person, data=form.cleaned_data)
        messages.success(request, "Alert added")
        return redirect("patients:detail", person.pk)
    return render(
        request,
        "patients/alert_form.jinja",
        {"form": form, "person": person, "alerts": opened.alerts},
    )


@require_POST
@permission(Do.ADD_ALERT)
def end_alert(request, person_id, alert_id):
    # The alert must be this person's before anything is audited (404 otherwise).
    opened = open_record(request, person_id, model=Alert, record_id=alert_id, record_type=RecordType.ALERT)
    person = opened.person
    services.end_alert(by=opened.actor, alert=opened.record)
    messages.success(request, "Alert ended")
    return redirect("patients:detail", person.pk)
