"""What incidents make due: an incident naming a person that has not been reviewed within
5 working days of being reported (on that person's worklist). At most two queries."""

from django.urls import reverse

from waypoint.clocks.working_time import calendar_for_team
from waypoint.worklist.registry import DueItem, Severity

from .selectors import not_reviewed_for, review_due_on


def review_overdue(person_ids, today):
    rows = not_reviewed_for(person_ids)
    if not rows:
        return []
    calendar = calendar_for_team(None)
    items = []
    for person_id, incident in rows:
        due = review_due_on(incident, calendar)
        if due >= today:
            continue
        items.append(
            DueItem(
                person_id=person_id,
                kind="incident_review",
                what=f"Incident {incident.reference} not reviewed within 5 working days",
                due=due,
                severity=Severity.OVERDUE,
                url=reverse("incidents:detail", args=[incident.pk]),
            )
        )
    return items
