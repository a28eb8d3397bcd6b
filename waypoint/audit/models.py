"""One append-only table: every view and every change of a person's data.

Database triggers (see migration 0002) refuse UPDATE and DELETE on PostgreSQL and SQLite.
No clinical free text is stored here: identifiers, record types, actions and field names only.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone


class Action(models.TextChoices):
    VIEW = "view", "Viewed"
    CREATE = "create", "Created"
    UPDATE = "update", "Changed"
    EXPORT = "export", "Exported"
    SEARCH = "search", "Searched"
    BREAK_GLASS = "break_glass", "Started emergency access"
    REVIEW = "review", "Reviewed"
    SIGN = "sign", "Signed"
    AGREE = "agree", "Recorded agreement"
    SHARE = "share", "Shared"
    PRINT = "print", "Printed"
    ENTERED_IN_ERROR = "entered_in_error", "Marked entered in error"
    COMPLETE = "complete", "Completed"
    TRANSFER = "transfer", "Transfer"
    DISCHARGE = "discharge", "Discharged"
    # Staff accounts (no person): roles, two-person grants and sessions.
    GRANT = "grant", "Gave"
    REVOKE = "revoke", "Removed"
    APPROVE = "approve", "Approved"
    REFUSE = "refuse", "Refused"
    END_SESSIONS = "end_sessions", "Ended the sessions of"


class Basis(models.TextChoices):
    """Why the member of staff could see the person's record."""

    TEAM = "team", "Team relationship"
    REFERRAL = "referral", "Open referral"
    EPISODE = "episode", "Open episode of care"
    ALLOCATION = "allocation", "Allocation"
    TRANSFER = "transfer", "Transfer in progress"
    TASK = "task", "Delegated task"
    DUTY = "duty", "Duty worker"
    BREAK_GLASS = "break_glass", "Emergency access (break-glass)"
    PRIVACY_REVIEW = "privacy_review", "Privacy review"
    REGISTRATION = "registration", "Registered the person"
    NONE = "none", "No access to a record"


class AuditEventQuerySet(models.QuerySet):
    def for_person(self, person):
        return self.filter(person=person).select_related("user").order_by("-occurred_at", "-id")


class AuditEvent(models.Model):
    occurred_at = models.DateTimeField(default=timezone.now, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True)
    person = models.ForeignKey("patients.Person", on_delete=models.PROTECT, related_name="+", null=True)
    record_type = models.CharField(max_length=60)
    record_id = models.CharField(max_length=40, blank=True)
    action = models.CharField(max_length=20, choices=Action.choices)
    basis = models.CharField(max_length=20, choices=Basis.choices)
    break_glass_reason = models.TextField(blank=True)
    fields_changed = models.JSONField(default=list, blank=True)
    path = models.CharField(max_length=300, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [models.Index(fields=["person", "occurred_at"])]

    def __str__(self):
        return f"{self.user_id} {self.action} {self.record_type} {self.record_id}"
