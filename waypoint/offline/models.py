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
