"""Reads for duty pages: each a fixed number of queries whatever the number of rows."""

from dataclasses import dataclass
from datetime import date, timedelta
from types import SimpleNamespace

from django.utils import timezone

from waypoint.accounts.models import Membership, RoleCode, User
from waypoint.clocks.working_time import calendar_for_team
from waypoint.patients.models import Person
from waypoint.referrals import selectors as referrals

from .models import DutyEnquiry, DutyRole, DutyShift, Handover


def teams_on_duty(user, day):
    """A subquery of the ids of the teams the user is duty worker or back-up for on the day."""
    return DutyShift.objects.on(day).for_worker(user).values("team_id")


def on_duty_today(user) -> list[int]:
    """Ids of the teams the user is duty worker or back-up for today (local date)."""
    return sorted(set(teams_on_duty(user, timezone.localdate()).values_list("team_id", flat=True)))


def shifts_on(team, day):
    """{"duty": User | None, "backup": User | None} for the team on the day."""
    found = {
        shift.role: shift.worker
        for shift in DutyShift.objects.on(day).for_team(team).select_related("worker")
    }
    return {"duty": found.get(DutyRole.DUTY), "backup": found.get(DutyRole.BACKUP)}


def may_edit_rota(user, team) -> bool:
    """Only a team manager who is a current member of the team sets its duty rota."""
    return team is not None and user.has_role(RoleCode.TEAM_MANAGER) and team.pk in user.current_team_ids()


def open_enquiries(team):
    return DutyEnquiry.objects.for_team(team).open().with_people().board_order()


def latest_handover(team):
    return Handover.objects.for_team(team).latest_first().first()


def awaiting_triage(team):
    return referrals.awaiting_triage(team)


def enquiry_for_team_member(user, enquiry_id):
    """The enquiry if the user is a current member of its team, else None."""
    return DutyEnquiry.objects.filter(pk=enquiry_id).for_team_member(user).with_people().first()


def visible_person_ids(user, person_ids) -> set[int]:
    """Which of these people the user may see now, in one query (for showing names and links)."""
    wanted = {pk for pk in person_ids if pk is not None}
    if not wanted:
        return set()
    return set(Person.objects.visible_to(user).filter(pk__in=wanted).values_list("pk", flat=True))


def find_visible_person(user, nhs_number):
    """The person with this NHS number, only among the people the user may see."""
    return Person.objects.visible_to(user).filter(nhs_number=nhs_number).first()


@dataclass(frozen=True)
class RotaDay:
    day: date
    duty: User | None
    backup: User | None
    is_today: bool
    bank_holiday: bool


def first_of_next_month(first: date) -> date:
    return (first.replace(day=28) + timedelta(days=4)).replace(day=1)


def month_rota(team, first: date) -> list[RotaDay]:
    """Working days (Monday to Friday) of the month with their duty and back-up workers."""
    after_last = first_of_next_month(first)
    shifts = DutyShift.objects.for_team(team).between(first, after_last).select_related("worker")
    by_day: dict[date, dict[str, User]] = {}
    for shift in shifts:
        by_day.setdefault(shift.date, {})[shift.role] = shift.worker
    holidays = calendar_for_team(team).holidays
    today = timezone.localdate()
    days, day = [], first
    while day < after_last:
        if day.weekday() < 5:
            workers = by_day.get(day, {})
            days.append(
                RotaDay(
                    day=day,
                    duty=workers.get(DutyRole.DUTY),
                    backup=workers.get(DutyRole.BACKUP),
                    is_today=day == today,
                    bank_holiday=day in holidays,
                )
            )
        day += timedelta(days=1)
    return days


def team_members(team):
    """The team's current, active members, for choosing duty workers."""
    member_ids = Membership.objects.current().filter(team=team).values("user_id")
    return User.objects.filter(pk__in=member_ids, is_active=True).order_by("last_name", "first_name")


def enquiries_about(person, limit=20):
    """Duty calls about the person, newest first, for their record page."""
    return list(
        DutyEnquiry.objects.filter(person=person).select_related("team").order_by("-received_at")[:limit]
    )


def log_of(enquiry) -> list:
    """The call's log, oldest first: what was recorded when it was logged, then each entry added
    (one query)."""
    from .models import DutyLogEntry, LogKind

    first = [
        SimpleNamespace(
            kind=kind,
            label=LogKind(kind).label,
            text=text,
            written_by=enquiry.logged_by,
            written_at=enquiry.logged_at,
        )
        for kind, text in (
            (LogKind.SAFETY_CONCERNS, enquiry.safety_concerns),
            (LogKind.ACTION_TAKEN, enquiry.action_taken),
            (LogKind.CRISIS_WHAT_HAPPENED, enquiry.crisis_what_happened),
        )
        if text
    ]
    added = [
        SimpleNamespace(
            kind=entry.kind,
            label=entry.get_kind_display(),
            text=entry.text,
            written_by=entry.written_by,
            written_at=entry.written_at,
        )
        for entry in DutyLogEntry.objects.filter(enquiry=enquiry).select_related("written_by")
    ]
    return first + added
