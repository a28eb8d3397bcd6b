"""What safeguarding makes due: a referral to the local authority with no outcome recorded
10 working days after it was made (chase the local authority). Two queries for any number of people."""

from django.urls import reverse

from waypoint.worklist.registry import DueItem, Severity

from .selectors import referral_outcome_due


def referral_outcome_overdue(person_ids, today):
    items = []
    for concern, due in referral_outcome_due(person_ids, today):
        if due >= today:
            continue
        items.append(
            DueItem(
                person_id=concern.person_id,
                kind="safeguarding_referral_outcome",
                what="Safeguarding referral: no outcome after 10 working days",
                due=due,
                severity=Severity.OVERDUE,
                url=reverse("safeguarding:detail", args=[concern.person_id, concern.pk]),
            )
        )
    return items
