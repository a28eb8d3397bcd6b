"""Writes to clinical notes. Each operation is atomic, takes the acting user, and audits.

Rules (domain section 4): a draft is changed only by its author, with a version number; a signed
note never changes (the database refuses it too, see migration 0002); corrections are addenda;
"entered in error" keeps the note and its text, with the reason. Nothing is deleted.
"""

from copy import copy

from django.db import transaction
from django.utils import timezone

from waypoint.access.actor import Actor
from waypoint.access.selectors import current_supervisor
from waypoint.accounts import permissions
from waypoint.accounts.models import RoleCode
from waypoint.accounts.permissions import Do
from waypoint.audit import services as audit
from waypoint.audit.models import Action, RecordType

from .models import Addendum, Countersignature, Note, NoteStatus, NoteType
from .templates_text import template_for

DRAFT_FIELDS = ("note_type", "event_at", "text")


class NoteError(Exception):
    """An operation the rules do not allow; the message is plain English for the page."""


class NotYourDraft(NoteError):
    def __init__(self):
        super().__init__("Only the person who started this draft can change it.")


class AlreadySigned(NoteError):
    def __init__(self):
        super().__init__(
            "This note has been signed, so it can no longer be changed. Your text has not been saved: it "
            "is still below. To correct or add to a signed note, add an addendum."
        )


class StaleEdit(NoteError):
    """The draft was saved somewhere else (another tab or window) after this form was opened."""

    def __init__(self, current_version: int):
        super().__init__(
            "This draft was saved in another window or tab after you opened this page. Your text has not "
            "been saved: it is still below. Copy anything you need, then open the draft again."
        )
        self.current_version = current_version


def _locked_draft(user, note: Note, version: int | None, data: dict) -> Note:
    """The draft, locked for this save. An out-of-date version is refused only when the save would
    change something: the page's autosave may already have saved the very same text a moment before
    "Save draft" or "Sign note" was pressed (the change event fires as the button takes the focus)."""
    current = Note.objects.select_for_update().get(pk=note.pk)
    if current.status != NoteStatus.DRAFT:
        raise AlreadySigned()
    if current.author_id != user.pk:
        raise NotYourDraft()
    if version is not None and current.version != version and _apply(copy(current), data):
        raise StaleEdit(current.version)
    return current


def _to_the_minute(moment):
    return moment.replace(second=0, microsecond=0)


def _with_headings_for_a_new_type(current: Note, data: dict) -> dict:
    """A new type chosen while the text is still only the old type's headings (or empty): use the
    new type's headings instead. Anything the author has written is never replaced."""
    new_type = data.get("note_type")
    if not new_type or new_type == current.note_type:
        return data
    submitted = data.get("text", current.text) or ""
    if submitted.strip() not in ("", template_for(current.note_type).strip()):
        return data
    return {**data, "text": template_for(new_type)}


def _apply(current: Note, data: dict) -> list[str]:
    """Copy the draft fields given; the event time is typed to the minute, so compare it to the minute."""
    changed = []
    for name in DRAFT_FIELDS:
        value = data.get(name)
        if value is None:
            continue
        old = getattr(current, name)
        if name == "event_at" and _to_the_minute(old) == _to_the_minute(value):
            continue
        if old != value:
            setattr(current, name, value)
            changed.append(name)
    return changed


class NotThisPersonsContact(NoteError):
    def __init__(self):
        super().__init__("A note can only be about a contact with the same person.")


def note_type_for_contact(contact) -> str:
    """The kind of note a contact suggests: a face-to-face contact at home is a home visit, a
    telephone contact a telephone call, anything else a contact note."""
    from waypoint.contacts.models import LocationType, Mechanism

    if contact.mechanism == Mechanism.TELEPHONE:
        return NoteType.TELEPHONE
    if contact.mechanism == Mechanism.FACE_TO_FACE and contact.location_type == LocationType.HOME:
        return NoteType.HOME_VISIT
    return NoteType.CONTACT


@transaction.atomic
def start_note(*, by: Actor, person, note_type: str, team=None, event_at=None, contact=None) -> Note:
    """Start a draft of this type, its text prefilled with the headings for the type.

    `contact`: the care contact the note is about (same person only); the event time is then the
    contact's date and start time unless `event_at` is given."""
    permissions.require(by, Do.WRITE_NOTE)
    user = by.user
    if contact is not None and contact.person_id != person.pk:
        raise NotThisPersonsContact()
    now = timezone.now()
    if event_at is None and contact is not None:
        event_at = contact.occurred_at
    note = Note.objects.create(
        person=person,
        team=team or user.primary_team(),
        note_type=note_type,
        event_at=_to_the_minute(event_at or now),
        text=template_for(note_type),
        contact=contact,
        author=user,
        created_at=now,
        updated_at=now,
    )
    audit.write(
        by,
        person=person,
        action=Action.CREATE,
        record_type=RecordType.NOTE,
        record_id=note.pk,
        fields_changed=["note_type", "event_at", "text"] + (["contact"] if contact is not None else []),
    )
    return note


@transaction.atomic
def save_draft(*, by: Actor, note: Note, data: dict, version: int | None) -> tuple[Note, list]:
    """Save the author's draft. Returns the note and the names of the fields that changed.

    Nothing changed: nothing written, nothing audited, the version stays (autosave sends often).
    """
    permissions.require(by, Do.WRITE_NOTE)
    user = by.user
    current = _locked_draft(user, note, version, data)
    changed = _apply(current, _with_headings_for_a_new_type(current, data))
    if not changed:
        return current, []
    current.version += 1
    current.updated_at = timezone.now()
    current.save()
    audit.write(
        by,
        person=current.person,
        action=Action.UPDATE,
        record_type=RecordType.NOTE,
        record_id=current.pk,
        fields_changed=changed,
    )
    return current, changed


