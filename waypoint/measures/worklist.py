"""What measures make due, for the worklist (each provider: a fixed number of queries).

- "measure_baseline": a referral's first attended contact was more than 6 weeks ago (or will be
  within 14 days) and no outcome measure has been recorded since the referral was received;
- "measure_at_review": a review is planned within 14 days (or has passed, not yet held) and no
  measure has been recorded in the 28 days before it.

PARTIAL: the 6 weeks and 28 days are the same for every team (not yet configurable per team), and
"at discharge" is not yet a worklist item.
"""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from waypoint.referrals.models import Referral
from waypoint.reviews.models import Review
from waypoint.worklist.registry import DueItem, Severity, severity_for

from .selectors import people_with_a_measure_since

NO_BASELINE = "measure_baseline"
AT_REVIEW = "measure_at_review"
BASELINE_WITHIN = timedelta(weeks=6)
REVIEW_WINDOW = timedelta(days=28)


def _url(person_id):
    return reverse("measures:list", args=[person_id])


def baseline_not_done(person_ids, today):
    referrals = list(
        Referral.objects.open()
        .filter(person_id__in=person_ids, first_contact_attended_at__isnull=False)
        .only("pk", "person_id", "received_at", "first_contact_attended_at")
        .order_by("received_at")
    )
    if not referrals:
        return
    first = {}
    for referral in referrals:
        first.setdefault(referral.person_id, referral)
    pairs = [(pid, timezone.localtime(r.received_at).date()) for pid, r in first.items()]
    done = people_with_a_measure_since(pairs)
    for person_id, referral in first.items():
        if person_id in done:
            continue
        due = timezone.localtime(referral.first_contact_attended_at).date() + BASELINE_WITHIN
        severity = severity_for(due, today)
        if severity is Severity.UPCOMING:
            continue
        what = (
            "Baseline outcome measure overdue"
            if severity is Severity.OVERDUE
            else "Baseline outcome measure due"
        )
        yield DueItem(person_id, NO_BASELINE, what, due, severity, _url(person_id))


def due_at_review(person_ids, today):
    reviews = list(
        Review.objects.scheduled()
        .filter(person_id__in=person_ids, scheduled_for__lte=today + timedelta(days=14))
        .only("pk", "person_id", "scheduled_for")
        .order_by("scheduled_for")
    )
    if not reviews:
        return
    first = {}
    for review in reviews:
        first.setdefault(review.person_id, review)
    done = people_with_a_measure_since([(pid, r.scheduled_for - REVIEW_WINDOW) for pid, r in first.items()])
    for person_id, review in first.items():
        if person_id in done:
            continue
        severity = severity_for(review.scheduled_for, today)
        yield DueItem(
            person_id,
            AT_REVIEW,
            "Outcome measure due for the planned review",
            review.scheduled_for,
            severity,
            _url(person_id),
        )
