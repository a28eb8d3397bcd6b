"""Ids the no-relationship sweep needs to build review URLs."""

from waypoint.reviews.factories import HeldReviewFactory


def record_factories(person, coordinator, team):
    return {
        "care_review_id": lambda: HeldReviewFactory(person=person, team=team, scheduled_by=coordinator).pk
    }
