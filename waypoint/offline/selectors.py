"""The visit day: the signed-in worker's own appointments today, and for each person only what a
home visit needs (alerts, the banner items, the agreed crisis and safety plans, the next depot).

Who is included is decided by the one access API: an appointment is in the day only when the
worker is one of its staff AND `access.policy.bases_for` gives them a basis for the person now.
Nobody else is ever put in the payload, so nobody else can reach the phone.
"""

import re
from dataclasses import dataclass

from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags

from waypoint.access.policy import Access, bases_for
from waypoint.contacts.models import Activity, Appointment, Attendance, Contact
from waypoint.medicines.selectors import depot_statuses_for
from waypoint.patients.models import Alert
from waypoint.patients.nhs_number import format_nhs_number
from waypoint.patients.record_sections import banner_items
from waypoint.plans.models import PlanKind, PlanRevision, RevisionStatus
from waypoint.plans.sections import sections_for

PLAN_KINDS = (PlanKind.CRISIS, PlanKind.SAFETY)
LINK = re.compile(r"<a\b[^>]*>.*?</a>", re.DOTALL)


@dataclass(frozen=True)
class Visit:
    appointment: Appointment
    access: Access


def visits_today(user, today=None) -> list[Visit]:
    """The worker's appointments today, for the people they may see now (three queries, and one
    per relationship provider). An appointment for anyone else is left out, not shown as hidden."""
    today = today or timezone.localdate()
    appointments = list(
        Appointment.objects.filter(staff=user, date=today)
        .select_related("person", "team")
        .prefetch_related(
            Prefetch(
                "contacts",
                queryset=Contact.objects.filter(is_current=True).select_related("recorded_by"),
            )
        )
        .order_by("start_time", "pk")
    )
    bases = bases_for(user, {a.person_id for a in appointments})
    return [Visit(a, bases[a.person_id]) for a in appointments if a.person_id in bases]


def _text(html: str) -> str:
    """A banner item as one line of plain text: links (to pages that need a signal) dropped."""
    text = strip_tags(LINK.sub("", html))
    return re.sub(r"\s+", " ", text).strip().rstrip("–").strip()


def _banner(person, user) -> list[str]:
    return [
        _text(render_to_string(template, {"item": item, "person": person}))
        for template, item in banner_items(person, user)
    ]


def _plans(person_ids) -> dict[int, list[dict]]:
    """The agreed crisis and safety plans of these people (one query), as sections of text."""
    found: dict[int, list[dict]] = {}
    revisions = (
        PlanRevision.objects.filter(
            plan__person_id__in=person_ids, plan__kind__in=PLAN_KINDS, status=RevisionStatus.AGREED
        )
        .select_related("plan")
        .order_by("plan__kind")
    )
    for revision in revisions:
        kind = revision.plan.kind
        sections = [
            {"label": section.label, "text": str(revision.content.get(section.key) or "").strip()}
            for section in sections_for(kind)
        ]
        found.setdefault(revision.plan.person_id, []).append(
            {
                "kind": kind,
                "title": PlanKind(kind).label,
                "agreed_on": _date(revision.agreed_on),
                "review_on": _date(revision.review_on),
                "sections": [s for s in sections if s["text"]],
            }
        )
    return found


def _date(value) -> str:
    return f"{value:%-d %B %Y}" if value else ""


def _depots(person_ids, today) -> dict[int, dict]:
    """Each person's next depot: the soonest due of their current depots (a fixed number of queries)."""
    found: dict[int, dict] = {}
    for status in sorted(depot_statuses_for(person_ids, today), key=lambda s: s.next_due):
        person_id = status.depot.person_id
        if person_id in found:
            continue
        found[person_id] = {
            "drug": status.depot.drug,
            "dose": status.depot.dose_text,
            "route": status.depot.route,
            "next_due": _date(status.next_due),
            "window": f"{status.window_from:%-d %B} to {status.window_to:%-d %B %Y}",
            "last_given": _date(status.last_given_on),
            "late": status.late,
            "due_today": status.window_from <= today <= status.window_to,
            "last_not_given": status.last_not_given,
        }
    return found


def _recorded(appointment) -> dict | None:
    contact = appointment.current_contact()
    if contact is None:
        return None
    return {
        "attendance": contact.get_attendance_display(),
        "by": contact.recorded_by.display_name,
        "at": f"{timezone.localtime(contact.recorded_at):%H:%M}",
    }


def visit_day(user, visits: list[Visit], today=None) -> dict:
    """Everything the page (and, encrypted, the phone) holds for the day, as plain JSON values."""
    today = today or timezone.localdate()
    person_ids = sorted({v.appointment.person_id for v in visits})
    alerts: dict[int, list[dict]] = {}
    for alert in Alert.objects.filter(person_id__in=person_ids, ended_at__isnull=True).order_by(
        "-created_at"
    ):
        alerts.setdefault(alert.person_id, []).append(
            {"category": alert.get_category_display(), "summary": alert.summary}
        )
    plans = _plans(person_ids) if person_ids else {}
    depots = _depots(person_ids, today) if person_ids else {}
    rows = []
    for visit in visits:
        appointment, person = visit.appointment, visit.appointment.person
        rows.append(
            {
                "appointment_id": appointment.pk,
                "time": f"{appointment.start_time:%H:%M}",
                "minutes": appointment.expected_minutes,
                "purpose": appointment.purpose,
                "where": appointment.get_location_type_display(),
                "how": appointment.get_mechanism_display(),
                "team": appointment.team.name,
                "recorded": _recorded(appointment),
                "record_url": reverse("contacts:record_appointment", args=[person.pk, appointment.pk]),
                "person": {
                    "id": person.pk,
                    "name": person.full_name,
                    "nhs_number": format_nhs_number(person.nhs_number),
                    "date_of_birth": _date(person.date_of_birth),
                    "address": ", ".join(p for p in (person.address, person.postcode) if p),
                    "phone": person.phone,
                },
                "alerts": alerts.get(person.pk, []),
                "banner": _banner(person, user),
                "plans": plans.get(person.pk, []),
                "depot": depots.get(person.pk),
            }
        )
    return {
        "day": today.isoformat(),
        "day_label": f"{today:%A %-d %B %Y}",
        "generated_at": timezone.localtime().isoformat(timespec="seconds"),
        "generated_label": f"{timezone.localtime():%H:%M}",
        "worker": user.display_name,
        "visits": rows,
        "choices": {
            "attendance": [[code, label] for code, label in Attendance.choices],
            "activities": [[code, label] for code, label in Activity.choices],
        },
    }
