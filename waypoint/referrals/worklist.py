"""What referrals make due on the worklist: accepted referrals waiting to be seen."""

from datetime import date, timedelta

from django.urls import reverse
from django.utils import timezone

from waypoint.worklist.registry import DueItem, severity_for

from . import selectors

FOUR_WEEKS = timedelta(days=28)


def referrals_waiting_to_be_seen(person_ids: list[int], today: date):
    """Accepted referrals not yet seen (the waiting list), due by NHS England's 4-week standard
    (28 calendar days from receipt). One query for everyone, shared with the risk provider."""
    referrals = [
        r for r in selectors.accepted_referrals_for(person_ids) if selectors.is_waiting_to_be_seen(r)
    ]
    items = []
    for referral in referrals:
        due = timezone.localtime(referral.received_at + FOUR_WEEKS).date()
        items.append(
            DueItem(
                person_id=referral.person_id,
                kind="referral_waiting",
                what=f"Referral waiting to be seen ({referral.team.name}, 4-week standard)",
                due=due,
                severity=severity_for(due, today),
                url=reverse("referrals:detail", args=[referral.pk]),
            )
        )
    return items
