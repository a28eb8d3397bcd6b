"""Diary, clinic list, contacts, indirect activity and engagement pages. Thin views.

Person pages fetch the person through the access policy (404 without a relationship, audited);
pages with a record id fetch the record, then its person, and check it is the person in the URL.
"""

from datetime import date, timedelta

from django.contrib import messages
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone

from waypoint.access.policy import actor_for, open_record
from waypoint.accounts.models import RoleCode
from waypoint.accounts.permissions import Do, permission
from waypoint.accounts.teams import chosen_team, user_teams
from waypoint.audit import services as audit
from waypoint.audit.models import Action, Basis, RecordType
from waypoint.core.submissions import once

from . import selectors, services
from .engagement import engagement_for, frequency_label, procedure_for_teams
from .forms import (
    AppointmentForm,
    CodedInterventionForm,
    ContactForm,
    CorrectionForm,
    EnteredInErrorForm,
    FrequencyForm,
    IndirectActivityForm,
    ProcedureForm,
    StepTakenForm,
)
from .models import Appointment, Attendance, CodedIntervention, Contact, IndirectActivity
from .registry import contact_form_parts, diary_entries_for

NO_LONGER_CURRENT = (
    "Someone else corrected this contact, or marked it as entered in error, after you opened this page. "
    "Your changes have not been saved: they are still below. Open the contact again to see the latest entry."
)


def _parse_day(value, default):
    """A day from the query string; anything unreadable, or so far away that the week or the
    next day could not be worked out, falls back to the default."""
    try:
        day = date.fromisoformat(value) if value else default
    except ValueError:
        return default
    return day if date(1900, 1, 8) <= day <= date(9999, 12, 24) else default


def _record_context(opened, **extra):
    return {"person": opened.person, "alerts": opened.alerts, **extra}


def _staff_choices(request):
    return selectors.staff_of_teams(request.user.current_team_ids())


def _form_parts(request):
    """Other modules' parts of the contact form (brief interventions), each (part, form)."""
    data = request.POST if request.method == "POST" else None
    built = [(part, part.form(data, user=request.user)) for part in contact_form_parts()]
    return [(part, form) for part, form in built if form is not None]


def _parts_valid(parts, form) -> bool:
    """Every part is valid (validated even when the contact form is not, so every error shows)."""
    results = [part_form.is_valid() for _, part_form in parts] + [form.is_valid()]
    return all(results)


def _saving_parts(request, opened, parts, data):
    """What `services.record_contact` runs for the parts: only for an attended contact."""
    if data.get("attendance") != Attendance.ATTENDED:
        return []
    return [
        lambda contact, part=part, part_form=part_form: part.save(
            by=opened.actor, person=opened.person, contact=contact, form=part_form
        )
        for part, part_form in parts
    ]


# --- Diary and clinic list (team pages, audited as one row each) ---


def my_diary(request):
    today = timezone.localdate()
    monday = selectors.monday_of(_parse_day(request.GET.get("week"), today))
    appointments = selectors.week_for_staff(request.user, monday)
    # Other modules' work on these days (the depot injections this nurse gives): registry.
    entries = diary_entries_for(request.user, monday, monday + timedelta(days=6), today)
    visible = selectors.visible_person_ids(
        request.user, [a.person_id for a in appointments] + [e.person_id for e in entries]
    )
    entries = [e for e in entries if e.person_id in visible]  # nobody the user may not see
    # Staff safety alerts beside each appointment, only for the people the user may still see.
    safety = selectors.staff_safety_alerts_for(visible)
    now = timezone.localtime()
    unwritten = {a.pk for a in appointments if selectors.not_written_up(a, now)}
    with transaction.atomic():
        audit.write(
            actor_for(request, Basis.TEAM),
            action=Action.VIEW,
            record_type=RecordType.DIARY,
            record_id=request.user.pk,
        )
    days = []
    for offset in range(7):
        day = monday + timedelta(days=offset)
        days.append((day, [a for a in appointments if a.date == day], [e for e in entries if e.day == day]))
    return render(
        request,
        "contacts/diary.jinja",
        {
            "monday": monday,
            "sunday": monday + timedelta(days=6),
            "previous_week": monday - timedelta(days=7),
            "next_week": monday + timedelta(days=7),
            "this_week": selectors.monday_of(today),
            "today": today,
            "days": days,
            "visible": visible,
            "safety": safety,
            "unwritten": unwritten,
            "count": len(appointments),
            "entry_count": len(entries),
        },
    )


