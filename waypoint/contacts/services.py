"""Writes to the diary, contacts and engagement. Each operation is atomic, takes the acting user, and audits.

Audit rows carry field names only, never the purpose, summary, outcome or reasons typed.
"""

from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from waypoint.access.actor import Actor
from waypoint.accounts import permissions
from waypoint.accounts.permissions import Do
from waypoint.audit import services as audit
from waypoint.audit.models import Action, RecordType
from waypoint.core.forms import combine_local

from .interventions import TERMS
from .models import (
    Appointment,
    Attendance,
    CodedIntervention,
    Contact,
    ContactFrequency,
    DisengagementStep,
    DisengagementStepTaken,
    IndirectActivity,
    Mechanism,
)


class AlreadyRecorded(Exception):
    """The appointment already has a current contact: correct that one instead."""

    def __init__(self, contact):
        super().__init__(f"Appointment already recorded as contact {contact.pk}")
        self.contact = contact


class NoLongerCurrent(Exception):
    """The contact was corrected or marked entered in error after the form was opened."""


def _filled(data: dict) -> list[str]:
    return [name for name, value in data.items() if value not in (None, "", [], False)]


@transaction.atomic
def book_appointment(*, by: Actor, person, data: dict) -> Appointment:
    permissions.require(by, Do.BOOK_APPOINTMENT)
    user = by.user
    data = dict(data)
    staff = list(data.pop("staff"))
    appointment = Appointment.objects.create(person=person, booked_by=user, **data)
    appointment.staff.set(staff)
    audit.write(
        by,
        person=person,
        action=Action.CREATE,
        record_type=RecordType.APPOINTMENT,
        record_id=appointment.pk,
        fields_changed=[*_filled(data), "staff"],
    )
    return appointment


def _new_contact(*, by: Actor, person, data: dict, appointment=None, corrects=None, correction_reason=""):
    user = by.user
    data = dict(data)
    staff = list(data.pop("staff", []))
    start_time = data.pop("start_time")
    if data.get("attendance") != Attendance.ATTENDED:
        data["duration_minutes"] = None
    contact = Contact.objects.create(
        person=person,
        appointment=appointment,
        occurred_at=combine_local(data["date"], start_time),
        recorded_by=user,
        corrects=corrects,
        correction_reason=correction_reason,
        **data,
    )
    contact.staff.set(staff)
    return contact, [*_filled(data), "start_time", *(["staff"] if staff else [])]


@transaction.atomic
def record_contact(*, by: Actor, person, data: dict, appointment=None, also=()) -> Contact:
    """Record what happened: from an appointment (once) or unplanned. `also`: functions taking the
    new contact that other modules' parts of the contact form (`registry.ContactFormPart`) run to
    save what they add, in this same transaction, so the contact and they are saved together."""
    permissions.require(by, Do.RECORD_CONTACT)
    if appointment is not None:
        Appointment.objects.select_for_update().get(pk=appointment.pk)  # one recording at a time
        existing = appointment.contacts.filter(is_current=True).first()
        if existing:
            raise AlreadyRecorded(existing)
    contact, fields = _new_contact(by=by, person=person, data=data, appointment=appointment)
    audit.write(
        by,
        person=person,
        action=Action.CREATE,
        record_type=RecordType.CONTACT,
        record_id=contact.pk,
        fields_changed=fields,
    )
    if contact.attendance == Attendance.ATTENDED and contact.mechanism in CLOCK_MECHANISMS:
        _record_referral_contacts(by=by, contact=contact)
    for save in also:
        save(contact)
    return contact


# The contacts that can be a referral's first (or second) attended contact: NHS England's 4-week
# clock counts face to face, telephone and video (ConsMechanismMH 01, 02, 04, 11), not text messages
# (09; 4w_waits_prep.py). The referral's local "seen" clock follows the same rule.
CLOCK_MECHANISMS = frozenset({Mechanism.FACE_TO_FACE, Mechanism.TELEPHONE, Mechanism.VIDEO})


