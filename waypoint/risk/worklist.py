"""What risk formulation makes due: a missing formulation, and a review date reached or near.

Both providers answer for many people with a fixed number of queries (3 and 1).
"""

from django.urls import reverse

from waypoint.core.memo import request_scope
from waypoint.episodes.selectors import safety_items_due
from waypoint.worklist.registry import DueItem, Severity, severity_for

from .selectors import current_formulations_for, people_expected_to_have_a_formulation


def no_risk_formulation(person_ids, today):
    """People in assessment or with a care coordinator who have no risk formulation yet; missing
    `WAYPOINT_SAFETY_ITEMS_DAYS` after care coordination started, it is overdue."""
    with request_scope():  # the allocations are read once for both questions, even outside a page
        return _no_risk_formulation(person_ids, today)


def _no_risk_formulation(person_ids, today):
    expected = people_expected_to_have_a_formulation(person_ids)
    if not expected:
        return []
    have = current_formulations_for(person_ids)  # the same read as the review provider's
    expected_by = safety_items_due(person_ids)  # allocation + WAYPOINT_SAFETY_ITEMS_DAYS (shared read)
    items = []
    for person_id in sorted(expected - set(have)):
        due = expected_by.get(person_id)  # None while only in assessment
        overdue = due is not None and due < today
        items.append(
            DueItem(
                person_id=person_id,
                kind="risk_formulation_missing",
                what="No risk formulation (overdue)" if overdue else "No risk formulation",
                due=due,
                severity=Severity.OVERDUE if overdue else Severity.DUE_SOON,
                url=reverse("risk:write", args=[person_id]),
            )
        )
    return items


def risk_formulation_review(person_ids, today):
    """The current formulation's review date has passed, or is within the next 14 days."""
    items = []
    for person_id, (_revision, review_date) in sorted(current_formulations_for(person_ids).items()):
        severity = severity_for(review_date, today)
        if severity == Severity.UPCOMING:
            continue
        items.append(
            DueItem(
                person_id=person_id,
                kind="risk_formulation_review",
                what="Risk formulation review overdue"
                if severity == Severity.OVERDUE
                else "Risk formulation review due",
                due=review_date,
                severity=severity,
                url=reverse("risk:write", args=[person_id]),
            )
        )
    return items
