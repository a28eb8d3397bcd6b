"""Working-time arithmetic for local clocks, and calendar days for national ones.

A team works on its working weekdays (default Monday to Friday) from ``day_starts`` to
``day_ends`` (default 09:00-17:00), except on bank holidays. Hours are **local wall-clock times in
Europe/London**: the arithmetic is done on local wall time, so a working day is always
``day_ends - day_starts`` long, whatever the clocks do (last Sunday of March and of October). The
UTC moment a count ends at therefore moves by an hour across a clock change, as it should.

Conventions (all functions):

- Moments passed in must be timezone-aware (any zone); naive datetimes raise ``ValueError``.
  Moments returned are aware and in UTC (``datetime.UTC``).
- A working day is the half-open interval ``[day_starts, day_ends)``: 09:00 is working time,
  17:00 is not.
- ``add_working_time(start, duration)``: counting starts at ``start`` if that is working time,
  otherwise at the next opening (a start on Saturday, or at 17:00 or later, counts from the next
  working day's 09:00). The result is the moment ``duration`` of working time has elapsed. When
  the duration runs out exactly at a day's close, the result **is that close** (17:00), not the
  next morning: Monday 09:00 + 8 hours = Monday 17:00, and Monday 10:00 + 8 hours = Tuesday
  10:00. So the result is always working time or exactly a working day's close. A zero duration
  returns the moment counting starts (``start`` itself, or the next opening). Negative durations
  raise ``ValueError``.
- ``working_time_between(start, end)`` is the working time inside ``[start, end)``. It is
  antisymmetric: if ``end`` is before ``start`` the result is negative
  (``-working_time_between(end, start)``), so "working time left until a deadline" goes negative
  once the deadline has passed. For any start and non-negative duration d,
  ``working_time_between(start, add_working_time(start, d)) == d``.
- Working hours are assumed not to include 01:00-02:00 on clock-change nights (the repeated or
  skipped local hour); for daytime hours such as 09:00-17:00 everything above is exact.
- ``add_calendar_days(start, days)`` is for national clocks (e.g. the 4-week waiting-time
  standard): the same local wall-clock time ``days`` calendar days later, ignoring working hours
  and bank holidays. Across a clock change that is 23 or 25 real hours per day changed.

Only ``calendar_for_team`` touches the database.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")
ONE_DAY = timedelta(days=1)
_ZERO = timedelta(0)


def _require_aware(moment: datetime, name: str = "moment") -> None:
    if not isinstance(moment, datetime):
        raise TypeError(f"{name} must be a datetime, not {type(moment).__name__}")
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware (got naive {moment.isoformat()})")


@dataclass(frozen=True)
class WorkingCalendar:
    """Working weekdays (Monday = 0), daily hours in local wall-clock time, and holidays."""

    weekdays: frozenset[int] = frozenset(range(5))
    day_starts: time = time(9, 0)
    day_ends: time = time(17, 0)
    holidays: frozenset[date] = field(default_factory=frozenset)
    tz: ZoneInfo = LONDON

    def __post_init__(self):
        # Accept any iterable for the sets, but store frozensets so the calendar stays hashable.
        object.__setattr__(self, "weekdays", frozenset(self.weekdays))
        object.__setattr__(self, "holidays", frozenset(self.holidays))
        if not self.weekdays:
            raise ValueError("A working calendar needs at least one working weekday.")
        if not self.weekdays <= set(range(7)):
            raise ValueError(f"Weekdays must be 0 (Monday) to 6 (Sunday), got {sorted(self.weekdays)}.")
        if self.day_starts.tzinfo is not None or self.day_ends.tzinfo is not None:
            raise ValueError("Working hours are local wall-clock times: give naive times.")
        if self.day_ends <= self.day_starts:
            raise ValueError("The working day must end after it starts.")
        if any(isinstance(d, datetime) or not isinstance(d, date) for d in self.holidays):
            raise ValueError("Holidays must be dates.")

    @classmethod
    def default(cls, holidays: Iterable[date] = ()) -> WorkingCalendar:
        """Monday to Friday, 09:00-17:00 Europe/London; no holidays unless given."""
        return cls(holidays=frozenset(holidays))

    # -- days -------------------------------------------------------------------------------

    @property
    def day_length(self) -> timedelta:
        """Working time in one working day (e.g. 8 hours). The same on clock-change days."""
        return datetime.combine(date.min, self.day_ends) - datetime.combine(date.min, self.day_starts)

    def is_working_day(self, day: date) -> bool:
        """A working weekday that is not a holiday. An aware datetime is taken as its local date."""
        if isinstance(day, datetime):
            day = self._local(day).date()
        return day.weekday() in self.weekdays and day not in self.holidays

    def next_working_day(self, day: date) -> date:
        """The first working day strictly after `day`."""
        day += ONE_DAY
        while not self.is_working_day(day):
            day += ONE_DAY
        return day

    # -- moments ----------------------------------------------------------------------------

    def is_working_time(self, moment: datetime) -> bool:
        """Whether `moment` falls in working hours: [day_starts, day_ends) on a working day."""
        local = self._local(moment)
        return self.is_working_day(local.date()) and self.day_starts <= local.time() < self.day_ends

    def next_working_moment(self, moment: datetime) -> datetime:
        """`moment` if it is working time, else the next opening (in UTC). Where counting starts."""
        return self._utc(self._counting_starts(self._local(moment)))

    def add_working_time(self, start: datetime, duration: timedelta) -> datetime:
        """The moment (UTC) at which `duration` of working time has elapsed after `start`.

        See the module docstring for the conventions: counting starts at the next opening if
        `start` is outside working hours, and a duration that runs out exactly at a day's close
        ends at that close.
        """
        _require_aware(start, "start")
        if duration < _ZERO:
            raise ValueError(f"duration must not be negative (got {duration})")
        cursor = self._counting_starts(self._local(start))
        remaining = duration
        while True:
            available = datetime.combine(cursor.date(), self.day_ends) - cursor
            if remaining <= available:
                return self._utc(cursor + remaining)
            remaining -= available
            cursor = datetime.combine(self.next_working_day(cursor.date()), self.day_starts)

    def working_time_between(self, start: datetime, end: datetime) -> timedelta:
        """Working time in [start, end); negative (antisymmetric) if `end` is before `start`."""
        _require_aware(start, "start")
        _require_aware(end, "end")
        if end < start:
            return -self.working_time_between(end, start)
        first, last = self._local(start), self._local(end)
        total = _ZERO
        day = first.date()
        while day <= last.date():
            if self.is_working_day(day):
                opens = max(first, datetime.combine(day, self.day_starts))
                closes = min(last, datetime.combine(day, self.day_ends))
                if closes > opens:
                    total += closes - opens
            day += ONE_DAY
        return total

    # -- helpers ----------------------------------------------------------------------------

    def _local(self, moment: datetime) -> datetime:
        """Naive local wall-clock time of an aware moment."""
        _require_aware(moment)
        return moment.astimezone(self.tz).replace(tzinfo=None)

    def _utc(self, local: datetime) -> datetime:
        """The UTC moment of a naive local wall-clock time (fold=0 for repeated times)."""
        return local.replace(tzinfo=self.tz).astimezone(UTC)

    def _counting_starts(self, local: datetime) -> datetime:
        """The first working moment at or after a naive local time."""
        day = local.date()
        if self.is_working_day(day) and local.time() < self.day_ends:
            return max(local, datetime.combine(day, self.day_starts))
        return datetime.combine(self.next_working_day(day), self.day_starts)


DEFAULT_CALENDAR = WorkingCalendar.default()


# -- module-level conveniences (default calendar unless one is given) -----------------------------


def is_working_day(day: date, calendar: WorkingCalendar | None = None) -> bool:
    return (calendar or DEFAULT_CALENDAR).is_working_day(day)


def is_working_time(moment: datetime, calendar: WorkingCalendar | None = None) -> bool:
    return (calendar or DEFAULT_CALENDAR).is_working_time(moment)


def add_working_time(
    start: datetime, duration: timedelta, calendar: WorkingCalendar | None = None
) -> datetime:
    return (calendar or DEFAULT_CALENDAR).add_working_time(start, duration)


def working_time_between(
    start: datetime, end: datetime, calendar: WorkingCalendar | None = None
) -> timedelta:
    return (calendar or DEFAULT_CALENDAR).working_time_between(start, end)


def add_calendar_days(start: datetime, days: int, tz: ZoneInfo = LONDON) -> datetime:
    """`days` calendar days after `start`, at the same local wall-clock time (returned in UTC).

    For national clocks, which ignore working hours and bank holidays. Across a clock change the
    real elapsed time is an hour more or less than ``days * 24`` hours.
    """
    _require_aware(start, "start")
    return (start.astimezone(tz) + timedelta(days=days)).astimezone(UTC)


def calendar_for_team(team) -> WorkingCalendar:
    """The team's working calendar: its TeamCalendar if it has one, else the defaults, with the
    bank holidays of its division. At most two queries (one if ``team.calendar`` is already
    loaded, e.g. with ``select_related("calendar")``). ``team=None`` gives the defaults."""
    from .models import BankHoliday, Division, TeamCalendar

    settings = None
    if team is not None:
        try:
            settings = team.calendar
        except TeamCalendar.DoesNotExist:
            settings = None
    division = settings.bank_holiday_division if settings else Division.ENGLAND_AND_WALES
    holidays = frozenset(BankHoliday.objects.filter(division=division).values_list("date", flat=True))
    if settings is None:
        return WorkingCalendar.default(holidays)
    return WorkingCalendar(
        weekdays=settings.weekdays,
        day_starts=settings.day_starts,
        day_ends=settings.day_ends,
        holidays=holidays,
    )


def format_duration(duration: timedelta) -> str:
    """Plain English days, hours and minutes: "3 days 4 hours", "45 minutes", "0 minutes".

    Seconds are dropped (rounded towards zero). A day here is 24 hours of the timedelta, so
    show working time in hours ("20 hours") unless you mean calendar days. Negative durations
    read "minus 2 hours".
    """
    sign = "minus " if duration < _ZERO else ""
    minutes_total = abs(duration) // timedelta(minutes=1)
    days, rest = divmod(minutes_total, 24 * 60)
    hours, minutes = divmod(rest, 60)
    parts = [
        f"{count} {unit}{'' if count == 1 else 's'}"
        for count, unit in ((days, "day"), (hours, "hour"), (minutes, "minute"))
        if count
    ]
    if not parts:
        return "0 minutes"
    return sign + " ".join(parts)