def _record_referral_contacts(*, by: Actor, contact):
    """An attended contact is the first (or second) attended contact of the person's open referrals
    to the contact's team received before it: the referral leaves the waiting list, its local clock
    stops, and the 4-week clock-stop gets its first part. Written through the referrals service,
    which audits each change, in this same transaction.

    "Received before it" compares dates, not times, as NHS England's clock does (a contact on the
    day the referral arrived counts, even earlier that day than the time it was received)."""
    from waypoint.referrals import services as referral_services
    from waypoint.referrals.models import Referral

    next_day = timezone.localtime(contact.occurred_at).date() + timedelta(days=1)
    referrals = Referral.objects.open().filter(
        person_id=contact.person_id,
        team_id=contact.team_id,
        received_at__lt=timezone.make_aware(datetime.combine(next_day, time.min)),
    )
    for referral in referrals:
        if referral.first_contact_attended_at is None:
            event = "first_contact_attended_at"
        elif (
            referral.second_contact_attended_at is None
            and referral.first_contact_attended_at < contact.occurred_at
        ):
            event = "second_contact_attended_at"
        else:
            continue
        referral_services.record_clock_event(
            by=by, referral=referral, event=event, moment=contact.occurred_at
        )


@transaction.atomic
def correct_contact(*, by: Actor, contact: Contact, data: dict, reason: str) -> Contact:
    """A correction is a new entry; the original is kept, no longer current, and points to it."""
    permissions.require(by, Do.RECORD_CONTACT)
    original = Contact.objects.select_for_update().get(pk=contact.pk)
    if not original.is_current:
        raise NoLongerCurrent()
    original.is_current = False
    original.save(update_fields=["is_current"])
    correction, fields = _new_contact(
        by=by,
        person=original.person,
        data=data,
        appointment=original.appointment,
        corrects=original,
        correction_reason=reason,
    )
    audit.write(
        by,
        person=original.person,
        action=Action.CREATE,
        record_type=RecordType.CONTACT,
        record_id=correction.pk,
        fields_changed=[*fields, "corrects", "correction_reason"],
    )
    audit.write(
        by,
        person=original.person,
        action=Action.UPDATE,
        record_type=RecordType.CONTACT,
        record_id=original.pk,
        fields_changed=["is_current"],
    )
    return correction


@transaction.atomic
def mark_contact_entered_in_error(*, by: Actor, contact: Contact, reason: str) -> Contact:
    """Keep the contact, with who said it was entered in error, when and why. It no longer counts."""
    permissions.require(by, Do.RECORD_CONTACT)
    user = by.user
    current = Contact.objects.select_for_update().get(pk=contact.pk)
    if not current.is_current:
        raise NoLongerCurrent()
    current.is_current = False
    current.entered_in_error_at = timezone.now()
    current.entered_in_error_by = user
    current.entered_in_error_reason = reason
    current.save(
        update_fields=["is_current", "entered_in_error_at", "entered_in_error_by", "entered_in_error_reason"]
    )
    audit.write(
        by,
        person=current.person,
        action=Action.ENTERED_IN_ERROR,
        record_type=RecordType.CONTACT,
        record_id=current.pk,
        fields_changed=["entered_in_error_reason"],
    )
    return current


@transaction.atomic
def record_indirect_activity(*, by: Actor, person, data: dict) -> IndirectActivity:
    permissions.require(by, Do.RECORD_CONTACT)
    user = by.user
    activity = IndirectActivity.objects.create(person=person, recorded_by=user, **data)
    audit.write(
        by,
        person=person,
        action=Action.CREATE,
        record_type=RecordType.INDIRECT_ACTIVITY,
        record_id=activity.pk,
        fields_changed=_filled(data),
    )
    return activity


@transaction.atomic
def mark_indirect_activity_entered_in_error(*, by: Actor, activity: IndirectActivity, reason: str):
    """Keep the entry, with who said it was entered in error, when and why."""
    permissions.require(by, Do.RECORD_CONTACT)
    user = by.user
    current = IndirectActivity.objects.select_for_update().get(pk=activity.pk)
    if current.entered_in_error:
        raise NoLongerCurrent()
    current.entered_in_error_at = timezone.now()
    current.entered_in_error_by = user
    current.entered_in_error_reason = reason
    current.save(update_fields=["entered_in_error_at", "entered_in_error_by", "entered_in_error_reason"])
    audit.write(
        by,
        person=current.person,
        action=Action.ENTERED_IN_ERROR,
        record_type=RecordType.INDIRECT_ACTIVITY,
        record_id=current.pk,
        fields_changed=["entered_in_error_reason"],
    )
    return current


