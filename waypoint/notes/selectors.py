"""Reads for the notes pages, with a fixed number of queries however many notes there are."""

from datetime import timedelta

from django.db.models import Count, Prefetch

from waypoint.access.policy import open_record
from waypoint.audit.models import RecordType

from .models import Addendum, Countersignature, Note, NoteStatus, visible_to_author

DRAFT_OVERDUE_AFTER = timedelta(hours=24)


def _with_people(queryset):
    return (
        queryset.select_related(
            "author",
            "signed_by",
            "entered_in_error_by",
            "contact",
            "countersignature__supervisor",
            "countersignature__countersigned_by",
        )
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


def drafts_older_or_awaiting_countersignature(person_ids, now):
    """Drafts started more than a day ago, and signed notes still waiting for countersignature,
    of these people (one query: the worklist's notes provider)."""
    from django.db.models import Q

    return (
        Note.objects.filter(person_id__in=person_ids)
        .filter(
            Q(status=NoteStatus.DRAFT, created_at__lt=now - DRAFT_OVERDUE_AFTER)
            | Q(
                status=NoteStatus.SIGNED,
                countersignature__isnull=False,
                countersignature__countersigned_at__isnull=True,
            )
        )
        .select_related("author")
        .order_by("created_at")
    )


def to_countersign_by(user):
    """The countersignatures this user is waiting on: as the writer's supervisor, or as a manager of
    the note's team when the writer had no supervisor. Only of people the user may see."""
    from django.db.models import Q

    from waypoint.patients.models import Person

    mine = Q(supervisor=user)
    if user.has_role("team_manager"):
        mine |= Q(supervisor__isnull=True, note__team_id__in=user.current_team_ids())
    return (
        Countersignature.objects.filter(mine, countersigned_at__isnull=True)
        .filter(note__person__in=Person.objects.visible_to(user))
        .exclude(note__author=user)
        .select_related("note__author", "note__person")
        .order_by("requested_at")
    )
