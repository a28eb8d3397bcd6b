"""What is due from engagement monitoring: people not seen for too long, and the next disengagement step."""

from datetime import timedelta

from django.urls import reverse

from waypoint.worklist.registry import DueItem, Severity

from .engagement import engagement_for


def engagement_items(person_ids, today):
    """One 'No contact' item and one 'Disengagement' item per disengaged person (fixed queries)."""
    items = []
    for pk, one in engagement_for(person_ids, today).items():
        if not one.disengaged:
            continue
        url = reverse("contacts:engagement", args=[pk])
        if one.interval_passed:
            items.append(
                DueItem(
                    pk,
                    "no_contact",
                    f"No contact for {one.days_since_face_to_face} days",
                    one.last_face_to_face + timedelta(days=one.every_days),
                    Severity.OVERDUE,
                    url,
                )
            )
        step = one.next_step
        what = (
            f"Disengagement: next step — {step.title.lower()}"
            if step
            else "Disengagement: every step of the procedure taken — agree a plan at MDT"
        )
        items.append(
            DueItem(
                pk,
                "disengagement",
                what,
                None,
                Severity.OVERDUE,
                reverse("contacts:record_step", args=[pk]) if step else url,
            )
        )
    return items
