"""Risk formulation pages. Thin: fetch through the access policy, read through selectors, write through services."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render

from waypoint.access.policy import get_person_for_view
from waypoint.patients.selectors import current_alerts

from . import selectors, services
from .forms import RiskFormulationForm

STALE_MESSAGE = (
    "Someone else saved a newer version of this risk formulation (revision {revision}) after you opened "
    "this page. Your text has not been saved: it is still below. Read their revision in the history "
    "(it opens in a new tab), then save again to add yours as the next revision."
)


def current(request, person_id):
    person, _access = get_person_for_view(request, person_id, record_type="risk_formulation")
    formulation = selectors.current_formulation(person)
    return render(
        request,
        "risk/current.jinja",
        {"person": person, "alerts": current_alerts(person), "formulation": formulation, "is_current": True},
    )


def write(request, person_id):
    person, access = get_person_for_view(request, person_id, record_type="risk_formulation")
    latest = selectors.current_formulation(person)
    initial = {"based_on": latest.revision if latest else 0}
    if latest:
        initial.update({name: getattr(latest, name) for name in services.FIELDS})
    form = RiskFormulationForm(request.POST or None, initial=initial)
    stale_revision = None
    if request.method == "POST" and form.is_valid():
        try:
            formulation = services.write_formulation(
                user=request.user,
                person=person,
                data=form.formulation_data(),
                based_on=form.cleaned_data["based_on"],
                basis=access.basis,
                path=request.path,
            )
        except services.StaleFormulation as exc:
            stale_revision = exc.current_revision
            form.add_error(None, STALE_MESSAGE.format(revision=exc.current_revision))
            form.data = form.data.copy()
            form.data["based_on"] = str(exc.current_revision)
        else:
            messages.success(request, f"Risk formulation saved (revision {formulation.revision})")
            return redirect("risk:current", person.pk)
    return render(
        request,
        "risk/form.jinja",
        {
            "person": person,
            "alerts": current_alerts(person),
            "form": form,
            "latest": latest,
            "stale_revision": stale_revision,
        },
    )


def history(request, person_id):
    person, _access = get_person_for_view(request, person_id, record_type="risk_formulation_history")
    return render(
        request,
        "risk/history.jinja",
        {
            "person": person,
            "alerts": current_alerts(person),
            "revisions": selectors.revisions_with_changes(person),
        },
    )


def revision(request, person_id, risk_formulation_id):
    formulation = selectors.revision_by_id(risk_formulation_id)
    if formulation is None or formulation.person_id != person_id:
        raise Http404("No risk formulation found")
    person, _access = get_person_for_view(
        request, formulation.person_id, record_type="risk_formulation", record_id=formulation.pk
    )
    latest = selectors.current_formulation(person)
    return render(
        request,
        "risk/current.jinja",
        {
            "person": person,
            "alerts": current_alerts(person),
            "formulation": formulation,
            "is_current": latest is not None and latest.pk == formulation.pk,
            "latest": latest,
        },
    )
