"""What measures make due, for the worklist. Both providers share the referrals' and reviews'
reads (per request) and one read of measure dates, so together they add one query to a page.

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

from waypoint.referrals.selectors import accepted_referrals_for
from waypoint.reviews.selectors import review_dates_by_person
from waypoint.worklist.registry import DueItem, Severity, severity_for

from .selectors import measure_dates_for

NO_BASELINE = "measure_baseline"
AT_REVIEW = "measure_at_review"
BASELINE_WITHIN = timedelta(weeks=6)
REVIEW_WINDOW = timedelta(days=28)


def _url(person_id):
    return reverse("measures:list", args=[person_id])


def baseline_not_done(person_ids, today):
    first = {}
    for referral in accepted_referrals_for(person_ids):  # shared with other providers (one query)
        if referral.first_contact_attended_at is not None:
            first.setdefault(referral.person_id, referral)
    if not first:
        return
    dates = measure_dates_for(person_ids)
    for person_id, referral in first.items():
        since = timezone.localtime(referral.received_at).date()
        if any(d >= since for d in dates.get(person_id, ())):
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
    planned = {
        person_id: due
        for person_id, (due, _) in review_dates_by_person(person_ids).items()  # shared (one query)
        if due is not None and due <= today + timedelta(days=14)
    }
    if not planned:
        return
    dates = measure_dates_for(person_ids)
    for person_id, due in planned.items():
        if any(d >= due - REVIEW_WINDOW for d in dates.get(person_id, ())):
            continue
        yield DueItem(
            person_id,
            AT_REVIEW,
            "Outcome measure due for the planned review",
            due,
            severity_for(due, today),
            _url(person_id),
        )
