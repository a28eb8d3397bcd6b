"""What is due from episodes: a transfer waiting for the receiving team's decision."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from waypoint.worklist.registry import DueItem, severity_for

# Local convention: the receiving team should decide within a week of the request.
TRANSFER_DECISION_DAYS = 7


def transfers_awaiting_decision(person_ids, today):
    """One query for any number of people."""
    from .selectors import pending_transfers_for

    items = []
    for transfer in pending_transfers_for(person_ids):
        due = timezone.localtime(transfer.requested_at).date() + timedelta(days=TRANSFER_DECISION_DAYS)
        items.append(
            DueItem(
                person_id=transfer.person_id,
                kind="transfer_decision",
                what=f"Transfer to {transfer.to_team.name} awaiting their decision",
                due=due,
                severity=severity_for(due, today, soon_days=TRANSFER_DECISION_DAYS),
                url=reverse("episodes:episode", args=[transfer.person_id, transfer.from_episode_id]),
            )
        )
    return items
