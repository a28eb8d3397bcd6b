"""What is due from notes: drafts left unsigned for more than 24 hours, by their author."""

from django.urls import reverse
from django.utils import timezone

from waypoint.worklist.registry import DueItem, Severity

from .selectors import DRAFT_OVERDUE_AFTER, drafts_older_or_awaiting_countersignature

KIND = "unsigned_draft_note"
COUNTERSIGN_KIND = "note_awaiting_countersignature"


def unsigned_draft_notes(person_ids, today):
    """One item per draft note started more than 24 hours ago and not yet signed, and one per
    signed note still waiting for its writer's supervisor to countersign (one query for both, so
    the record overview's query budget does not grow)."""
    for note in drafts_older_or_awaiting_countersignature(person_ids, timezone.now()):
        if note.is_signed:
            yield DueItem(
                person_id=note.person_id,
                kind=COUNTERSIGN_KIND,
                what=f"Note by {note.author.display_name} awaiting countersignature",
                due=timezone.localtime(note.signed_at).date(),
                severity=Severity.DUE_SOON,
                url=reverse("notes:detail", args=[note.person_id, note.pk]),
            )
            continue
        yield DueItem(
            person_id=note.person_id,
            kind=KIND,
            what=f"Unsigned draft note by {note.author.display_name}",
            due=timezone.localtime(note.created_at + DRAFT_OVERDUE_AFTER).date(),
            severity=Severity.OVERDUE,
            # The notes list, not the draft: only its author may open the draft (anyone else gets 404);
            # on the list the author finds it at the top with "Continue writing".
            url=reverse("notes:list", args=[note.person_id]),
        )
