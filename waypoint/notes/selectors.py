"""Reads for the notes pages, with a fixed number of queries however many notes there are."""

from datetime import timedelta

from django.db.models import Count, Prefetch

from waypoint.access.policy import open_record
from waypoint.audit.models import RecordType

from .models import Addendum, Note, NoteStatus, visible_to_author

DRAFT_OVERDUE_AFTER = timedelta(hours=24)


def _with_people(queryset):
    return (
        queryset.select_related("author", "signed_by", "entered_in_error_by", "contact")
        .annotate(addendum_count=Count("addenda"))
        .order_by("-event_at", "-id")
    )  # Meta.ordering is dropped from aggregate (GROUP BY) queries


def notes_for(person, user):
    """The person's signed notes and this user's drafts, newest event first, with their addenda."""
    return _with_people(Note.objects.filter(person=person).visible_to_author(user)).prefetch_related(
        Prefetch("addenda", queryset=Addendum.objects.select_related("author"))
    )


def latest_signed_notes(person, count=3):
    return list(_with_people(Note.objects.filter(person=person).signed())[:count])


def note_of(person, note_id, user):
    """One note of this person that the user may see (signed, or their own draft), or None."""
    return (
        _with_people(Note.objects.filter(person=person, pk=note_id).visible_to_author(user))
        .prefetch_related(Prefetch("addenda", queryset=Addendum.objects.select_related("author")))
        .first()
    )


def notes_about_contact(contact, user):
    """The signed notes about this contact, and this user's drafts about it, newest event first."""
    return list(_with_people(Note.objects.filter(contact=contact).visible_to_author(user)))


def person_id_of_note(note_id):
    return Note.objects.filter(pk=note_id).values_list("person_id", flat=True).first()


def drafts_older_than_a_day(person_ids, now):
    return (
        Note.objects.filter(
            person_id__in=person_ids, status=NoteStatus.DRAFT, created_at__lt=now - DRAFT_OVERDUE_AFTER
        )
        .select_related("author")
        .order_by("created_at")
    )


def note_for_page(request, person_id, note_id):
    """Open the note through the access policy, then read it with its people and addenda.

    `open_record` answers 404 unless the note is this person's and the user may see it (signed, or
    their own draft), before anything is audited, so another author's draft leaves no audit row;
    then it writes the one audit row. Returns (RecordAccess, Note).
    """
    opened = open_record(
        request,
        person_id,
        model=Note,
        record_id=note_id,
        where=visible_to_author(request.user),
        record_type=RecordType.NOTE,
    )
    return opened, note_of(opened.person, note_id, request.user)
