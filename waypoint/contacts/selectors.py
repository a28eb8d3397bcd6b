"""Reads for the diary, clinic list, contacts and engagement pages: fixed numbers of queries."""

from datetime import date, datetime, timedelta

from django.db.models import Exists, OuterRef, Prefetch, Q
from django.utils import timezone

from waypoint.accounts.models import Membership, User
from waypoint.core.memo import per_request
from waypoint.patients.models import Person
from waypoint.patients.selectors import current_alerts as alerts_of

from .models import (
    Appointment,
    Attendance,
    Contact,
    ContactFrequency,
    DisengagementStep,
    DisengagementStepTaken,
    IndirectActivity,
    LocationType,
)


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _appointments():
    return Appointment.objects.select_related("person", "team").prefetch_related(
        Prefetch("staff", queryset=User.objects.order_by("last_name", "first_name")),
        Prefetch("contacts", queryset=Contact.objects.filter(is_current=True)),
    )


def week_for_staff(user, monday: date) -> list[Appointment]:
    """The member of staff's appointments from Monday to Sunday (3 queries)."""
    return list(
        _appointments()
        .for_staff(user)
        .between(monday, monday + timedelta(days=6))
        .order_by("date", "start_time", "pk")
    )


def clinic_list(team, day: date) -> list[Appointment]:
    """The team's clinic appointments on one day (3 queries)."""
    return list(
        _appointments()
        .filter(team=team, date=day, location_type=LocationType.CLINIC)
        .order_by("start_time", "pk")
    )


def visible_person_ids(user, person_ids) -> set[int]:
    """Of these people, the ones the user may see now (one query): names of others are not shown."""
    ids = {pk for pk in person_ids if pk}
    if not ids:
        return set()
    return set(Person.objects.visible_to(user).filter(pk__in=ids).values_list("pk", flat=True))


def staff_safety_alerts_for(person_ids) -> dict[int, list[str]]:
    """{person id: the summaries of their current staff safety alerts ("Do not visit alone")}, one
    query. The diary shows them beside each appointment; booking a home visit checks them."""
    from waypoint.patients.models import Alert

    ids = sorted({pk for pk in person_ids if pk})
    found: dict[int, list[str]] = {}
    if not ids:
        return found
    for person_id, summary in (
        Alert.objects.filter(person_id__in=ids, ended_at__isnull=True, category=Alert.Category.STAFF_SAFETY)
        .order_by("-created_at", "-pk")
        .values_list("person_id", "summary")
    ):
        found.setdefault(person_id, []).append(summary)
    return found


def appointment_by_id(appointment_id):
    return _appointments().filter(pk=appointment_id).first()


def has_passed(appointment, now: datetime | None = None) -> bool:
    """The appointment's expected end (its start plus its expected length) has passed."""
    now = timezone.localtime(now)
    ends = datetime.combine(appointment.date, appointment.start_time) + timedelta(
        minutes=appointment.expected_minutes
    )
    return ends <= now.replace(tzinfo=None)


def not_written_up(appointment, now: datetime | None = None) -> bool:
    """Its time has passed and nobody recorded what happened (uses the prefetched contacts)."""
    return has_passed(appointment, now) and appointment.current_contact() is None


@per_request
def open_appointments_for(person_ids, today: date) -> dict[int, list[Appointment]]:
    """{person id: appointments from `today` on, and earlier ones nobody wrote up}, oldest first.

    One query, shared within a request by the overview's "next appointment" and the worklist's
    "appointment not written up" items, so the record overview pays for both once."""
    ids = sorted({pk for pk in person_ids if pk is not None})
    found: dict[int, list[Appointment]] = {pk: [] for pk in ids}
    if not ids:
        return found
    written_up = Contact.objects.filter(appointment=OuterRef("pk"), is_current=True)
    for appointment in (
        Appointment.objects.filter(person_id__in=ids)
        .filter(Q(date__gte=today) | ~Exists(written_up))
        .annotate(written_up=Exists(written_up))
        .order_by("date", "start_time", "pk")
    ):
        found[appointment.person_id].append(appointment)
    return found


def next_appointment_for(person, today: date) -> Appointment | None:
    return (
        Appointment.objects.filter(person=person, date__gte=today)
        .order_by("date", "start_time", "pk")
        .first()
    )


def upcoming_for(person, today: date, limit=3) -> list[Appointment]:
    return list(
        _appointments().filter(person=person, date__gte=today).order_by("date", "start_time", "pk")[:limit]
    )


def contacts_of(person) -> list[Contact]:
    """Every contact for the person, newest first, including corrected and entered-in-error ones."""
    return list(
        Contact.objects.filter(person=person)
        .select_related("recorded_by", "entered_in_error_by", "team", "appointment")
        .prefetch_related(
            Prefetch("staff", queryset=User.objects.order_by("last_name", "first_name")),
            Prefetch("corrections", queryset=Contact.objects.only("pk", "corrects_id", "recorded_at")),
        )
        .newest_first()
    )


def contact_by_id(contact_id):
    return (
        Contact.objects.filter(pk=contact_id)
        .select_related("person", "recorded_by", "entered_in_error_by", "team", "corrects")
        .prefetch_related("staff", "corrections")
        .first()
    )


def indirect_activities_of(person) -> list[IndirectActivity]:
    return list(
        IndirectActivity.objects.filter(person=person)
        .select_related("recorded_by", "entered_in_error_by")
        .order_by("-date", "-pk")
    )


def indirect_activity_by_id(indirect_activity_id):
    return IndirectActivity.objects.filter(pk=indirect_activity_id).select_related("recorded_by").first()


def frequency_history(person) -> list[ContactFrequency]:
    return list(
        ContactFrequency.objects.filter(person=person)
        .select_related("team", "set_by")
        .order_by("-set_at", "-pk")
    )


def steps_taken_of(person) -> list[DisengagementStepTaken]:
    return list(
        DisengagementStepTaken.objects.filter(person=person)
        .select_related("recorded_by")
        .order_by("-taken_on", "-pk")
    )


def current_alerts(person):
    return list(alerts_of(person))


def staff_of_teams(team_ids):
    """Current members of these teams, for the 'staff' choices."""
    member_ids = Membership.objects.current().filter(team_id__in=team_ids).values("user_id")
    return User.objects.filter(pk__in=member_ids, is_active=True).order_by("last_name", "first_name")


def team_has_procedure(team) -> bool:
    return DisengagementStep.objects.filter(team=team).exists()


def coded_interventions_for(person_id):
    """The person's coded interventions, newest first, with who recorded them (one query)."""
    from .models import CodedIntervention

    return list(
        CodedIntervention.objects.filter(person_id=person_id)
        .select_related("recorded_by", "team", "entered_in_error_by")
        .order_by("-date", "-pk")
    )


def attended_contacts_for_choice(person, limit=20):
    """The person's recent current attended contacts, newest first, to record an intervention at."""
    return list(
        Contact.objects.current()
        .filter(person=person, attendance=Attendance.ATTENDED)
        .order_by("-occurred_at", "-pk")[:limit]
    )
