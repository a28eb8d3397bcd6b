"""Clocks read true (issue 18, item 8): working time in working days and hours, never 24-hour
days; "Over 4 weeks" only while the 4-week clock runs."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from waypoint.referrals.clock import TeamClock, describe_working
from waypoint.referrals.factories import ReferralFactory

LONDON = ZoneInfo("Europe/London")
HOURS = datetime.timedelta(hours=1)


def at(*args):
    return datetime.datetime(*args, tzinfo=LONDON)


@pytest.mark.parametrize(
    ("working", "words"),
    [
        (48 * HOURS, "6 working days"),  # the "2 days of working time"
        (8 * HOURS, "1 working day"),
        (11 * HOURS, "1 working day 3 hours"),
        (5 * HOURS, "5 working hours"),
        (datetime.timedelta(hours=1, minutes=30), "1 working hour 30 minutes"),
        (datetime.timedelta(minutes=45), "45 minutes"),
        (datetime.timedelta(0), "0 minutes"),
        (-16 * HOURS, "2 working days"),  # a margin already passed reads the same, the words say which way
    ],
)
def test_working_time_is_in_working_days_of_the_calendar(working, words):
    assert describe_working(working) == words


def test_a_shorter_working_day_makes_more_working_days():
    assert describe_working(15 * HOURS, datetime.timedelta(hours=7, minutes=30)) == "2 working days"


@pytest.mark.django_db
class TestTheClockInWords:
    def test_ten_days_waited_is_eight_working_days_not_two_days(self, team):
        # Monday 2 November 09:00 to Thursday 12 November 09:00: 10 calendar days, 8 working days.
        referral = ReferralFactory.build(team=team, received_at=at(2026, 11, 2, 9, 0), urgency="routine")
        clock = TeamClock(team, now=at(2026, 11, 12, 9, 0)).for_referral(referral)
        assert clock.waited_working == 64 * HOURS
        assert clock.waited_working_words == "8 working days"

    def test_a_working_hours_target_counts_its_margin_in_working_time(self, team):
        # Very urgent: 4 working hours. Friday 16:00 to Monday 10:00 is 2 working hours, not 66 hours.
        referral = ReferralFactory.build(
            team=team, received_at=at(2026, 11, 20, 16, 0), urgency="very_urgent"
        )
        clock = TeamClock(team, now=at(2026, 11, 23, 10, 0)).for_referral(referral)
        assert clock.remaining_words == "2 working hours"
        later = TeamClock(team, now=at(2026, 11, 24, 10, 0)).for_referral(referral)
        assert later.breached and later.remaining_words == "6 working hours"  # Monday 12:00 to Tuesday 10:00

    def test_past_four_weeks_only_while_the_clock_runs(self, team, person, coordinator_client, coordinator):
        received = at(2026, 9, 1, 10, 0)
        # Received more than NHS England's 5 days' grace after the first ended: its own spell.
        running = ReferralFactory(
            team=team, person=person, received_at=at(2026, 9, 20, 10, 0), recorded_by=coordinator
        )
        closed = ReferralFactory(
            team=team,
            person=person,
            received_at=received,
            recorded_by=coordinator,
            status="rejected",
            decision="reject",
            rejection_reason="02",
            closed_at=at(2026, 9, 8, 10, 0),
        )
        page = coordinator_client.get(reverse("referrals:detail", args=[closed.pk])).content.decode()
        assert "Over 4 weeks" not in page
        assert "Not running: the referral ended 8 September 2026 before the clock stopped" in page
        page = coordinator_client.get(reverse("referrals:detail", args=[running.pk])).content.decode()
        assert "Over 4 weeks" in page and "days waited (4 weeks was 18 October 2026)" in page
        assert " working days" in page and "of working time" not in page
