"""Referral clocks: the team's local triage target (working calendar), from receipt to the first
attended contact.

NHS England's 4-week standard and its clock-stop (the latest of four parts, spells of overlapping
referrals, NHS England's scope) are computed in one place only: waypoint/measures/four_week.py.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone

from waypoint.clocks import working_time

from .models import DEFAULT_TARGETS, TargetUnit, Urgency


@dataclass(frozen=True)
class Target:
    amount: int
    unit: str

    @property
    def label(self):
        unit = TargetUnit(self.unit).label
        if self.amount == 1:
            unit = unit.rstrip("s")
        return f"{self.amount} {unit}"

    def due(self, start: datetime, calendar) -> datetime:
        if self.unit == TargetUnit.CALENDAR_DAYS:
            return working_time.add_calendar_days(start, self.amount)
        if self.unit == TargetUnit.WORKING_DAYS:
            return working_time.add_working_time(start, calendar.day_length * self.amount, calendar)
        return working_time.add_working_time(start, timedelta(hours=self.amount), calendar)


def targets_for_team(team) -> dict[str, Target]:
    from .models import TeamTargets

    row = TeamTargets.objects.filter(team=team).first()
    raw = row.as_dict() if row else DEFAULT_TARGETS
    return {urgency: Target(*value) for urgency, value in raw.items()}


@dataclass(frozen=True)
class ReferralClock:
    received_at: datetime
    urgency: str
    urgency_is_requested: bool  # not yet triaged: the referrer's urgency is used
    target: Target
    due_at: datetime
    stopped_at: datetime | None  # first attended contact ends the local wait
    waited: timedelta
    waited_working: timedelta
    remaining: timedelta
    breached: bool
    working_day: timedelta = timedelta(hours=8)  # the team's working day, for "working days"
    remaining_working: timedelta | None = (
        None  # the local target's margin in working time, if it is set in it
    )

    @property
    def waited_working_words(self) -> str:
        """The wait in working days and hours of the team's calendar: "6 working days"."""
        return describe_working(self.waited_working, self.working_day)

    @property
    def remaining_words(self) -> str:
        """The margin against the local target, in the target's own unit: working time for a
        target in working hours or days, calendar time for one in calendar days."""
        if self.remaining_working is None:
            return describe(self.remaining)
        return describe_working(self.remaining_working, self.working_day)


class TeamClock:
    """Everything needed to time a team's referrals, fetched once (a fixed number of queries)."""

    def __init__(self, team, now=None):
        self.team = team
        self.now = now or timezone.now()
        self.calendar = working_time.calendar_for_team(team)
        self.targets = targets_for_team(team)

    def for_referral(self, referral) -> ReferralClock:
        urgency = referral.urgency or referral.urgency_requested or Urgency.ROUTINE
        target = self.targets[urgency]
        due = target.due(referral.received_at, self.calendar)
        end = referral.first_contact_attended_at or self.now
        in_working_time = target.unit != TargetUnit.CALENDAR_DAYS
        return ReferralClock(
            received_at=referral.received_at,
            urgency=urgency,
            urgency_is_requested=not referral.urgency,
            target=target,
            due_at=due,
            stopped_at=referral.first_contact_attended_at,
            waited=end - referral.received_at,
            waited_working=working_time.working_time_between(referral.received_at, end, self.calendar),
            remaining=due - end,
            breached=end > due,
            working_day=self.calendar.day_length,
            remaining_working=(
                working_time.working_time_between(end, due, self.calendar) if in_working_time else None
            ),
        )


def describe(delta: timedelta) -> str:
    """Plain English for a span of time: '3 days 4 hours', '45 minutes'."""
    total_minutes = int(abs(delta).total_seconds() // 60)
    days, rest = divmod(total_minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    parts = []
    if days:
        parts.append(f"{days} day{'s' if days != 1 else ''}")
    if hours:
        parts.append(f"{hours} hour{'s' if hours != 1 else ''}")
    if not days and (minutes or not parts):
        parts.append(f"{minutes} minute{'s' if minutes != 1 else ''}")
    return " ".join(parts)


def describe_working(delta: timedelta, working_day: timedelta = timedelta(hours=8)) -> str:
    """Working time in working days and hours: 48 hours of an 8-hour working day is
    "6 working days"; 11 hours is "1 working day 3 hours"; under a day, "5 working hours" or
    "45 minutes". Never 24-hour days, which would read as calendar time."""
    total_minutes = int(abs(delta).total_seconds() // 60)
    day_minutes = max(int(working_day.total_seconds() // 60), 1)
    days, rest = divmod(total_minutes, day_minutes)
    hours, minutes = divmod(rest, 60)
    if days:
        words = f"{days} working day{'s' if days != 1 else ''}"
        if hours:
            words += f" {hours} hour{'s' if hours != 1 else ''}"
        return words
    if hours:
        words = f"{hours} working hour{'s' if hours != 1 else ''}"
        if minutes:
            words += f" {minutes} minute{'s' if minutes != 1 else ''}"
        return words
    return f"{minutes} minute{'s' if minutes != 1 else ''}"
