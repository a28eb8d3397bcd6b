import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from waypoint.referrals.clock import TeamClock, describe
from waypoint.referrals.factories import ReferralFactory
from waypoint.referrals.models import TeamTargets

LONDON = ZoneInfo("Europe/London")


def at(*args):
    return datetime.datetime(*args, tzinfo=LONDON)


@pytest.mark.django_db
class TestTeamClock:
    def test_very_urgent_target_is_four_working_hours_over_a_weekend(self, team):
        referral = ReferralFactory.build(
            team=team, received_at=at(2026, 11, 20, 15, 0), urgency="very_urgent"
        )
        clock = TeamClock(team, now=at(2026, 11, 23, 9, 30)).for_referral(referral)
        assert clock.due_at == at(2026, 11, 23, 11, 0)
        assert not clock.breached
        assert clock.remaining == datetime.timedelta(hours=1, minutes=30)
        assert clock.waited_working == datetime.timedelta(hours=2, minutes=30)

    def test_urgent_is_the_same_time_next_working_day_and_skips_bank_holidays(self, team):
        referral = ReferralFactory.build(team=team, received_at=at(2026, 12, 24, 14, 0), urgency="urgent")
        clock = TeamClock(team, now=at(2026, 12, 29, 15, 0)).for_referral(referral)
        assert clock.due_at == at(2026, 12, 29, 14, 0)  # 25 and 28 December are bank holidays
        assert clock.breached

    def test_untriaged_referral_uses_the_urgency_asked_for(self, team):
        referral = ReferralFactory.build(
            team=team, received_at=at(2026, 11, 2, 10, 0), urgency="", urgency_requested="urgent"
        )
        clock = TeamClock(team, now=at(2026, 11, 2, 11, 0)).for_referral(referral)
        assert clock.urgency == "urgent" and clock.urgency_is_requested

    def test_team_targets_are_configurable(self, team):
        TeamTargets.objects.create(team=team, very_urgent_amount=2, very_urgent_unit="working_hours")
        referral = ReferralFactory.build(team=team, received_at=at(2026, 11, 2, 10, 0), urgency="very_urgent")
        assert TeamClock(team, now=at(2026, 11, 2, 10, 0)).for_referral(referral).due_at == at(
            2026, 11, 2, 12, 0
        )

    def test_attended_contact_stops_the_local_clock(self, team):
        referral = ReferralFactory.build(
            team=team,
            received_at=at(2026, 11, 2, 10, 0),
            urgency="very_urgent",
            first_contact_attended_at=at(2026, 11, 2, 12, 0),
        )
        clock = TeamClock(team, now=at(2026, 11, 20, 10, 0)).for_referral(referral)
        assert not clock.breached and clock.stopped_at


def test_describe_in_plain_english():
    assert describe(datetime.timedelta(days=3, hours=4)) == "3 days 4 hours"
    assert describe(datetime.timedelta(minutes=45)) == "45 minutes"
    assert describe(datetime.timedelta(hours=-2)) == "2 hours"


@pytest.mark.django_db
def test_person_record_lists_referrals(coordinator_client, team, person):
    referral = ReferralFactory(team=team, person=person)
    body = coordinator_client.get(reverse("patients:record_episodes", args=[person.pk])).content.decode()
    assert reverse("referrals:detail", args=[referral.pk]) in body
