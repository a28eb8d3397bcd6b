"""What the phone sent when it came back online: one receipt per item, keyed by the id the phone
gave it, so sending the same item again never records it twice (docs/offline.md)."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class ItemKind(models.TextChoices):
    CONTACT = "contact", "Contact (what happened at the visit)"
    NOTE = "note", "Note draft"
    SHOWN = "shown", "Visit shown on the phone offline"


class Outcome(models.TextChoices):
    SAVED = "saved", "Saved"
    CONFLICT = "conflict", "Someone else had already recorded the visit"


class SyncReceipt(models.Model):
    client_id = models.UUIDField(unique=True, help_text="The id the phone gave the item")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=10, choices=ItemKind.choices)
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    person = models.ForeignKey("patients.Person", on_delete=models.PROTECT, related_name="+")
    appointment = models.ForeignKey("contacts.Appointment", on_delete=models.PROTECT, related_name="+")
    contact = models.ForeignKey(
        "contacts.Contact",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The contact recorded, or (a conflict) the one someone else recorded first",
    )
    note = models.ForeignKey("notes.Note", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    happened_at = models.DateTimeField(help_text="When the worker recorded it, or was shown it, on the phone")
    received_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["received_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(kind__in=ItemKind.values), name="sync_receipt_kind"),
            models.CheckConstraint(
                condition=models.Q(outcome__in=Outcome.values), name="sync_receipt_outcome"
            ),
        ]

    def __str__(self):
        return f"{self.kind} {self.client_id} ({self.outcome})"


class HeldKey(models.Model):
    """A worker's offline key, kept for them alone until its own expiry (the session's maximum age).

    The phone forgets the key when its browser session ends and keeps only the ciphertext of what
    was not sent yet; when the same worker signs in again before the expiry, the page is handed
    their held keys and moves those items to the new session's key. Never handed to anyone else;
    deleted when the worker signs out, not handed out once expired or once the worker's sessions
    have been ended (a new session generation). docs/offline.md, "Held keys"; ADR 0020.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key_id = models.CharField(max_length=32, unique=True)
    key = models.CharField(max_length=64, help_text="The raw key, base64url, as the session has it")
    session_generation = models.PositiveIntegerField(
        help_text="The user's session generation when the key was made: after end_sessions it is not handed out"
    )
    expires_at = models.DateTimeField(db_index=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"held key {self.key_id}"
