"""Property tests: add_working_time and working_time_between agree, for any start and calendar."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from waypoint.clocks.bank_holidays import bundled_bank_holidays
from waypoint.clocks.working_time import WorkingCalendar

LONDON = ZoneInfo("Europe/London")
BUNDLED = frozenset(d for d, _ in bundled_bank_holidays())
PROPERTY_SETTINGS = settings(max_examples=200, deadline=None)

starts = st.datetimes(
    min_value=datetime(2020, 1, 1),
    max_value=datetime(2030, 12, 31, 23, 59),
    timezones=st.sampled_from([LONDON, UTC]),
    allow_imaginary=False,
)
# 0 to 60 working days of 8 hours, to the minute.
durations = st.integers(min_value=0, max_value=60 * 8 * 60).map(lambda m: timedelta(minutes=m))


@st.composite
def calendars(draw, start):
    """Random holidays near `start` (so they matter), and sometimes other weekdays and hours."""
    offsets = draw(st.lists(st.integers(min_value=-3, max_value=120), max_size=25))
    holidays = {start.astimezone(LONDON).date() + timedelta(days=n) for n in offsets}
    if draw(st.booleans()):
        holidays |= BUNDLED
    if draw(st.booleans()):
        return WorkingCalendar.default(holidays)
    weekdays = draw(st.frozensets(st.integers(min_value=0, max_value=6), min_size=1))
    opens = draw(st.integers(min_value=6 * 4, max_value=12 * 4))  # quarter hours, 06:00-12:00
    closes = draw(st.integers(min_value=opens + 1, max_value=22 * 4))
    return WorkingCalendar(
        weekdays=weekdays,
        day_starts=time(opens // 4, opens % 4 * 15),
        day_ends=time(closes // 4, closes % 4 * 15),
        holidays=holidays,
    )


@st.composite
def scenarios(draw):
    start = draw(starts)
    return start, draw(calendars(start))


def at_close(cal: WorkingCalendar, moment: datetime) -> bool:
    local = moment.astimezone(LONDON)
    return cal.is_working_day(local.date()) and local.time() == cal.day_ends


@PROPERTY_SETTINGS
@given(scenarios(), durations)
def test_working_time_between_inverts_add_working_time(scenario, duration):
    start, cal = scenario
    end = cal.add_working_time(start, duration)
    assert cal.working_time_between(start, end) == duration


@PROPERTY_SETTINGS
@given(scenarios(), durations)
def test_result_is_never_before_start_and_is_utc(scenario, duration):
    start, cal = scenario
    end = cal.add_working_time(start, duration)
    assert end >= start
    assert end.tzinfo is UTC


@PROPERTY_SETTINGS
@given(scenarios(), durations)
def test_result_is_in_working_hours_or_exactly_at_a_close(scenario, duration):
    start, cal = scenario
    end = cal.add_working_time(start, duration)
    assert cal.is_working_time(end) or at_close(cal, end)
    if duration > timedelta(0):
        # The last minute counted was working time.
        assert cal.is_working_time(end - timedelta(microseconds=1))


@PROPERTY_SETTINGS
@given(scenarios(), durations, durations)
def test_monotonic_in_duration(scenario, first, second):
    start, cal = scenario
    shorter, longer = sorted([first, second])
    assert cal.add_working_time(start, shorter) <= cal.add_working_time(start, longer)
    if shorter < longer:
        assert cal.add_working_time(start, shorter) < cal.add_working_time(start, longer)


@PROPERTY_SETTINGS
@given(scenarios(), durations, st.integers(min_value=1, max_value=10 * 8 * 60))
def test_adding_in_two_steps_is_adding_once(scenario, first, minutes):
    start, cal = scenario
    second = timedelta(minutes=minutes)
    assert cal.add_working_time(cal.add_working_time(start, first), second) == cal.add_working_time(
        start, first + second
    )


@PROPERTY_SETTINGS
@given(scenarios(), starts)
def test_between_is_antisymmetric_and_at_most_elapsed_time(scenario, other):
    start, cal = scenario
    forwards = cal.working_time_between(start, other)
    assert cal.working_time_between(other, start) == -forwards
    assert abs(forwards) <= abs(other - start)


@PROPERTY_SETTINGS
@given(scenarios(), durations)
def test_working_days_are_the_same_length_all_year(scenario, duration):
    """Whole working days: n days from an opening ends at the n-th working day's close."""
    start, cal = scenario
    day = cal.next_working_day(start.astimezone(LONDON).date())
    opening = datetime.combine(day, cal.day_starts, tzinfo=LONDON)
    days = duration // cal.day_length
    if days == 0:
        return
    end = cal.add_working_time(opening, days * cal.day_length)
    assert at_close(cal, end)
    for _ in range(days - 1):
        day = cal.next_working_day(day)
    assert end.astimezone(LONDON).date() == day


def test_holidays_in_bundled_range_are_dates():
    assert all(type(d) is date for d in BUNDLED)
