"""What reviews make due: the next care plan or CPA review, by its date; and the first review of
someone with a care coordinator and no review yet. At most four queries for any number of people
(fewer inside a request scope, where the reviews and allocations reads are shared)."""

from django.urls import reverse

from waypoint.worklist.registry import DueItem, Severity, severity_for

from .selectors import first_review_dates_for, next_review_dates_for


def review_due(person_ids, today):
    """People whose next review date has passed or is within the next 14 days."""
    items = []
    dates = next_review_dates_for(person_ids)
    dates.update(first_review_dates_for(person_ids, exclude=set(dates)))
    for person_id, due in sorted(dates.items()):
        severity = severity_for(due, today)
        if severity == Severity.UPCOMING:
            continue
        items.append(
            DueItem(
                person_id=person_id,
                kind="care_plan_review",
                what="Review meeting overdue" if severity == Severity.OVERDUE else "Review meeting due",
                due=due,
                severity=severity,
                url=reverse("reviews:list", args=[person_id]),
            )
        )
    return items