def clinic_list(request):
    team = chosen_team(request)
    today = timezone.localdate()
    day = _parse_day(request.GET.get("date"), today)
    appointments = selectors.clinic_list(team, day)
    visible = selectors.visible_person_ids(request.user, [a.person_id for a in appointments])
    with transaction.atomic():
        audit.write(
            actor_for(request, Basis.TEAM),
            action=Action.VIEW,
            record_type=RecordType.TEAM_CLINIC,
            record_id=team.pk,
        )
    return render(
        request,
        "contacts/clinic.jinja",
        {
            "team": team,
            "teams": user_teams(request.user),
            "day": day,
            "today": today,
            "previous_day": day - timedelta(days=1),
            "next_day": day + timedelta(days=1),
            "appointments": appointments,
            "visible": visible,
        },
    )


# --- Appointments ---


@once
@permission(Do.BOOK_APPOINTMENT)
def book_appointment(request, person_id):
    opened = open_record(request, person_id)
    person = opened.person
    form = AppointmentForm(
        request.POST or None,
        teams=user_teams(request.user),
        primary_team=request.user.primary_team(),
        staff=_staff_choices(request),
        initial={"staff": [request.user.pk], "expected_minutes": 60},
        staff_safety_alerts=selectors.staff_safety_alerts_for([person.pk]).get(person.pk, []),
    )
    if request.method == "POST" and form.is_valid():
        appointment = services.book_appointment(by=opened.actor, person=person, data=form.appointment_data())
        messages.success(
            request,
            f"Appointment booked for {appointment.date:%A %-d %B %Y} at {appointment.start_time:%H:%M}",
        )
        return redirect("patients:detail", person.pk)
    return render(request, "contacts/appointment_form.jinja", _record_context(opened, form=form))


@permission(Do.RECORD_CONTACT)
def record_appointment(request, person_id, appointment_id):
    opened = open_record(
        request, person_id, model=Appointment, record_id=appointment_id, record_type=RecordType.APPOINTMENT
    )
    person = opened.person
    appointment = selectors.appointment_by_id(appointment_id)
    existing = appointment.current_contact()
    if existing:
        messages.info(
            request,
            "What happened at this appointment has already been recorded. Correct it here if it is wrong.",
        )
        return redirect("contacts:contact", person.pk, existing.pk)
    form = ContactForm(
        request.POST or None,
        teams=user_teams(request.user),
        primary_team=request.user.primary_team(),
        staff=_staff_choices(request),
        initial=ContactForm.initial_from_appointment(appointment),
    )
    parts = _form_parts(request)
    if request.method == "POST" and _parts_valid(parts, form):
        data = form.contact_data()
        try:
            contact = services.record_contact(
                by=opened.actor,
                person=person,
                data=data,
                appointment=appointment,
                also=_saving_parts(request, opened, parts, data),
            )
        except services.AlreadyRecorded:
            # Keep what was typed on the page: it may belong in a correction of their entry.
            form.add_error(
                None,
                "Someone else recorded this appointment first, so what you typed was not saved: it is "
                "still below. If their entry is wrong, open it from the person's contacts and correct it.",
            )
            return render(
                request,
                "contacts/contact_form.jinja",
                _record_context(opened, form=form, parts=parts, appointment=appointment, mode="appointment"),
            )
        if contact.attendance == Attendance.ATTENDED:
            # The confirmation is the contact's page, which offers "Write a note about this contact".
            messages.success(request, "Contact recorded. You can now write a note about it.")
            return redirect("contacts:contact", person.pk, contact.pk)
        return _after_contact(request, person, contact)
    return render(
        request,
        "contacts/contact_form.jinja",
        _record_context(opened, form=form, parts=parts, appointment=appointment, mode="appointment"),
    )


