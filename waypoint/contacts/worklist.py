"""What is due from engagement monitoring: people not seen for too long, and the next disengagement step."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from waypoint.worklist.registry import DueItem, Severity

from .engagement import engagement_for
from .selectors import has_passed, open_appointments_for

NOT_WRITTEN_UP = "appointment_not_written_up"


def engagement_items(person_ids, today):
    """One 'No contact' item and one 'Disengagement' item per disengaged person (fixed queries)."""
    items = []
    for pk, one in engagement_for(person_ids, today).items():
        if not one.disengaged:
            continue
        url = reverse("contacts:engagement", args=[pk])
        if one.interval_passed:
            items.append(
                DueItem(
                    pk,
                    "no_contact",
                    f"No contact for {one.days_since_face_to_face} days",
                    one.last_face_to_face + timedelta(days=one.every_days),
                    Severity.OVERDUE,
                    url,
                )
            )
        step = one.next_step
        what = (
            f"Disengagement: next step — {step.title.lower()}"
            if step
            else "Disengagement: every step of the procedure taken — agree a plan at MDT"
        )
        items.append(
            DueItem(
                pk,
                "disengagement",
                what,
                None,
                Severity.OVERDUE,
                reverse("contacts:record_step", args=[pk]) if step else url,
            )
        )
    return items


def appointments_not_written_up(person_ids, today):
    """An appointment whose time has passed (its start plus its expected length) with nothing
    recorded is overdue: "Appointment on 1 December not written up" (one shared query)."""
    now = timezone.localtime()
    items = []
    for person_id, appointments in open_appointments_for(person_ids, today).items():
        for appointment in appointments:
            if appointment.written_up or appointment.date > today:
                continue
            if appointment.date == today and not has_passed(appointment, now):
                continue
            items.append(
                DueItem(
                    person_id,
                    NOT_WRITTEN_UP,
                    f"Appointment on {appointment.date:%-d %B} at {appointment.start_time:%H:%M} not written up",
                    appointment.date,
                    Severity.OVERDUE,
                    reverse("contacts:record_appointment", args=[person_id, appointment.pk]),
                )
            )
    return items
