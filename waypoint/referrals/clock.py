"""Referral clocks: the team's local triage target (working calendar) and NHS England's 4-week
standard (calendar days), and the 4-week clock-stop.

NHS England's clock stops at the LATEST of: first attended contact, first baseline outcome
measure, first coded assessment, and the EARLIER of first agreed care plan and first coded
intervention. A component with `alternative_to` is another way of doing the part it names (the
part is done at the earlier of the two). Each part is a *clock-stop component*
registered here; modules that do not exist yet register a placeholder shown as "not yet
recorded", and replace it with `register_clock_stop_component` when they are built.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone

from waypoint.clocks import working_time

from .models import DEFAULT_TARGETS, TargetUnit, Urgency

FOUR_WEEK_STANDARD = timedelta(days=28)


@dataclass(frozen=True)
class ClockStopComponent:
    key: str
    label: str
    recorded_at: Callable  # referral -> datetime | None
    available: bool = True  # False while the module that records it does not exist
    alternative_to: str | None = None  # the key of the part this is an alternative to


_components: dict[str, ClockStopComponent] = {}


def register_clock_stop_component(component: ClockStopComponent) -> None:
    _components[component.key] = component


register_clock_stop_component(
    ClockStopComponent("attended_contact", "First attended contact", lambda r: r.first_contact_attended_at)
)
register_clock_stop_component(
    ClockStopComponent("outcome_measure", "First baseline outcome measure", lambda r: None, available=False)
)
register_clock_stop_component(
    ClockStopComponent("coded_assessment", "First coded assessment", lambda r: r.first_assessment_at)
)
register_clock_stop_component(
    ClockStopComponent("agreed_care_plan", "First agreed care plan", lambda r: None, available=False)
)


@dataclass(frozen=True)
class ComponentStatus:
    label: str
    recorded_at: datetime | None
    available: bool
    key: str = ""
    alternative_to: str | None = None


@dataclass(frozen=True)
class ClockStop:
    components: list[ComponentStatus]
    stopped_at: datetime | None


def clock_stop(referral) -> ClockStop:
    statuses = [
        ComponentStatus(
            c.label, c.recorded_at(referral) if c.available else None, c.available, c.key, c.alternative_to
        )
        for c in _components.values()
    ]
    # Each part is done at the earliest of itself and its alternatives.
    parts: dict[str, list[datetime | None]] = {}
    for status in statuses:
        if status.alternative_to is None or status.alternative_to not in _components:
            parts.setdefault(status.key, []).append(status.recorded_at)
    for status in statuses:
        if status.alternative_to in parts:
            parts[status.alternative_to].append(status.recorded_at)
    moments = [min((m for m in ms if m), default=None) for ms in parts.values()]
    stopped = max(moments) if moments and all(moments) else None  # type: ignore[type-var]
    return ClockStop(statuses, stopped)


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
    four_week_due: datetime
    four_week_remaining: timedelta
    four_week_breached: bool
    clock_stop: ClockStop
    working_day: timedelta = timedelta(hours=8)  # the team's working day, for "working days"
    remaining_working: timedelta | None = (
        None  # the local target's margin in working time, if it is set in it
    )
    closed_at: datetime | None = None  # the referral closed (rejected, signposted, passed on) before the stop

    @property
    def four_week_running(self) -> bool:
        """The 4-week clock runs until it stops, or until the referral closes without it stopping."""
        return self.clock_stop.stopped_at is None and self.closed_at is None

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
        stop = clock_stop(referral)
        four_week_due = working_time.add_calendar_days(referral.received_at, FOUR_WEEK_STANDARD.days)
        # A referral closed without the clock stopping (rejected, signposted, passed on) stops counting.
        closed_at = referral.closed_at if referral.closed_at and not stop.stopped_at else None
        four_week_end = stop.stopped_at or closed_at or self.now
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
            four_week_due=four_week_due,
            four_week_remaining=four_week_due - four_week_end,
            four_week_breached=four_week_end > four_week_due,
            clock_stop=stop,
            working_day=self.calendar.day_length,
            remaining_working=(
                working_time.working_time_between(end, due, self.calendar) if in_working_time else None
            ),
            closed_at=closed_at,
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
