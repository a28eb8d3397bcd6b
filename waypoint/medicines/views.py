"""Medicines, allergies, depot and physical health pages. Thin: open the person (or the record)
through the access policy, read through selectors, write through services."""

from datetime import timedelta

from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils import timezone

from waypoint.access.policy import actor_for, open_record
from waypoint.accounts.permissions import permission
from waypoint.accounts.teams import chosen_team, user_teams
from waypoint.audit import services as audit
from waypoint.audit.models import Action, Basis, RecordType
from waypoint.core.submissions import once

from . import forms, presenters, selectors, services
from .models import AllergyKind, Outcome, number_text

NOT_SAVED_STALE = (
    "Someone else changed this record after you opened it. Your changes have not been saved: "
    "they are still below. Open the record again to see the latest."
)


def _context(opened, **extra):
    return {"person": opened.person, "alerts": opened.alerts, **extra}


def _tab(person):
    return redirect("patients:record_medicines", person.pk)


# --- Medicines ---


@permission("record_medicine")
@once
def add_medicine(request, person_id):
    opened = open_record(request, person_id, record_type=RecordType.MEDICINE)
    form = forms.MedicineForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        medicine = services.add_medicine(by=opened.actor, person=opened.person, data=form.values())
        messages.success(request, f"{medicine.name} added")
        return _tab(opened.person)
    return render(request, "medicines/medicine_form.jinja", _context(opened, form=form))


@permission("record_medicine")
def stop_medicine(request, person_id, medicine_id):
    opened, medicine = selectors.medicine_for_page(request, person_id, medicine_id)
    if medicine.stopped_on is not None and request.method != "POST":
        messages.info(request, "This medicine is already stopped")
        return _tab(opened.person)
    form = forms.StopForm(request.POST or None, initial={"version": medicine.version})
    if request.method == "POST" and form.is_valid():
        try:
            services.stop_medicine(
                by=opened.actor,
                medicine=medicine,
                stopped_on=form.cleaned_data["stopped_on"],
                reason=form.cleaned_data["reason"],
                version=form.cleaned_data["version"],
            )
        except services.StaleRecord:
            form.add_error(None, NOT_SAVED_STALE)
        else:
            messages.success(request, f"{medicine.name} stopped. It stays in the list of past medicines.")
            return _tab(opened.person)
    return render(request, "medicines/stop_form.jinja", _context(opened, form=form, thing=medicine.name))


# --- Allergies ---