@transaction.atomic
def sign_note(*, by: Actor, note: Note, data: dict, version: int | None) -> Note:
    """Save the author's last changes and sign: the note is read-only from now on."""
    permissions.require(by, Do.WRITE_NOTE)
    user = by.user
    current = _locked_draft(user, note, version, data)
    if not (data.get("text", current.text) or "").strip():
        raise NoteError("Write the note before signing it.")
    changed = _apply(current, data)
    now = timezone.now()
    current.status = NoteStatus.SIGNED
    current.signed_by = user
    current.signed_at = now
    current.recorded_late = Note.is_late(current.event_at, now)
    current.version += 1
    current.updated_at = now
    current.save()
    audit.write(
        by,
        person=current.person,
        action=Action.SIGN,
        record_type=RecordType.NOTE,
        record_id=current.pk,
        fields_changed=sorted({*changed, "status", "signed_at", "signed_by"}),
    )
    if not permissions.may(user, Do.SIGN_NOTE_ALONE):
        request = Countersignature.objects.create(
            note=current, requested_at=now, supervisor=current_supervisor(user)
        )
        audit.write(
            by,
            person=current.person,
            action=Action.CREATE,
            record_type=RecordType.NOTE_COUNTERSIGNATURE,
            record_id=request.pk,
            fields_changed=["note", "supervisor"],
        )
    return current


def may_countersign(user, countersignature) -> bool:
    """The writer's supervisor, or a manager of the note's team (when the supervisor is away or
    none was known), may countersign; never the writer, and only while it is awaited."""
    if (
        countersignature is None
        or not countersignature.is_pending
        or not permissions.may(user, Do.COUNTERSIGN_NOTE)
    ):
        return False
    note = countersignature.note
    if note.author_id == user.pk:
        return False
    if countersignature.supervisor_id == user.pk:
        return True
    return (
        user.has_role(RoleCode.TEAM_MANAGER)
        and note.team_id is not None
        and note.team_id in user.current_team_ids()
    )


@transaction.atomic
def countersign_note(*, by: Actor, note: Note) -> Countersignature:
    """Countersign a signed note that awaits it. The note itself never changes."""
    permissions.require(by, Do.COUNTERSIGN_NOTE)
    current = (
        Countersignature.objects.select_for_update().select_related("note").filter(note_id=note.pk).first()
    )
    if current is None or not current.is_pending:
        raise NoteError("This note does not need countersigning, or it has been countersigned already.")
    if not may_countersign(by.user, current):
        raise NoteError(
            "Only the writer's supervisor, or a manager of the note's team, can countersign this note."
        )
    current.countersigned_by = by.user
    current.countersigned_at = timezone.now()
    current.save(update_fields=["countersigned_by", "countersigned_at"])
    audit.write(
        by,
        person=current.note.person,
        action=Action.COUNTERSIGN,
        record_type=RecordType.NOTE_COUNTERSIGNATURE,
        record_id=current.pk,
        fields_changed=["countersigned_by", "countersigned_at"],
    )
    return current


@transaction.atomic
def add_addendum(*, by: Actor, note: Note, text: str) -> Addendum:
    """Add to a signed note. The addendum is signed by its author as it is saved."""
    permissions.require(by, Do.WRITE_NOTE)
    user = by.user
    current = Note.objects.select_for_update().get(pk=note.pk)
    if current.status != NoteStatus.SIGNED:
        raise NoteError("Only a signed note can have an addendum. Change the draft instead.")
    if current.entered_in_error_at is not None:
        raise NoteError("This note was marked entered in error, so it cannot have an addendum.")
    if not text.strip():
        raise NoteError("Write the addendum")
    addendum = Addendum.objects.create(note=current, text=text, author=user, signed_at=timezone.now())
    audit.write(
        by,
        person=current.person,
        action=Action.CREATE,
        record_type=RecordType.NOTE_ADDENDUM,
        record_id=addendum.pk,
        fields_changed=["text"],
    )
    return addendum


@transaction.atomic
def mark_entered_in_error(*, by: Actor, note: Note, reason: str) -> Note:
    """Mark a signed note entered in error. It stays on the record, struck through, with the reason."""
    permissions.require(by, Do.WRITE_NOTE)
    user = by.user
    current = Note.objects.select_for_update().get(pk=note.pk)
    if current.status != NoteStatus.SIGNED:
        raise NoteError("Only a signed note can be marked entered in error. A draft can still be changed.")
    if current.entered_in_error_at is not None:
        raise NoteError("This note has already been marked entered in error.")
    if current.signed_by_id != user.pk:
        raise NoteError("Only the person who signed this note can mark it entered in error.")
    if not reason.strip():
        raise NoteError("Give the reason the note was entered in error")
    current.entered_in_error_at = timezone.now()
    current.entered_in_error_by = user
    current.entered_in_error_reason = reason
    current.save(update_fields=["entered_in_error_at", "entered_in_error_by", "entered_in_error_reason"])
    audit.write(
        by,
        person=current.person,
        action=Action.ENTERED_IN_ERROR,
        record_type=RecordType.NOTE,
        record_id=current.pk,
        fields_changed=["entered_in_error_at", "entered_in_error_by", "entered_in_error_reason"],
    )
    return current