@once
@permission(Do.RECORD_CONTACT)
def record_contact(request, person_id):
    opened = open_record(request, person_id)
    person = opened.person
    now = timezone.localtime()
    form = ContactForm(
        request.POST or None,
        teams=user_teams(request.user),
        primary_team=request.user.primary_team(),
        staff=_staff_choices(request),
        initial={"date": now.date(), "start_time": now.strftime("%H:%M"), "staff": [request.user.pk]},
    )
    parts = _form_parts(request)
    if request.method == "POST" and _parts_valid(parts, form):
        data = form.contact_data()
        contact = services.record_contact(
            by=opened.actor, person=person, data=data, also=_saving_parts(request, opened, parts, data)
        )
        return _after_contact(request, person, contact)
    return render(
        request,
        "contacts/contact_form.jinja",
        _record_context(opened, form=form, parts=parts, mode="unplanned"),
    )


def _after_contact(request, person, contact):
    if contact.attendance == Attendance.ATTENDED:
        messages.success(request, "Contact recorded")
    else:
        messages.success(request, f"Contact recorded: {contact.get_attendance_display().lower()}")
    return redirect("patients:detail", person.pk)


# --- Contacts ---


def contacts(request, person_id):
    opened = open_record(request, person_id, record_type=RecordType.CONTACT)
    person = opened.person
    return render(
        request,
        "contacts/contacts.jinja",
        _record_context(
            opened,
            contacts=selectors.contacts_of(person),
            indirect=selectors.indirect_activities_of(person),
            interventions=selectors.coded_interventions_for(person.pk),
        ),
    )


def contact(request, person_id, contact_id):
    from waypoint.notes import selectors as note_selectors

    opened = open_record(
        request, person_id, model=Contact, record_id=contact_id, record_type=RecordType.CONTACT
    )
    found = selectors.contact_by_id(contact_id)
    shown = [(part.page_template, part.loader(found)) for part in contact_form_parts() if part.loader]
    return render(
        request,
        "contacts/contact.jinja",
        _record_context(
            opened,
            contact=found,
            notes=note_selectors.notes_about_contact(found, request.user),
            parts_shown=shown,
        ),
    )


@permission(Do.RECORD_CONTACT)
def correct_contact(request, person_id, contact_id):
    opened = open_record(
        request, person_id, model=Contact, record_id=contact_id, record_type=RecordType.CONTACT
    )
    person = opened.person
    found = selectors.contact_by_id(contact_id)
    if not found.is_current and request.method != "POST":
        messages.info(request, "This contact has already been corrected or marked as entered in error")
        return redirect("contacts:contact", person.pk, found.pk)
    form = CorrectionForm(
        request.POST or None,
        teams=user_teams(request.user),
        primary_team=request.user.primary_team(),
        staff=_staff_choices(request),
        initial=ContactForm.initial_from_contact(found),
    )
    if request.method == "POST" and form.is_valid():
        try:
            correction = services.correct_contact(
                by=opened.actor,
                contact=found,
                data=form.contact_data(),
                reason=form.cleaned_data["reason"],
            )
        except services.NoLongerCurrent:
            form.add_error(None, NO_LONGER_CURRENT)
        else:
            messages.success(request, "Correction recorded. The original entry is kept.")
            return redirect("contacts:contact", person.pk, correction.pk)
    return render(
        request,
        "contacts/contact_form.jinja",
        _record_context(opened, form=form, original=found, mode="correct"),
    )


@permission(Do.RECORD_CONTACT)
def contact_entered_in_error(request, person_id, contact_id):
    opened = open_record(
        request, person_id, model=Contact, record_id=contact_id, record_type=RecordType.CONTACT
    )
    person = opened.person
    found = selectors.contact_by_id(contact_id)
    if not found.is_current and request.method != "POST":
        messages.info(request, "This contact has already been corrected or marked as entered in error")
        return redirect("contacts:contact", person.pk, found.pk)
    form = EnteredInErrorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.mark_contact_entered_in_error(
                by=opened.actor,
                contact=found,
                reason=form.cleaned_data["reason"],
            )
        except services.NoLongerCurrent:
            form.add_error(None, NO_LONGER_CURRENT)
        else:
            messages.success(request, "Contact marked as entered in error. It is kept, crossed out.")
            return redirect("contacts:contacts", person.pk)
    return render(
        request, "contacts/entered_in_error.jinja", _record_context(opened, form=form, contact=found)
    )