@transaction.atomic
def set_contact_frequency(*, by: Actor, person, team, every_days: int) -> ContactFrequency:
    """A new row each time: the history of who expected what, and when, is kept."""
    permissions.require(by, Do.RECORD_CONTACT)
    user = by.user
    frequency = ContactFrequency.objects.create(person=person, team=team, every_days=every_days, set_by=user)
    audit.write(
        by,
        person=person,
        action=Action.UPDATE,
        record_type=RecordType.CONTACT_FREQUENCY,
        record_id=frequency.pk,
        fields_changed=["every_days", "team"],
    )
    return frequency


@transaction.atomic
def record_disengagement_step(
    *, by: Actor, person, team, step, taken_on, outcome: str
) -> DisengagementStepTaken:
    permissions.require(by, Do.RECORD_CONTACT)
    user = by.user
    taken = DisengagementStepTaken.objects.create(
        person=person,
        team_id=team.pk if hasattr(team, "pk") else team,
        step_number=step.number,
        step_title=step.title,
        taken_on=taken_on,
        outcome=outcome,
        recorded_by=user,
    )
    audit.write(
        by,
        person=person,
        action=Action.CREATE,
        record_type=RecordType.DISENGAGEMENT_STEP,
        record_id=taken.pk,
        fields_changed=["step_number", "taken_on", "outcome"],
    )
    return taken


@transaction.atomic
def set_disengagement_procedure(*, by: Actor, team, titles: list[str]) -> list[DisengagementStep]:
    """Replace a team's procedure (team settings, not a clinical record). Steps already taken keep
    the number and title they had when taken."""
    permissions.require(by, Do.SET_DISENGAGEMENT_PROCEDURE)
    existing = {step.number: step for step in DisengagementStep.objects.select_for_update().filter(team=team)}
    steps = []
    for number, title in enumerate(titles, start=1):
        step = existing.pop(number, None)
        if step is None:
            step = DisengagementStep.objects.create(team=team, number=number, title=title)
        elif step.title != title:
            step.title = title
            step.save(update_fields=["title"])
        steps.append(step)
    DisengagementStep.objects.filter(pk__in=[step.pk for step in existing.values()]).delete()
    audit.write(
        by,
        action=Action.UPDATE,
        record_type=RecordType.DISENGAGEMENT_PROCEDURE,
        record_id=team.pk,
        fields_changed=["steps"],
    )
    return steps


@transaction.atomic
def record_coded_intervention(*, by: Actor, person, data: dict) -> CodedIntervention:
    """A coded intervention delivered to the person (at a contact, if one is given). If it is the
    first, and earlier than any agreed care plan, it is part 4 of the 4-week clock-stop (read by
    measures/four_week.py and referrals/clock.py, nothing written to the referral)."""
    permissions.require(by, Do.RECORD_CONTACT)
    data = dict(data)
    code = data.pop("code")
    if code not in TERMS:
        raise ValueError(f"{code} is not a coded intervention Waypoint offers")
    contact = data.get("contact")
    if contact is not None and contact.person_id != person.pk:
        raise ValueError("The contact is not this person's")
    intervention = CodedIntervention.objects.create(
        person=person, recorded_by=by.user, code=code, term=TERMS[code], **data
    )
    audit.write(
        by,
        person=person,
        action=Action.CREATE,
        record_type=RecordType.CODED_INTERVENTION,
        record_id=intervention.pk,
        fields_changed=["code", *_filled(data)],
    )
    return intervention


@transaction.atomic
def mark_coded_intervention_entered_in_error(*, by: Actor, intervention: CodedIntervention, reason: str):
    """Keep the entry, with who said it was entered in error, when and why. It no longer counts."""
    permissions.require(by, Do.RECORD_CONTACT)
    current = CodedIntervention.objects.select_for_update().get(pk=intervention.pk)
    if current.entered_in_error:
        raise NoLongerCurrent()
    current.entered_in_error_at = timezone.now()
    current.entered_in_error_by = by.user
    current.entered_in_error_reason = reason
    current.save(update_fields=["entered_in_error_at", "entered_in_error_by", "entered_in_error_reason"])
    audit.write(
        by,
        person=current.person,
        action=Action.ENTERED_IN_ERROR,
        record_type=RecordType.CODED_INTERVENTION,
        record_id=current.pk,
        fields_changed=["entered_in_error_reason"],
    )
    return current
