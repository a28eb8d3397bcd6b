"""Working-time arithmetic: worked examples against the real England and Wales holidays."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from waypoint.clocks import working_time
from waypoint.clocks.bank_holidays import bundled_bank_holidays
from waypoint.clocks.working_time import (
    DEFAULT_CALENDAR,
    WorkingCalendar,
    add_calendar_days,
    format_duration,
)

LONDON = ZoneInfo("Europe/London")
HOURS = timedelta(hours=1)


@pytest.fixture(scope="module")
def cal():
    return WorkingCalendar.default(d for d, _ in bundled_bank_holidays())


def london(*args):
    return datetime(*args, tzinfo=LONDON)


def utc(*args):
    return datetime(*args, tzinfo=UTC)


class TestAddWorkingTime:
    def test_friday_afternoon_rolls_to_monday(self, cal):
        assert cal.add_working_time(london(2026, 1, 16, 16), 2 * HOURS) == london(2026, 1, 19, 10)

    def test_result_is_utc(self, cal):
        result = cal.add_working_time(london(2026, 6, 1, 9), HOURS)
        assert result.tzinfo is UTC
        assert result == utc(2026, 6, 1, 9)  # 10:00 BST

    def test_good_friday_and_easter_monday_2026(self, cal):
        # Thursday 2 April 16:00 + 2h: Good Friday 3 April and Easter Monday 6 April are skipped.
        assert cal.add_working_time(london(2026, 4, 2, 16), 2 * HOURS) == london(2026, 4, 7, 10)

    def test_christmas_2026_with_substitute_boxing_day(self, cal):
        # 25 Dec is a Friday; Boxing Day (Saturday) is substituted by Monday 28 Dec.
        assert cal.add_working_time(london(2026, 12, 24, 16), 2 * HOURS) == london(2026, 12, 29, 10)
        assert not cal.is_working_day(date(2026, 12, 28))

    def test_saturday_start_counts_from_monday_morning(self, cal):
        saturday = london(2026, 1, 17, 11, 30)
        assert cal.add_working_time(saturday, timedelta(minutes=30)) == london(2026, 1, 19, 9, 30)
        assert cal.add_working_time(saturday, timedelta(0)) == london(2026, 1, 19, 9)

    def test_before_opening_counts_from_opening(self, cal):
        assert cal.add_working_time(london(2026, 1, 14, 7), HOURS) == london(2026, 1, 14, 10)

    def test_after_close_counts_from_next_morning(self, cal):
        assert cal.add_working_time(london(2026, 1, 14, 17), HOURS) == london(2026, 1, 15, 10)
        assert cal.add_working_time(london(2026, 1, 14, 22), HOURS) == london(2026, 1, 15, 10)

    def test_a_whole_day_ends_at_close_not_next_morning(self, cal):
        monday = london(2026, 1, 12, 9)
        assert cal.add_working_time(monday, 8 * HOURS) == london(2026, 1, 12, 17)
        assert cal.add_working_time(monday, 8 * HOURS + timedelta(minutes=1)) == london(2026, 1, 13, 9, 1)
        assert cal.add_working_time(london(2026, 1, 12, 10), 8 * HOURS) == london(2026, 1, 13, 10)
        assert cal.add_working_time(monday, 5 * 8 * HOURS) == london(2026, 1, 16, 17)

    def test_zero_inside_hours_is_start(self, cal):
        start = london(2026, 1, 14, 11, 17, 3, 5)
        assert cal.add_working_time(start, timedelta(0)) == start

    def test_spring_clock_change_29_march_2026(self, cal):
        # Friday before: GMT (UTC+0). Monday after: BST (UTC+1). Same local answer, UTC an hour apart.
        result = cal.add_working_time(london(2026, 3, 27, 16), 2 * HOURS)
        assert result == london(2026, 3, 30, 10) == utc(2026, 3, 30, 9)
        week_before = cal.add_working_time(london(2026, 3, 20, 16), 2 * HOURS)
        assert week_before == utc(2026, 3, 23, 10)
        # The working day is still 8 hours long across the change.
        assert cal.working_time_between(london(2026, 3, 27, 9), london(2026, 3, 30, 17)) == 16 * HOURS

    def test_autumn_clock_change_25_october_2026(self, cal):
        result = cal.add_working_time(london(2026, 10, 23, 16), 2 * HOURS)  # 15:00 UTC Friday
        assert result == london(2026, 10, 26, 10) == utc(2026, 10, 26, 10)
        week_before = cal.add_working_time(london(2026, 10, 16, 16), 2 * HOURS)
        assert week_before == utc(2026, 10, 19, 9)

    def test_start_in_another_zone_is_read_as_london_time(self, cal):
        # 15:30 UTC on a summer Friday is 16:30 BST.
        assert cal.add_working_time(utc(2026, 7, 3, 15, 30), HOURS) == london(2026, 7, 6, 9, 30)

    def test_naive_start_is_refused(self, cal):
        with pytest.raises(ValueError, match="timezone-aware"):
            cal.add_working_time(datetime(2026, 1, 14, 10), HOURS)

    def test_negative_duration_is_refused(self, cal):
        with pytest.raises(ValueError, match="negative"):
            cal.add_working_time(london(2026, 1, 14, 10), -HOURS)

    def test_four_working_hours_target_from_late_referral(self, cal):
        # A very urgent referral at 15:00 on Christmas Eve 2025 (Wednesday): 2h left that day,
        # 25 and 26 Dec are holidays, then the weekend, so the 4h target lands Monday 29 at 11:00.
        assert cal.add_working_time(london(2025, 12, 24, 15), 4 * HOURS) == london(2025, 12, 29, 11)


class TestWorkingTimeBetween:
    def test_across_weekend(self, cal):
        assert cal.working_time_between(london(2026, 1, 16, 16), london(2026, 1, 19, 10)) == 2 * HOURS

    def test_outside_hours_counts_nothing(self, cal):
        assert cal.working_time_between(london(2026, 1, 17, 0), london(2026, 1, 18, 23)) == timedelta(0)
        assert cal.working_time_between(london(2026, 4, 3, 9), london(2026, 4, 6, 17)) == timedelta(0)

    def test_a_whole_week(self, cal):
        assert cal.working_time_between(london(2026, 1, 12), london(2026, 1, 19)) == 40 * HOURS

    def test_end_before_start_is_negative(self, cal):
        start, end = london(2026, 1, 16, 16), london(2026, 1, 19, 10)
        assert cal.working_time_between(end, start) == -2 * HOURS

    def test_same_moment_is_zero(self, cal):
        moment = london(2026, 1, 14, 12)
        assert cal.working_time_between(moment, moment) == timedelta(0)

    def test_naive_end_is_refused(self, cal):
        with pytest.raises(ValueError):
            cal.working_time_between(london(2026, 1, 14, 10), datetime(2026, 1, 14, 12))


class TestWorkingDaysAndMoments:
    def test_working_days(self, cal):
        assert cal.is_working_day(date(2026, 1, 14))
        assert not cal.is_working_day(date(2026, 1, 17))  # Saturday
        assert not cal.is_working_day(date(2026, 5, 25))  # Spring bank holiday
        assert DEFAULT_CALENDAR.is_working_day(date(2026, 5, 25))  # no holidays by default

    def test_working_day_of_aware_datetime_uses_london_date(self, cal):
        # 23:30 UTC on Sunday 28 June 2026 is 00:30 BST on Monday 29 June.
        assert cal.is_working_day(utc(2026, 6, 28, 23, 30))

    def test_working_time_is_half_open(self, cal):
        assert cal.is_working_time(london(2026, 1, 14, 9))
        assert cal.is_working_time(london(2026, 1, 14, 16, 59, 59))
        assert not cal.is_working_time(london(2026, 1, 14, 17))
        assert not cal.is_working_time(london(2026, 1, 14, 8, 59))
        assert not cal.is_working_time(london(2026, 1, 17, 12))

    def test_next_working_moment(self, cal):
        assert cal.next_working_moment(london(2026, 4, 2, 17)) == london(2026, 4, 7, 9)
        assert cal.next_working_moment(london(2026, 4, 7, 12)) == london(2026, 4, 7, 12)

    def test_next_working_day(self, cal):
        assert cal.next_working_day(date(2026, 12, 24)) == date(2026, 12, 29)

    def test_day_length(self):
        assert DEFAULT_CALENDAR.day_length == 8 * HOURS
        assert WorkingCalendar(day_starts=time(8, 30), day_ends=time(18)).day_length == timedelta(hours=9.5)

    def test_custom_weekdays_and_hours(self):
        weekend_team = WorkingCalendar(weekdays={5, 6}, day_starts=time(10), day_ends=time(14))
        friday = london(2026, 1, 16, 12)
        assert weekend_team.add_working_time(friday, 5 * HOURS) == london(2026, 1, 18, 11)


class TestCalendarValidation:
    def test_default_is_monday_to_friday_nine_to_five(self):
        assert WorkingCalendar.default() == DEFAULT_CALENDAR == WorkingCalendar()
        assert DEFAULT_CALENDAR.weekdays == frozenset({0, 1, 2, 3, 4})
        assert (DEFAULT_CALENDAR.day_starts, DEFAULT_CALENDAR.day_ends) == (time(9), time(17))
        assert DEFAULT_CALENDAR.holidays == frozenset()
        assert DEFAULT_CALENDAR.tz == LONDON

    def test_is_frozen_and_hashable(self):
        with pytest.raises(AttributeError):
            DEFAULT_CALENDAR.day_starts = time(8)  # type: ignore[misc]
        assert hash(WorkingCalendar(holidays=[date(2026, 1, 1)])) == hash(
            WorkingCalendar(holidays=frozenset({date(2026, 1, 1)}))
        )

    @pytest.mark.parametrize(
        "kwargs",
        [
            {"weekdays": frozenset()},
            {"weekdays": frozenset({7})},
            {"day_starts": time(17), "day_ends": time(9)},
            {"day_starts": time(9), "day_ends": time(9)},
            {"day_starts": time(9, tzinfo=UTC)},
            {"holidays": frozenset({datetime(2026, 1, 1)})},
        ],
    )
    def test_refuses_nonsense(self, kwargs):
        with pytest.raises(ValueError):
            WorkingCalendar(**kwargs)


def test_module_level_functions_use_default_calendar_unless_given(cal):
    start = london(2026, 4, 2, 16)
    assert working_time.add_working_time(start, 2 * HOURS) == london(2026, 4, 3, 10)
    assert working_time.add_working_time(start, 2 * HOURS, cal) == london(2026, 4, 7, 10)
    assert working_time.working_time_between(start, london(2026, 4, 7, 10), cal) == 2 * HOURS
    assert working_time.is_working_day(date(2026, 4, 3))
    assert not working_time.is_working_day(date(2026, 4, 3), cal)
    assert working_time.is_working_time(london(2026, 4, 3, 10))


class TestAddCalendarDays:
    def test_four_weeks(self):
        assert add_calendar_days(london(2026, 1, 5, 10), 28) == london(2026, 2, 2, 10)

    def test_same_local_time_across_clock_change(self):
        result = add_calendar_days(london(2026, 3, 10, 10), 28)
        assert result == london(2026, 4, 7, 10) == utc(2026, 4, 7, 9)
        assert result - london(2026, 3, 10, 10) == timedelta(days=28) - HOURS
        assert result.tzinfo is UTC

    def test_ignores_weekends_and_holidays(self):
        assert add_calendar_days(london(2026, 12, 24, 16), 1) == london(2026, 12, 25, 16)

    def test_start_given_in_utc_keeps_its_london_wall_time(self):
        # 12:00 UTC on 20 October is 13:00 BST; a week later it is 13:00 GMT, i.e. 13:00 UTC.
        assert (
            add_calendar_days(utc(2026, 10, 20, 12), 7) == london(2026, 10, 27, 13) == utc(2026, 10, 27, 13)
        )

    def test_naive_is_refused(self):
        with pytest.raises(ValueError):
            add_calendar_days(datetime(2026, 1, 1), 1)


@pytest.mark.parametrize(
    ("duration", "text"),
    [
        (timedelta(0), "0 minutes"),
        (timedelta(seconds=59), "0 minutes"),
        (timedelta(minutes=1), "1 minute"),
        (timedelta(minutes=45), "45 minutes"),
        (timedelta(hours=1), "1 hour"),
        (timedelta(hours=2, minutes=5), "2 hours 5 minutes"),
        (timedelta(days=3, hours=4), "3 days 4 hours"),
        (timedelta(days=1, minutes=1), "1 day 1 minute"),
        (timedelta(days=28), "28 days"),
        (timedelta(hours=-2), "minus 2 hours"),
        (timedelta(seconds=-30), "0 minutes"),
    ],
)
def test_format_duration(duration, text):
    assert format_duration(duration) == text
