"""Synthetic clinical notes: recent signed notes for allocated people, a few addenda, one note
entered in error, and a couple of drafts by the demo care coordinator.

Rows are inserted directly (bulk_create), already signed: the database triggers on notes refuse
changes to a signed note and any delete, but inserting one is allowed.
"""

from datetime import timedelta

from django.utils import timezone

from waypoint.demo.bulk import insert
from waypoint.episodes.models import Allocation
from waypoint.notes.models import Addendum, Note, NoteStatus, NoteType
from waypoint.notes.templates_text import HEADINGS

BATCH = 500
PHRASES = {
    "Presentation": [
        "Bright in mood, good eye contact (synthetic).",
        "Tired and low, said sleep is poor (synthetic).",
    ],
    "What we discussed": [
        "Medication, routine and plans for the week (synthetic).",
        "Benefits letter and housing (synthetic).",
    ],
    "Risk discussed": [
        "Talked through the safety plan; knows who to call (synthetic).",
        "No new concerns described (synthetic).",
    ],
    "Actions agreed": [
        "I will ring the GP about a review (synthetic).",
        "They will try the walking group (synthetic).",
    ],
    "Next contact": ["Home visit next week (synthetic).", "Telephone call on Friday (synthetic)."],
    "Who called and why": [
        "Their sister, worried about missed appointments (synthetic).",
        "They rang to rearrange (synthetic).",
    ],
    "Present": ["Consultant, care coordinator, psychologist (synthetic)."],
    "Discussion": ["Progress since the last review and the care plan (synthetic)."],
    "Decisions and actions": ["Continue current plan; review medication (synthetic)."],
    "Who will do what": ["Care coordinator to update the care plan (synthetic)."],
    "Reason for contact": ["Called duty after a difficult night (synthetic)."],
    "Outcome and handover": [
        "Settled by the end of the call; handed over to the care coordinator (synthetic)."
    ],
}
TYPES = [NoteType.HOME_VISIT, NoteType.TELEPHONE, NoteType.CONTACT, NoteType.TELEPHONE, NoteType.MDT]


def _text(note_type, rng):
    headings = HEADINGS.get(note_type) or []
    if not headings:
        return "Brief note (synthetic)."
    return "\n".join(
        f"{heading}:\n{rng.choice(PHRASES.get(heading, ['Nothing to add (synthetic).']))}\n"
        for heading in headings
    )


def build_notes(*, people, staff, rng, now=None):
    now = now or timezone.now()
    person_ids = [person.pk for person in people]
    allocations = list(
        Allocation.objects.current(now)
        .filter(person_id__in=person_ids)
        .order_by("person_id", "-started_at")
        .values("person_id", "worker_id", "team_id", "started_at")
    )
    seen, notes = set(), []
    for allocation in allocations:
        if allocation["person_id"] in seen:
            continue
        seen.add(allocation["person_id"])
        earliest = max(allocation["started_at"], now - timedelta(days=60))
        span = max(int((now - earliest).total_seconds() // 3600), 2)
        for _ in range(rng.randint(1, 4)):
            event_at = (now - timedelta(hours=rng.randint(2, span))).replace(second=0, microsecond=0)
            late = rng.random() < 0.1
            signed_at = event_at + (
                timedelta(hours=rng.randint(25, 72)) if late else timedelta(minutes=rng.randint(10, 300))
            )
            signed_at = min(signed_at, now)
            note_type = rng.choice(TYPES)
            notes.append(
                Note(
                    person_id=allocation["person_id"],
                    team_id=allocation["team_id"],
                    note_type=note_type,
                    event_at=event_at,
                    text=_text(note_type, rng),
                    status=NoteStatus.SIGNED,
                    version=2,
                    author_id=allocation["worker_id"],
                    created_at=event_at,
                    updated_at=signed_at,
                    signed_by_id=allocation["worker_id"],
                    signed_at=signed_at,
                    recorded_late=Note.is_late(event_at, signed_at),
                )
            )
    if notes:
        wrong = notes[0]  # one note entered in error, kept with its reason
        wrong.entered_in_error_at = wrong.signed_at + timedelta(minutes=30)
        wrong.entered_in_error_by_id = wrong.signed_by_id
        wrong.entered_in_error_reason = "Written in the wrong person's record (synthetic)."
    notes = insert(notes)
    addenda = [
        Addendum(
            note=note,
            text="Addendum: the GP has since confirmed the medication change (synthetic).",
            author_id=note.signed_by_id,
            signed_at=min(note.signed_at + timedelta(hours=rng.randint(1, 20)), now),
        )
        for note in notes[1:]
        if rng.random() < 0.05
    ]
    insert(addenda)

    coordinator = staff["coordinator"]
    mine = [a["person_id"] for a in allocations if a["worker_id"] == coordinator.pk][:2]
    drafts = []
    for age, person_id in zip((timedelta(days=2), timedelta(hours=1)), mine, strict=False):
        started = (now - age).replace(second=0, microsecond=0)
        drafts.append(
            Note(
                person_id=person_id,
                team=coordinator.primary_team(),
                note_type=NoteType.HOME_VISIT,
                event_at=started,
                text="Presentation:\nCalm, making tea when I arrived (synthetic).\n\nRisk discussed:\n\n",
                author=coordinator,
                created_at=started,
                updated_at=started,
            )
        )
    insert(drafts)
    return {"signed": len(notes), "addenda": len(addenda), "drafts": len(drafts)}