@permission(Do.RECORD_CONTACT)
def record_indirect_activity(request, person_id):
    opened = open_record(request, person_id)
    person = opened.person
    form = IndirectActivityForm(
        request.POST or None,
        teams=user_teams(request.user),
        primary_team=request.user.primary_team(),
        initial={"date": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        services.record_indirect_activity(by=opened.actor, person=person, data=form.cleaned_data)
        messages.success(request, "Indirect activity recorded")
        return redirect("contacts:contacts", person.pk)
    return render(request, "contacts/indirect_form.jinja", _record_context(opened, form=form))


@permission(Do.RECORD_CONTACT)
def indirect_entered_in_error(request, person_id, indirect_activity_id):
    opened = open_record(
        request,
        person_id,
        model=IndirectActivity,
        record_id=indirect_activity_id,
        record_type=RecordType.INDIRECT_ACTIVITY,
    )
    person = opened.person
    found = selectors.indirect_activity_by_id(indirect_activity_id)
    if found.entered_in_error and request.method != "POST":
        messages.info(request, "This indirect activity has already been marked as entered in error")
        return redirect("contacts:contacts", person.pk)
    form = EnteredInErrorForm(request.POST or None)
    form.fields["reason"].label = "Why this indirect activity was entered in error"
    if request.method == "POST" and form.is_valid():
        try:
            services.mark_indirect_activity_entered_in_error(
                by=opened.actor,
                activity=found,
                reason=form.cleaned_data["reason"],
            )
        except services.NoLongerCurrent:
            form.add_error(None, "Someone else has already marked this entry as entered in error.")
        else:
            messages.success(
                request, "Indirect activity marked as entered in error. It is kept, crossed out."
            )
            return redirect("contacts:contacts", person.pk)
    return render(
        request,
        "contacts/indirect_entered_in_error.jinja",
        _record_context(opened, form=form, activity=found),
    )


# --- Engagement ---


def engagement(request, person_id):
    opened = open_record(request, person_id, record_type=RecordType.ENGAGEMENT)
    person = opened.person
    return render(
        request,
        "contacts/engagement.jinja",
        _record_context(
            opened,
            engagement=engagement_for([person.pk])[person.pk],
            frequencies=selectors.frequency_history(person),
            steps_taken=selectors.steps_taken_of(person),
            frequency_label=frequency_label,
        ),
    )


@permission(Do.RECORD_CONTACT)
def set_frequency(request, person_id):
    opened = open_record(request, person_id, record_type=RecordType.ENGAGEMENT)
    person = opened.person
    current = engagement_for([person.pk])[person.pk]
    form = FrequencyForm(
        request.POST or None,
        teams=user_teams(request.user),
        primary_team=request.user.primary_team(),
        initial={"every_days": current.every_days, "team": current.team_id},
    )
    if request.method == "POST" and form.is_valid():
        services.set_contact_frequency(
            by=opened.actor,
            person=person,
            team=form.cleaned_data["team"],
            every_days=form.cleaned_data["every_days"],
        )
        messages.success(
            request,
            f"Expected contact frequency set: {frequency_label(form.cleaned_data['every_days']).lower()}",
        )
        return redirect("contacts:engagement", person.pk)
    return render(
        request, "contacts/frequency_form.jinja", _record_context(opened, form=form, engagement=current)
    )


@permission(Do.RECORD_CONTACT)
def record_step(request, person_id):
    opened = open_record(request, person_id, record_type=RecordType.ENGAGEMENT)
    person = opened.person
    current = engagement_for([person.pk])[person.pk]
    next_step = current.next_step
    form = StepTakenForm(
        request.POST or None,
        procedure=current.procedure,
        initial={"step": next_step.number if next_step else None, "taken_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        team_id = current.team_id or (request.user.current_team_ids() or [None])[0]
        if team_id is None:
            raise Http404("You are not a member of a team")
        services.record_disengagement_step(
            by=opened.actor,
            person=person,
            team=team_id,
            step=form.procedure[form.cleaned_data["step"]],
            taken_on=form.cleaned_data["taken_on"],
            outcome=form.cleaned_data["outcome"],
        )
        messages.success(request, "Step recorded")
        return redirect("contacts:engagement", person.pk)
    return render(request, "contacts/step_form.jinja", _record_context(opened, form=form, engagement=current))


@permission(Do.SET_DISENGAGEMENT_PROCEDURE)
def procedure(request):
    """A team's disengagement procedure: every member sees it; the team manager changes it."""
    team = chosen_team(request)
    steps = procedure_for_teams([team.pk])[team.pk]
    may_change = request.user.has_role(RoleCode.TEAM_MANAGER)
    if request.method == "POST" and not may_change:
        raise Http404("Only a team manager can change the procedure")
    form = ProcedureForm(request.POST or None, initial={"steps": "\n".join(step.title for step in steps)})
    if may_change and request.method == "POST" and form.is_valid():
        services.set_disengagement_procedure(
            by=actor_for(request, Basis.TEAM), team=team, titles=form.cleaned_data["steps"]
        )
        messages.success(request, "Disengagement procedure saved")
        return redirect(f"{request.path}?team={team.pk}")
    return render(
        request,
        "contacts/procedure.jinja",
        {
            "team": team,
            "teams": user_teams(request.user),
            "steps": steps,
            "is_default": not selectors.team_has_procedure(team),
            "form": form if may_change else None,
        },
    )


# --- Coded interventions (MHSDS MHS202 care activity; part 4 of the 4-week clock) ---


@permission(Do.RECORD_CONTACT)
def record_coded_intervention(request, person_id):
    opened = open_record(request, person_id)
    person = opened.person
    contacts = selectors.attended_contacts_for_choice(person)
    initial: dict = {"date": timezone.localdate()}
    chosen = next((c for c in contacts if str(c.pk) == request.GET.get("contact", "")), None)
    if chosen is not None:  # from a contact's page: the contact and its date and team
        initial.update(contact=chosen.pk, date=chosen.date, team=chosen.team_id)
    form = CodedInterventionForm(
        request.POST or None, teams=user_teams(request.user), contacts=contacts, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        services.record_coded_intervention(by=opened.actor, person=person, data=form.cleaned_data)
        messages.success(request, "Coded intervention recorded")
        return redirect("contacts:contacts", person.pk)
    return render(request, "contacts/coded_intervention_form.jinja", _record_context(opened, form=form))


@permission(Do.RECORD_CONTACT)
def coded_intervention_entered_in_error(request, person_id, coded_intervention_id):
    opened = open_record(
        request,
        person_id,
        model=CodedIntervention,
        record_id=coded_intervention_id,
        record_type=RecordType.CODED_INTERVENTION,
    )
    person = opened.person
    found = opened.record
    if found.entered_in_error and request.method != "POST":
        messages.info(request, "This coded intervention has already been marked as entered in error")
        return redirect("contacts:contacts", person.pk)
    form = EnteredInErrorForm(request.POST or None)
    form.fields["reason"].label = "Why this coded intervention was entered in error"
    if request.method == "POST" and form.is_valid():
        try:
            services.mark_coded_intervention_entered_in_error(
                by=opened.actor, intervention=found, reason=form.cleaned_data["reason"]
            )
        except services.NoLongerCurrent:
            form.add_error(None, "Someone else has already marked this entry as entered in error.")
        else:
            messages.success(
                request, "Coded intervention marked as entered in error. It is kept, crossed out."
            )
            return redirect("contacts:contacts", person.pk)
    return render(
        request,
        "contacts/coded_intervention_entered_in_error.jinja",
        _record_context(opened, form=form, intervention=found),
    )
