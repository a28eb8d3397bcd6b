"""What reviews make due: the next care plan or CPA review, by its date (two queries for any number)."""

from django.urls import reverse

from waypoint.worklist.registry import DueItem, Severity, severity_for

from .selectors import next_review_dates_for


def review_due(person_ids, today):
    """People whose next review date has passed or is within the next 14 days."""
    items = []
    for person_id, due in sorted(next_review_dates_for(person_ids).items()):
        severity = severity_for(due, today)
        if severity == Severity.UPCOMING:
            continue
        items.append(
            DueItem(
                person_id=person_id,
                kind="care_plan_review",
                what="Care plan review overdue" if severity == Severity.OVERDUE else "Care plan review due",
                due=due,
                severity=severity,
                url=reverse("reviews:list", args=[person_id]),
            )
        )
    return items
