"""Contemporaneous clinical notes: a draft by its author, then signed and read-only for ever.

Corrections are addenda (signed on save); a signed note can be marked entered in error with a
reason and stays visible. Nothing here is ever deleted. Migration 0002 adds database triggers
that refuse any DELETE and any change to what a signed note says, on PostgreSQL and SQLite.
"""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

# A note signed more than this long after the event it records is shown as "Recorded late".
RECORDED_LATE_AFTER = timedelta(hours=24)


class NoteType(models.TextChoices):
    CONTACT = "contact", "Contact note"
    HOME_VISIT = "home_visit", "Home visit"
    TELEPHONE = "telephone", "Telephone call"
    MDT = "mdt", "MDT discussion"
    DUTY = "duty", "Duty note"
    OTHER = "other", "Other"


class NoteStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SIGNED = "signed", "Signed"


class NoteQuerySet(models.QuerySet):
    def signed(self):
        return self.filter(status=NoteStatus.SIGNED)

    def drafts(self):
        return self.filter(status=NoteStatus.DRAFT)

    def visible_to_author(self, user):
        """Signed notes, and the drafts this user is writing (nobody else's drafts)."""
        return self.filter(visible_to_author(user))


def visible_to_author(user) -> Q:
    """Signed notes, and the drafts this user is writing: `open_record(..., where=...)` uses it too."""
    return Q(status=NoteStatus.SIGNED) | Q(status=NoteStatus.DRAFT, author=user)


class Note(models.Model):
    person = models.ForeignKey("patients.Person", on_delete=models.PROTECT, related_name="notes")
    team = models.ForeignKey(
        "accounts.Team", on_delete=models.PROTECT, null=True, blank=True, related_name="notes"
    )
    note_type = models.CharField("Type of note", max_length=20, choices=NoteType.choices)
    event_at = models.DateTimeField("Date and time of the event", default=timezone.now)
    text = models.TextField("Note", blank=True)
    # The care contact (contacts app) this note is about, if any: set when the draft is started from
    # the contact's page, always a contact of the same person (checked in services.start_note).
    contact = models.ForeignKey(
        "contacts.Contact", on_delete=models.PROTECT, null=True, blank=True, related_name="notes"
    )
    status = models.CharField(max_length=10, choices=NoteStatus.choices, default=NoteStatus.DRAFT)
    version = models.PositiveIntegerField(default=1)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="notes_written"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    signed_at = models.DateTimeField(null=True, blank=True)
    recorded_late = models.BooleanField(default=False)
    entered_in_error_at = models.DateTimeField(null=True, blank=True)
    entered_in_error_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    entered_in_error_reason = models.TextField(blank=True)

    objects = NoteQuerySet.as_manager()

    class Meta:
        ordering = ["-event_at", "-id"]
        indexes = [
            models.Index(fields=["person", "status", "event_at"]),
            models.Index(fields=["status", "created_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="draft", signed_at__isnull=True, signed_by__isnull=True)
                | Q(status="signed", signed_at__isnull=False, signed_by__isnull=False),
                name="note_signed_has_signer_and_time",
            ),
            models.CheckConstraint(
                condition=Q(entered_in_error_at__isnull=True) | Q(status="signed"),
                name="note_only_signed_can_be_entered_in_error",
            ),
        ]

    def __str__(self):
        return f"{self.get_note_type_display()} note {self.pk} for person {self.person_id}"

    @property
    def is_draft(self):
        return self.status == NoteStatus.DRAFT

    @property
    def is_signed(self):
        return self.status == NoteStatus.SIGNED

    @property
    def is_entered_in_error(self):
        return self.entered_in_error_at is not None

    @property
    def countersignature_or_none(self):
        """The note's countersignature (awaited or given), or None when it needs none."""
        try:
            return self.countersignature
        except Countersignature.DoesNotExist:
            return None

    @property
    def awaiting_countersignature(self) -> bool:
        request = self.countersignature_or_none
        return request is not None and request.is_pending

    @staticmethod
    def is_late(event_at, signed_at) -> bool:
        return signed_at - event_at > RECORDED_LATE_AFTER


class Addendum(models.Model):
    """A later addition to a signed note: signed by its author when saved, read-only from then on."""

    note = models.ForeignKey(Note, on_delete=models.PROTECT, related_name="addenda")
    text = models.TextField("Addendum")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    signed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["signed_at", "id"]
        verbose_name_plural = "addenda"

    def __str__(self):
        return f"Addendum {self.pk} to note {self.note_id}"


class Countersignature(models.Model):
    """A note signed by someone whose roles may not sign alone (`permissions.sign_note_alone`:
    students and support workers by default) waits here for their supervisor's countersignature.

    Made when the note is signed; `countersigned_at` is set once and never cleared, so the note is
    shown "Awaiting countersignature" until then. Never deleted."""

    note = models.OneToOneField(Note, on_delete=models.PROTECT, related_name="countersignature")
    requested_at = models.DateTimeField(default=timezone.now)
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The writer's supervisor when the note was signed; none known: the team's manager",
    )
    countersigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    countersigned_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["countersigned_at", "supervisor"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(countersigned_at__isnull=True, countersigned_by__isnull=True)
                | Q(countersigned_at__isnull=False, countersigned_by__isnull=False),
                name="countersignature_has_signer_and_time",
            )
        ]

    def __str__(self):
        return f"Countersignature of note {self.note_id}"

    @property
    def is_pending(self):
        return self.countersigned_at is None
