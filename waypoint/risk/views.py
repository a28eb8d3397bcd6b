"""Risk formulation pages. Thin: fetch through the access policy, read through selectors, write through services."""

from django.contrib import messages
from django.shortcuts import redirect, render

from waypoint.access.policy import open_record
from waypoint.accounts.permissions import Do, permission
from waypoint.audit.models import RecordType

from . import selectors, services
from .forms import RiskFormulationForm
from .models import RiskFormulation

STALE_MESSAGE = (
    "Someone else saved a newer version of this risk formulation (revision {revision}) after you opened "
    "this page. Your text has not been saved: it is still below. Read their revision in the history "
    "(it opens in a new tab), then save again to add yours as the next revision."
)


def current(request, person_id):
    opened = open_record(request, person_id, record_type=RecordType.RISK_FORMULATION)
    person = opened.person
    formulation = selectors.current_formulation(person)
    return render(
        request,
        "risk/current.jinja",
        {"person": person, "alerts": opened.alerts, "formulation": formulation, "is_current": True},
    )


@permission(Do.WRITE_RISK_FORMULATION)
def write(request, person_id):
    opened = open_record(request, person_id, record_type=RecordType.RISK_FORMULATION)
    person = opened.person
    latest = selectors.current_formulation(person)
    initial = {"based_on": latest.revision if latest else 0}
    if latest:
        initial.update({name: getattr(latest, name) for name in services.FIELDS})
    form = RiskFormulationForm(request.POST or None, initial=initial)
    stale_revision = None
    if request.method == "POST" and form.is_valid():
        try:
            formulation = services.write_formulation(
                by=opened.actor,
                person=person,
                data=form.formulation_data(),
                based_on=form.cleaned_data["based_on"],
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
            "alerts": opened.alerts,
            "form": form,
            "latest": latest,
            "stale_revision": stale_revision,
        },
    )


def history(request, person_id):
    opened = open_record(request, person_id, record_type=RecordType.RISK_FORMULATION)
    person = opened.person
    return render(
        request,
        "risk/history.jinja",
        {
            "person": person,
            "alerts": opened.alerts,
            "revisions": selectors.revisions_with_changes(person),
        },
    )


def revision(request, person_id, risk_formulation_id):
    opened = open_record(
        request,
        person_id,
        model=RiskFormulation,
        record_id=risk_formulation_id,
        record_type=RecordType.RISK_FORMULATION,
    )
    person = opened.person
    formulation = selectors.revision_by_id(risk_formulation_id)
    latest = selectors.current_formulation(person)
    return render(
        request,
        "risk/current.jinja",
        {
            "person": person,
            "alerts": opened.alerts,
            "formulation": formulation,
            "is_current": latest is not None and latest.pk == formulation.pk,
            "latest": latest,
        },
    )
