"""Worklist: the baseline measure 6 weeks after the first attended contact, and a measure due at a
planned review; each provider a fixed number of queries."""

import datetime

import pytest
from django.utils import timezone

from waypoint.core.memo import request_scope
from waypoint.episodes.factories import EpisodeFactory
from waypoint.episodes.models import EpisodeStatus
from waypoint.measures import team_settings, worklist
from waypoint.measures.factories import MeasureFactory
from waypoint.patients.factories import PersonFactory
from waypoint.referrals.factories import ReferralFactory
from waypoint.referrals.models import Status
from waypoint.reviews.factories import ReviewFactory
from waypoint.worklist.registry import Severity, registered_providers

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def seen(person, team, coordinator, days_ago):
    return ReferralFactory(
        person=person,
        team=team,
        recorded_by=coordinator,
        status=Status.IN_ASSESSMENT,
        received_at=timezone.now() - datetime.timedelta(days=days_ago + 7),
        first_contact_attended_at=timezone.now() - datetime.timedelta(days=days_ago),
    )


def test_providers_are_registered():
    assert {worklist.NO_BASELINE, worklist.AT_REVIEW, worklist.AT_DISCHARGE} <= set(registered_providers())


def test_baseline_overdue_six_weeks_after_first_attended_contact(person, team, coordinator):
    seen(person, team, coordinator, days_ago=50)
    [item] = list(worklist.baseline_not_done([person.pk], TODAY))
    assert item.severity is Severity.OVERDUE and item.what == "Baseline outcome measure overdue"
    assert item.due == timezone.localdate(timezone.now() - datetime.timedelta(days=50)) + datetime.timedelta(
        weeks=6
    )


def test_baseline_due_soon_and_not_shown_early(person, team, coordinator):
    seen(person, team, coordinator, days_ago=35)
    [item] = list(worklist.baseline_not_done([person.pk], TODAY))
    assert item.severity is Severity.DUE_SOON
    other = PersonFactory()
    seen(other, team, coordinator, days_ago=2)
    assert list(worklist.baseline_not_done([other.pk], TODAY)) == []


def test_a_measure_since_the_referral_clears_it(person, team, coordinator):
    seen(person, team, coordinator, days_ago=50)
    MeasureFactory(person=person, recorded_by=coordinator, completed_on=TODAY - datetime.timedelta(days=45))
    assert list(worklist.baseline_not_done([person.pk], TODAY)) == []


def test_a_measure_due_at_a_planned_review(person, team, coordinator):
    ReviewFactory(person=person, team=team, scheduled_for=TODAY + datetime.timedelta(days=7))
    [item] = list(worklist.due_at_review([person.pk], TODAY))
    assert item.due == TODAY + datetime.timedelta(days=7) and item.severity is Severity.DUE_SOON
    MeasureFactory(person=person, recorded_by=coordinator, timing="review", completed_on=TODAY)
    assert list(worklist.due_at_review([person.pk], TODAY)) == []


def test_providers_have_a_fixed_number_of_queries(team, coordinator, django_assert_max_num_queries):
    people = [PersonFactory() for _ in range(6)]
    for p in people:
        seen(p, team, coordinator, days_ago=50)
        ReviewFactory(person=p, team=team, scheduled_for=TODAY + datetime.timedelta(days=3))
    ids = [p.pk for p in people]
    team_settings.for_team(team)  # the teams' windows: read once into the cache, then no query
    with request_scope():
        with django_assert_max_num_queries(2):  # the referrals (shared) and the measure dates
            assert len(list(worklist.baseline_not_done(ids, TODAY))) == 6
        with django_assert_max_num_queries(1):  # the reviews (shared); the measure dates already read
            assert len(list(worklist.due_at_review(ids, TODAY))) == 6


def test_a_measure_due_before_a_planned_discharge(person, team, coordinator):
    EpisodeFactory(person=person, team=team, discharge_planned_on=TODAY + datetime.timedelta(days=10))
    [item] = list(worklist.due_at_discharge([person.pk], TODAY))
    assert item.kind == worklist.AT_DISCHARGE and item.due == TODAY + datetime.timedelta(days=10)
    assert item.severity is Severity.DUE_SOON
    assert item.what == "Outcome measure due before the planned discharge"
    # A measure in the team's look-back window before the discharge clears it.
    MeasureFactory(person=person, recorded_by=coordinator, completed_on=TODAY - datetime.timedelta(days=5))
    assert list(worklist.due_at_discharge([person.pk], TODAY)) == []


def test_no_item_without_a_planned_discharge_on_an_open_episode(person, team, coordinator):
    EpisodeFactory(person=person, team=team)  # no discharge planned
    EpisodeFactory(
        person=person,
        team=team,
        status=EpisodeStatus.CLOSED,
        ended_on=TODAY - datetime.timedelta(days=1),
        discharge_planned_on=TODAY + datetime.timedelta(days=3),
    )
    assert list(worklist.due_at_discharge([person.pk], TODAY)) == []
    far = PersonFactory()
    EpisodeFactory(person=far, team=team, discharge_planned_on=TODAY + datetime.timedelta(days=60))
    assert list(worklist.due_at_discharge([far.pk], TODAY)) == []  # shown from 14 days before


def test_an_overdue_discharge_measure_and_a_fixed_number_of_queries(
    team, coordinator, django_assert_max_num_queries
):
    people = [PersonFactory() for _ in range(5)]
    for p in people:
        EpisodeFactory(person=p, team=team, discharge_planned_on=TODAY - datetime.timedelta(days=2))
    team_settings.for_team(team)
    with request_scope():
        with django_assert_max_num_queries(2):  # the planned discharges and the measure dates
            items = list(worklist.due_at_discharge([p.pk for p in people], TODAY))
    assert len(items) == 5 and {i.severity for i in items} == {Severity.OVERDUE}
