"""Reads for the notes pages, with a fixed number of queries however many notes there are."""

from datetime import timedelta

from django.db.models import Count, Prefetch

from .models import Addendum, Note, NoteStatus

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
