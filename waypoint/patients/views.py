"""Person index pages. Thin: fetch through the access policy, write through services."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from waypoint.access.policy import get_person_for_view
from waypoint.audit import services as audit
from waypoint.audit.models import Action, Basis
from waypoint.core.submissions import once

from . import record_sections, selectors, services
from .forms import AlertForm, CarerForm, PersonForm, SearchForm


def _duplicate_error(form, exc):
    link = reverse("patients:detail", args=[exc.existing.pk])
    form.add_error("nhs_number", "A person with this NHS number is already registered")
    return link


def search(request):
    form = SearchForm(request.GET or None)
    query = form.data.get("q", "").strip() if form.is_bound else ""
    results, others = [], []
    if query:
        results = list(selectors.search_visible(request.user, query))
        others = list(selectors.search_outside_relationship(request.user, query))
        audit.record(
            user=request.user,
            action=Action.SEARCH,
            record_type="person_search",
            basis=Basis.NONE,
            path=request.path,
        )
    return render(
        request,
        "patients/search.jinja",
        {"form": form, "query": query, "results": results, "others": others},
    )


def register(request):
    form = PersonForm(request.POST or None)
    duplicate_link = None
    if request.method == "POST" and form.is_valid():
        data = {name: value for name, value in form.cleaned_data.items() if name != "version"}
        try:
            person = services.register_person(user=request.user, data=data, path=request.path)
        except services.DuplicateNHSNumber as exc:
            duplicate_link = _duplicate_error(form, exc)
        else:
            messages.success(request, f"{person.full_name} has been registered")
            return redirect("patients:detail", person.pk)
    return render(request, "patients/person_form.jinja", {"form": form, "duplicate_link": duplicate_link})


def detail(request, person_id):
    person, access = get_person_for_view(request, person_id)
    return render(
        request,
        "patients/detail.jinja",
        {
            "person": person,
            "access": access,
            "alerts": selectors.current_alerts(person),
            "carers": selectors.carers_of(person),
            "teams": selectors.teams_of(person),
            "sections": record_sections.sections_for(person),
        },
    )


def edit(request, person_id):
    person, access = get_person_for_view(request, person_id, action=Action.VIEW)
    form = PersonForm(request.POST or None, instance=person, initial={"version": person.version})
    duplicate_link, stale = None, False
    if request.method == "POST" and form.is_valid():
        data = {name: value for name, value in form.cleaned_data.items() if name != "version"}
        try:
            services.update_person(
                user=request.user,
                person=person,
                data=data,
                version=form.cleaned_data.get("version"),
                basis=access.basis,
                path=request.path,
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
            "alerts": selectors.current_alerts(person),
            "duplicate_link": duplicate_link,
            "stale": stale,
        },
    )


@once
def add_carer(request, person_id):
    person, access = get_person_for_view(request, person_id)
    form = CarerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.add_carer(
            user=request.user, person=person, data=form.cleaned_data, basis=access.basis, path=request.path
        )
        messages.success(request, "Carer added")
        return redirect("patients:detail", person.pk)
    return render(
        request,
        "patients/carer_form.jinja",
        {"form": form, "person": person, "alerts": selectors.current_alerts(person)},
    )


def add_alert(request, person_id):
    person, access = get_person_for_view(request, person_id)
    form = AlertForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.add_alert(
            user=request.user, person=person, data=form.cleaned_data, basis=access.basis, path=request.path
        )
        messages.success(request, "Alert added")
        return redirect("patients:detail", person.pk)
    return render(
        request,
        "patients/alert_form.jinja",
        {"form": form, "person": person, "alerts": selectors.current_alerts(person)},
    )


@require_POST
def end_alert(request, person_id, alert_id):
    person, access = get_person_for_view(request, person_id, record_type="alert", record_id=alert_id)
    alert = selectors.alert_of(person, alert_id)
    if alert is None:
        raise Http404("No alert found")
    services.end_alert(user=request.user, alert=alert, basis=access.basis, path=request.path)
    messages.success(request, "Alert ended")
    return redirect("patients:detail", person.pk)
