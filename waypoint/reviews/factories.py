import datetime

import factory
from django.utils import timezone

from waypoint.accounts.factories import TeamFactory, UserFactory
from waypoint.patients.factories import PersonFactory

from .models import Review, ReviewAddendum, ReviewType


class ReviewFactory(factory.django.DjangoModelFactory):
    """A planned review; `HeldReviewFactory` for one that has been recorded."""

    class Meta:
        model = Review

    person = factory.SubFactory(PersonFactory)
    team = factory.SubFactory(TeamFactory)
    review_type = ReviewType.CPA
    scheduled_for = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=30))
    scheduled_by = factory.SubFactory(UserFactory)


class HeldReviewFactory(ReviewFactory):
    scheduled_for = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=30))
    held_on = factory.LazyAttribute(lambda o: o.scheduled_for)
    person_attended = True
    what_changed = "Moved into her own flat (synthetic)"
    outcome_summary = "Care plan updated; weekly visits continue (synthetic)"
    next_review_due = factory.LazyAttribute(lambda o: o.held_on + datetime.timedelta(days=365))
    recorded_by = factory.SelfAttribute("scheduled_by")
    recorded_at = factory.LazyFunction(timezone.now)


class ReviewAddendumFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReviewAddendum

    review = factory.SubFactory(HeldReviewFactory)
    text = "Her sister also attended (synthetic)"
    written_by = factory.SubFactory(UserFactory)
