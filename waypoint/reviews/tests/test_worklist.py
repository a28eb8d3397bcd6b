"""The care plan review provider: by the next review date, two queries for any number of people."""

import datetime

import pytest
from django.utils import timezone

from waypoint.episodes.models import Allocation, AllocationKind
from waypoint.patients.factories import PersonFactory
from waypoint.reviews.factories import HeldReviewFactory, ReviewFactory
from waypoint.reviews.models import TeamReviewInterval
from waypoint.reviews.worklist import review_due
from waypoint.worklist.registry import Severity, registered_providers


def _coordinated(person, team, worker, days_ago):
    return Allocation.objects.create(
        person=person,
        team=team,
        worker=worker,
        kind=AllocationKind.CARE_COORDINATOR,
        allocated_by=worker,
        started_at=timezone.now() - datetime.timedelta(days=days_ago),
    )


@pytest.mark.django_db
class TestReviewDue:
    def test_overdue_due_soon_and_not_yet(self):
        today = timezone.localdate()
        overdue = HeldReviewFactory(next_review_due=today - datetime.timedelta(days=3))
        soon = ReviewFactory(scheduled_for=today + datetime.timedelta(days=7))
        later = HeldReviewFactory(next_review_due=today + datetime.timedelta(days=200))
        # An older review's date does not count once a newer one has been held.
        superseded = HeldReviewFactory(
            held_on=today - datetime.timedelta(days=400), next_review_due=today - datetime.timedelta(days=35)
        )
        HeldReviewFactory(person=superseded.person, next_review_due=today + datetime.timedelta(days=300))
        # A planned review sets the due date even when the last held review's date has passed.
        replanned = HeldReviewFactory(next_review_due=today - datetime.timedelta(days=10))
        ReviewFactory(person=replanned.person, scheduled_for=today + datetime.timedelta(days=60))
        ids = [r.person_id for r in (overdue, soon, later, superseded, replanned)]
        items = {item.person_id: item for item in review_due(ids, today)}
        assert set(items) == {overdue.person_id, soon.person_id}
        assert items[overdue.person_id].severity == Severity.OVERDUE
        assert items[overdue.person_id].what == "Review meeting overdue"
        assert items[soon.person_id].what == "Review meeting due"

    def test_fixed_number_of_queries_whatever_the_number_of_people(
        self, team, coordinator, django_assert_num_queries
    ):
        today = timezone.localdate()
        ids = [HeldReviewFactory(next_review_due=today).person_id for _ in range(4)]
        ids += [ReviewFactory(scheduled_for=today).person_id for _ in range(4)]
        for _ in range(4):
            ids.append(_coordinated(PersonFactory(), team, coordinator, days_ago=400).person_id)
        with django_assert_num_queries(4):
            assert len(review_due(ids, today)) == 12

    def test_first_review_due_a_year_after_care_coordination_started(self, team, coordinator):
        today = timezone.localdate()
        late = _coordinated(PersonFactory(), team, coordinator, days_ago=370).person_id
        new = _coordinated(PersonFactory(), team, coordinator, days_ago=30).person_id
        reviewed = _coordinated(PersonFactory(), team, coordinator, days_ago=370).person_id
        HeldReviewFactory(person_id=reviewed, next_review_due=today + datetime.timedelta(days=300))
        TeamReviewInterval.objects.create(team=team, months=6)
        soon = _coordinated(PersonFactory(), team, coordinator, days_ago=175).person_id
        items = {item.person_id: item for item in review_due([late, new, reviewed, soon], today)}
        assert set(items) == {late, soon}
        assert items[late].severity == Severity.OVERDUE

    def test_registered(self):
        assert "care_plan_review" in registered_providers()
