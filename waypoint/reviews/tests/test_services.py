"""Review services: plan, record (once), addenda, the default next review date, audit without text."""

import datetime

import pytest
from django.test import override_settings
from django.utils import timezone

from waypoint.access.actor import Actor
from waypoint.audit.models import Action, AuditEvent
from waypoint.patients.factories import CarerFactory
from waypoint.reviews import services
from waypoint.reviews.factories import HeldReviewFactory, ReviewFactory
from waypoint.reviews.models import Review, ReviewAddendum, TeamReviewInterval, add_months, interval_months

SECRET = "Started drinking again after losing his job (synthetic)"


def _data(**overrides):
    data = {
        "held_on": timezone.localdate(),
        "person_attended": True,
        "carers": [],
        "staff": [],
        "other_attendees": "",
        "what_changed": SECRET,
        "outcome_summary": "Plan updated",
        "next_review_due": None,
    }
    data.update(overrides)
    return data


def test_add_months_keeps_the_day_or_uses_the_last_day_of_the_month():
    assert add_months(datetime.date(2026, 1, 31), 1) == datetime.date(2026, 2, 28)
    assert add_months(datetime.date(2026, 11, 15), 12) == datetime.date(2027, 11, 15)
    assert add_months(datetime.date(2026, 11, 15), 3) == datetime.date(2027, 2, 15)


@pytest.mark.django_db
class TestInterval:
    def test_setting_then_team(self, team):
        assert interval_months(team) == 12
        with override_settings(WAYPOINT_REVIEW_INTERVAL_MONTHS=6):
            assert interval_months(team) == 6
        TeamReviewInterval.objects.create(team=team, months=9)
        assert interval_months(team) == 9


@pytest.mark.django_db
class TestScheduleAndRecord:
    def test_plan_a_review_is_audited(self, coordinator, person, team):
        review = services.schedule_review(
            by=Actor(coordinator, basis="team"),
            person=person,
            team=team,
            review_type="cpa",
            scheduled_for=timezone.localdate(),
        )
        event = AuditEvent.objects.get(record_type="review")
        assert (event.action, event.person, event.record_id) == (Action.CREATE, person, str(review.pk))

    def test_record_with_attendees_and_the_default_next_review(self, coordinator, person, team):
        review = ReviewFactory(person=person, team=team, scheduled_by=coordinator)
        carer = CarerFactory(person=person)
        held = datetime.date(2026, 3, 10)
        services.record_review(
            by=Actor(coordinator, basis="team"),
            review=review,
            data=_data(held_on=held, carers=[carer], staff=[coordinator], other_attendees="Advocate"),
        )
        review.refresh_from_db()
        assert review.held_on == held and review.next_review_due == datetime.date(2027, 3, 10)
        assert list(review.carers.all()) == [carer] and list(review.staff.all()) == [coordinator]
        assert review.recorded_by == coordinator and review.person_attended is True
        event = AuditEvent.objects.get(record_type="review", action=Action.COMPLETE)
        assert {"carers", "staff", "what_changed", "held_on"} <= set(event.fields_changed)
        assert SECRET not in str(list(AuditEvent.objects.values_list()))

    def test_the_team_interval_sets_the_default(self, coordinator, person, team):
        TeamReviewInterval.objects.create(team=team, months=6)
        review = ReviewFactory(person=person, team=team)
        services.record_review(
            by=Actor(coordinator, basis="team"),
            review=review,
            data=_data(held_on=datetime.date(2026, 1, 31)),
        )
        assert Review.objects.get().next_review_due == datetime.date(2026, 7, 31)

    def test_a_recorded_review_cannot_be_recorded_again(self, coordinator, person, team):
        review = HeldReviewFactory(person=person, team=team)
        before = (review.what_changed, review.outcome_summary)
        with pytest.raises(services.AlreadyRecorded):
            services.record_review(
                by=Actor(coordinator, basis="team"),
                review=review,
                data=_data(),
            )
        review.refresh_from_db()
        assert (review.what_changed, review.outcome_summary) == before
        assert not AuditEvent.objects.filter(record_type="review").exists()

    def test_record_a_review_that_was_not_planned(self, coordinator, person, team):
        review = services.record_unscheduled_review(
            by=Actor(coordinator, basis="team"),
            person=person,
            team=team,
            review_type="care_plan",
            data=_data(),
        )
        assert review.scheduled_for == review.held_on == timezone.localdate()
        assert AuditEvent.objects.get(record_type="review").action == Action.CREATE


@pytest.mark.django_db
class TestAddendum:
    def test_addendum_keeps_the_review_and_is_audited(self, coordinator, person, team):
        review = HeldReviewFactory(person=person, team=team)
        addendum = services.add_addendum(
            by=Actor(coordinator, basis="team"),
            review=review,
            text="Correction",
        )
        assert ReviewAddendum.objects.get() == addendum
        event = AuditEvent.objects.get(record_type="review_addendum")
        assert event.fields_changed == ["text"] and "Correction" not in str(event.__dict__)

    def test_no_addendum_on_a_review_not_yet_held(self, coordinator, person, team):
        with pytest.raises(services.NotYetHeld):
            services.add_addendum(
                by=Actor(coordinator, basis="team"),
                review=ReviewFactory(person=person),
                text="x",
            )