@permission("record_medicine")
@once
def add_allergy(request, person_id):
    opened = open_record(request, person_id, record_type=RecordType.ALLERGY)
    form = forms.AllergyForm(request.POST or None, initial={"recorded_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        services.record_allergy(by=opened.actor, person=opened.person, data=form.cleaned_data)
        messages.success(request, f"{form.cleaned_data['substance']} recorded")
        return _tab(opened.person)
    return render(request, "medicines/allergy_form.jinja", _context(opened, form=form))


@permission("record_medicine")
def no_known_allergies(request, person_id):
    opened = open_record(request, person_id, record_type=RecordType.ALLERGY)
    form = forms.NoKnownAllergiesForm(request.POST or None, initial={"recorded_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.record_no_known_allergies(
                by=opened.actor, person=opened.person, recorded_on=form.cleaned_data["recorded_on"]
            )
        except services.AllergiesRecorded:
            form.add_error(None, "An allergy is recorded: mark it as entered in error first if it is wrong")
        else:
            messages.success(request, "No known allergies recorded")
            return _tab(opened.person)
    return render(request, "medicines/no_known_allergies.jinja", _context(opened, form=form))


@permission("record_medicine")
def allergy_entered_in_error(request, person_id, allergy_id):
    opened, allergy = selectors.allergy_for_page(request, person_id, allergy_id)
    form = forms.EnteredInErrorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.allergy_entered_in_error(
                by=opened.actor, allergy=allergy, reason=form.cleaned_data["reason"]
            )
        except services.AlreadyEnteredInError:
            messages.info(request, "This was already marked as entered in error")
        else:
            messages.success(request, "Marked as entered in error. It is kept, crossed out.")
        return _tab(opened.person)
    label = "No known allergies" if allergy.kind == AllergyKind.NO_KNOWN_ALLERGIES else allergy.substance
    return render(request, "medicines/entered_in_error.jinja", _context(opened, form=form, thing=label))


# --- Depot ---


@permission("prescribe_depot")
@once
def add_depot(request, person_id):
    opened = open_record(request, person_id, record_type=RecordType.DEPOT)
    teams = list(user_teams(request.user))
    team = request.user.primary_team() or (teams[0] if teams else None)
    form = forms.DepotForm(
        request.POST or None,
        initial={"tolerance_days": 3, "route": "Intramuscular"},
        nurses=selectors.nurses_for([team.pk] if team else []),
    )
    if request.method == "POST" and form.is_valid() and teams:
        depot = services.add_depot(
            by=opened.actor,
            person=opened.person,
            team=team,
            data=form.values(),
        )
        messages.success(request, f"{depot.drug} depot added to the clinic")
        return redirect("medicines:depot", opened.person.pk, depot.pk)
    return render(request, "medicines/depot_form.jinja", _context(opened, form=form))


def depot(request, person_id, depot_id):
    today = timezone.localdate()
    opened, status = selectors.depot_for_page(request, person_id, depot_id, today)
    last, suggested = selectors.last_sites(status.depot)
    return render(
        request,
        "medicines/depot.jinja",
        _context(
            opened,
            status=status,
            depot=status.depot,
            administrations=selectors.administrations_of(status.depot),
            last_sites=last,
            suggested=suggested,
            today=today,
        ),
    )


@permission("prescribe_depot")
def stop_depot(request, person_id, depot_id):
    opened, status = selectors.depot_for_page(request, person_id, depot_id, timezone.localdate())
    found = status.depot
    form = forms.StopForm(request.POST or None, initial={"version": found.version})
    if request.method == "POST" and form.is_valid():
        try:
            services.stop_depot(
                by=opened.actor,
                depot=found,
                stopped_on=form.cleaned_data["stopped_on"],
                reason=form.cleaned_data["reason"],
                version=form.cleaned_data["version"],
            )
        except services.StaleRecord:
            form.add_error(None, NOT_SAVED_STALE)
        else:
            messages.success(request, f"{found.drug} depot stopped")
            return redirect("medicines:depot", opened.person.pk, found.pk)
    return render(
        request, "medicines/stop_form.jinja", _context(opened, form=form, thing=f"{found.drug} depot")
    )


@permission("assign_depot_nurse")
def depot_nurse(request, person_id, depot_id):
    opened, status = selectors.depot_for_page(request, person_id, depot_id, timezone.localdate())
    found = status.depot
    form = forms.DepotNurseForm(
        request.POST or None,
        initial={"version": found.version, "nurse": str(found.nurse_id or "")},
        nurses=selectors.nurses_for([found.team_id]),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.assign_depot_nurse(
                by=opened.actor,
                depot=found,
                nurse=form.cleaned_data["nurse"],
                version=form.cleaned_data["version"],
            )
        except services.StaleRecord:
            form.add_error(None, NOT_SAVED_STALE)
        else:
            nurse = form.cleaned_data["nurse"]
            messages.success(
                request,
                f"{found.drug} depot: given by {nurse.display_name}"
                if nurse
                else f"{found.drug} depot: no nurse chosen",
            )
            return redirect("medicines:depot", opened.person.pk, found.pk)
    return render(request, "medicines/depot_nurse_form.jinja", _context(opened, form=form, depot=found))


@permission("give_depot")
@once
def give(request, person_id, depot_id):
    now = timezone.localtime()
    opened, status = selectors.depot_for_page(request, person_id, depot_id, now.date())
    found = status.depot
    last, suggested = selectors.last_sites(found)
    form = forms.AdministrationForm(
        request.POST or None,
        initial={
            "given_on": now.date(),
            "given_at": now.strftime("%H:%M"),
            "dose": number_text(found.dose),
            "dose_unit": found.dose_unit,
            "site": suggested["site"],
            "side": suggested["side"],
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            given = services.record_administration(
                by=opened.actor, depot=found, at=form.cleaned_data["at"], data=form.values()
            )
        except services.ExpiredBatch:
            form.add_error(
                "batch_expiry", "This batch has expired: do not give it. Use a batch that is in date"
            )
        else:
            text = f"{found.drug} {given.dose_text} recorded"
            if given.observation_ends_at:
                text += f". Observe until {timezone.localtime(given.observation_ends_at):%H:%M}"
            messages.success(request, text)
            return redirect("medicines:administration", opened.person.pk, given.pk)
    return render(
        request,
        "medicines/give.jinja",
        _context(opened, form=form, status=status, depot=found, last_sites=last, suggested=suggested),
    )


@permission("give_depot")
@once
def not_given(request, person_id, depot_id):
    now = timezone.localtime()
    opened, status = selectors.depot_for_page(request, person_id, depot_id, now.date())
    form = forms.NotGivenForm(request.POST or None, initial={"on": now.date(), "at": now.strftime("%H:%M")})
    if request.method == "POST" and form.is_valid():
        recorded = services.record_not_given(
            by=opened.actor,
            depot=status.depot,
            outcome=form.cleaned_data["outcome"],
            at=form.cleaned_data["moment"],
            follow_up=form.cleaned_data["follow_up"],
        )
        messages.success(
            request, f"Dose recorded as {recorded.get_outcome_display().lower()}. It is still due."
        )
        return redirect("medicines:depot", opened.person.pk, status.depot.pk)
    return render(request, "medicines/not_given.jinja", _context(opened, form=form, depot=status.depot))


def administration(request, person_id, administration_id):
    opened, found = selectors.administration_for_page(request, person_id, administration_id)
    return render(request, "medicines/administration.jinja", _context(opened, given=found, Outcome=Outcome))


@permission("give_depot")
def administration_entered_in_error(request, person_id, administration_id):
    opened, found = selectors.administration_for_page(request, person_id, administration_id)
    if found.entered_in_error is not None:
        messages.info(request, "This was already marked as entered in error")
        return redirect("medicines:administration", opened.person.pk, found.pk)
    form = forms.EnteredInErrorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.administration_entered_in_error(
                by=opened.actor, administration=found, reason=form.cleaned_data["reason"]
            )
        except services.AlreadyEnteredInError:
            messages.info(request, "This was already marked as entered in error")
        else:
            messages.success(request, "Marked as entered in error. It is kept, crossed out.")
        return redirect("medicines:administration", opened.person.pk, found.pk)
    thing = f"{found.prescription.drug} on {timezone.localtime(found.at):%-d %B %Y at %H:%M}"
    return render(request, "medicines/entered_in_error.jinja", _context(opened, form=form, thing=thing))


def _parse_day(value, default):
    from datetime import date

    try:
        day = date.fromisoformat(value) if value else default
    except ValueError:
        return default
    return day if date(1900, 1, 8) <= day <= date(9999, 12, 24) else default


def depot_clinic(request):
    team = chosen_team(request)
    today = timezone.localdate()
    day = _parse_day(request.GET.get("date"), today)
    clinic = selectors.clinic_for(team, day, visible_to=request.user)
    with transaction.atomic():
        audit.write(
            actor_for(request, Basis.TEAM),
            action=Action.VIEW,
            record_type=RecordType.DEPOT_CLINIC,
            record_id=team.pk,
        )
    return render(
        request,
        "medicines/clinic.jinja",
        {
            "team": team,
            "teams": user_teams(request.user),
            "day": day,
            "today": today,
            "previous_day": day - timedelta(days=1),
            "next_day": day + timedelta(days=1),
            **clinic,
        },
    )


# --- Physical health ---


@permission("record_physical_health")
@once
def new_check(request, person_id):
    opened = open_record(request, person_id, record_type=RecordType.PHYSICAL_HEALTH_CHECK)
    form = forms.CheckForm(
        request.POST or None,
        initial={
            "checked_on": timezone.localdate(),
            "south_asian_or_chinese": forms.default_south_asian_or_chinese(opened.person),
        },
    )
    if request.method == "POST" and form.is_valid():
        check = services.record_check(
            by=opened.actor,
            person=opened.person,
            checked_on=form.cleaned_data["checked_on"],
            values=form.measurements(),
            south_asian_or_chinese=form.cleaned_data["south_asian_or_chinese"],
            comments=form.cleaned_data["comments"],
        )
        flagged = check.flags.count()
        messages.success(
            request,
            "Physical health check recorded"
            + (f": {flagged} result{'s' if flagged > 1 else ''} to act on" if flagged else ""),
        )
        return redirect("medicines:check", opened.person.pk, check.pk)
    return render(
        request, "medicines/check_form.jinja", _context(opened, form=form, rows=form.element_rows())
    )


def check(request, person_id, check_id):
    opened, found = selectors.check_for_page(request, person_id, check_id)
    return render(request, "medicines/check.jinja", _context(opened, check=found))


@permission("record_physical_health")
def check_entered_in_error(request, person_id, check_id):
    opened, found = selectors.check_for_page(request, person_id, check_id)
    if found.entered_in_error is not None:
        messages.info(request, "This was already marked as entered in error")
        return redirect("medicines:check", opened.person.pk, found.pk)
    form = forms.EnteredInErrorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.check_entered_in_error(by=opened.actor, check=found, reason=form.cleaned_data["reason"])
        except services.AlreadyEnteredInError:
            messages.info(request, "This was already marked as entered in error")
        else:
            messages.success(request, "Marked as entered in error. It is kept, crossed out.")
        return redirect("medicines:check", opened.person.pk, found.pk)
    thing = f"the physical health check of {found.checked_on:%-d %B %Y}"
    return render(request, "medicines/entered_in_error.jinja", _context(opened, form=form, thing=thing))


@permission("record_physical_health")
@once
def flag_action(request, person_id, check_id, flag_id):
    opened, flag = selectors.flag_for_page(request, person_id, check_id, flag_id)
    form = forms.FlagActionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.record_flag_action(
            by=opened.actor,
            flag=flag,
            intervention=form.cleaned_data["intervention"],
            detail=form.cleaned_data["detail"],
        )
        messages.success(request, "Action recorded")
        return redirect("medicines:check", opened.person.pk, flag.check_record_id)
    return render(request, "medicines/flag_action.jinja", _context(opened, form=form, flag=flag))


def trends(request, person_id):
    opened = open_record(request, person_id, record_type=RecordType.PHYSICAL_HEALTH_CHECK)
    found = selectors.trends_of(opened.person)
    charts = presenters.trend_charts(
        found, south_asian_or_chinese=forms.default_south_asian_or_chinese(opened.person)
    )
    return render(request, "medicines/trends.jinja", _context(opened, charts=charts))


@permission("record_physical_health")
@once
def new_brief_intervention(request, person_id):
    opened = open_record(request, person_id, record_type=RecordType.BRIEF_INTERVENTION)
    form = forms.BriefInterventionForm(
        request.POST or None,
        contacts=selectors.contact_choices(opened.person),
        initial={"given_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        services.record_brief_intervention(by=opened.actor, person=opened.person, data=form.values())
        messages.success(request, "Brief intervention recorded")
        return _tab(opened.person)
    return render(request, "medicines/brief_intervention_form.jinja", _context(opened, form=form))


@permission("record_physical_health")
def brief_intervention_entered_in_error(request, person_id, brief_intervention_id):
    opened, found = selectors.brief_intervention_for_page(request, person_id, brief_intervention_id)
    if found.entered_in_error is not None:
        messages.info(request, "This was already marked as entered in error")
        return _tab(opened.person)
    form = forms.EnteredInErrorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.brief_intervention_entered_in_error(
                by=opened.actor, intervention=found, reason=form.cleaned_data["reason"]
            )
        except services.AlreadyEnteredInError:
            messages.info(request, "This was already marked as entered in error")
        else:
            messages.success(request, "Marked as entered in error. It is kept, crossed out.")
        return _tab(opened.person)
    thing = f"The brief intervention on {found.get_topic_display().lower()} of {found.given_on:%-d %B %Y}"
    return render(request, "medicines/entered_in_error.jinja", _context(opened, form=form, thing=thing))


def team_figures(request):
    team = chosen_team(request)
    today = timezone.localdate()
    figures = selectors.team_figures(team, today)
    with transaction.atomic():
        audit.write(
            actor_for(request, Basis.TEAM),
            action=Action.VIEW,
            record_type=RecordType.PHYSICAL_HEALTH_FIGURES,
            record_id=team.pk,
        )
    return render(
        request,
        "medicines/team_figures.jinja",
        {"team": team, "teams": user_teams(request.user), "figures": figures, "today": today},
    )
