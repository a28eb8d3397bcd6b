"""Writes to reviews. Each operation is atomic, takes the acting user, and audits (field names only)."""

from django.db import transaction
from django.utils import timezone

from waypoint.access.actor import Actor
from waypoint.accounts import permissions
from waypoint.accounts.permissions import Do
from waypoint.audit import services as audit
from waypoint.audit.models import Action, RecordType

from .models import Review, ReviewAddendum, add_months, interval_months


class AlreadyRecorded(Exception):
    """The review was recorded (by someone else) after this form was opened: it is read-only now."""

    def __init__(self, review: Review):
        super().__init__(f"Review {review.pk} was recorded already")
        self.review = review


class NotYetHeld(Exception):
    """Addenda are for recorded reviews."""


def default_next_review(team, held_on):
    return add_months(held_on, interval_months(team))


@transaction.atomic
def schedule_review(*, by: Actor, person, team, review_type, scheduled_for) -> Review:
    permissions.require(by, Do.RECORD_REVIEW)
    user = by.user
    review = Review.objects.create(
        person=person,
        team=team,
        review_type=review_type,
        scheduled_for=scheduled_for,
        scheduled_by=user,
        scheduled_at=timezone.now(),
    )
    audit.write(
        by,
        person=person,
        action=Action.CREATE,
        record_type=RecordType.REVIEW,
        record_id=review.pk,
        fields_changed=["review_type", "scheduled_for", "team"],
    )
    return review


def _fill(review, *, by: Actor, data):
    user = by.user
    review.held_on = data["held_on"]
    review.person_attended = data["person_attended"]
    review.other_attendees = data.get("other_attendees", "")
    review.what_changed = data.get("what_changed", "")
    review.outcome_summary = data.get("outcome_summary", "")
    review.next_review_due = data.get("next_review_due") or default_next_review(review.team, review.held_on)
    review.recorded_by = user
    review.recorded_at = timezone.now()
    review.save()
    review.carers.set(data.get("carers") or [])
    review.staff.set(data.get("staff") or [])
    always = ["held_on", "person_attended", "next_review_due"]
    optional = ["carers", "staff", "other_attendees", "what_changed", "outcome_summary"]
    return always + [name for name in optional if data.get(name)]


@transaction.atomic
def record_review(*, by: Actor, review: Review, data: dict) -> Review:
    """Record a scheduled review as held. Refused if it has been recorded already."""
    permissions.require(by, Do.RECORD_REVIEW)
    current = Review.objects.select_for_update().select_related("team").get(pk=review.pk)
    if current.is_held:
        raise AlreadyRecorded(current)
    changed = _fill(current, by=by, data=data)
    audit.write(
        by,
        person=current.person,
        action=Action.COMPLETE,
        record_type=RecordType.REVIEW,
        record_id=current.pk,
        fields_changed=changed,
    )
    return current


@transaction.atomic
def record_unscheduled_review(*, by: Actor, person, team, review_type, data: dict) -> Review:
    """A review that was held without being scheduled here first: scheduled for the day it was held."""
    permissions.require(by, Do.RECORD_REVIEW)
    user = by.user
    review = Review(
        person=person,
        team=team,
        review_type=review_type,
        scheduled_for=data["held_on"],
        scheduled_by=user,
        scheduled_at=timezone.now(),
    )
    changed = _fill(review, by=by, data=data)
    audit.write(
        by,
        person=person,
        action=Action.CREATE,
        record_type=RecordType.REVIEW,
        record_id=review.pk,
        fields_changed=["review_type", "team", *changed],
    )
    return review


@transaction.atomic
def add_addendum(*, by: Actor, review: Review, text: str) -> ReviewAddendum:
    permissions.require(by, Do.RECORD_REVIEW)
    user = by.user
    if not review.is_held:
        raise NotYetHeld()
    addendum = ReviewAddendum.objects.create(
        review=review, text=text, written_by=user, written_at=timezone.now()
    )
    audit.write(
        by,
        person=review.person,
        action=Action.CREATE,
        record_type=RecordType.REVIEW_ADDENDUM,
        record_id=addendum.pk,
        fields_changed=["text"],
    )
    return addendum
