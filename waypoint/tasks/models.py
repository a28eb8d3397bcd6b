"""Delegated tasks: a care coordinator asks a support worker, student or colleague to do something
for a person, by a date. Completion (with a note) and cancellation (with a reason) are kept for good:
a task is never deleted, and a closed task cannot be changed."""

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

# Who may delegate a task and who may be given one: the permission table (`accounts/permissions.py`,
# `delegate_task` and `hold_task`; a Band 5 nurse holds the care coordinator role in Waypoint).


class TaskStatus(models.TextChoices):
    OPEN = "open", "Open"
    DONE = "done", "Done"
    CANCELLED = "cancelled", "Cancelled"


class TaskQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status=TaskStatus.OPEN)

    def overdue(self, today: date | None = None):
        return self.open().filter(due_on__lt=today or timezone.localdate())

    def closed(self):
        return self.exclude(status=TaskStatus.OPEN)

    def with_people(self):
        return self.select_related("person", "assigned_to", "assigned_by", "team")


class Task(models.Model):
    person = models.ForeignKey("patients.Person", on_delete=models.PROTECT, related_name="delegated_tasks")
    team = models.ForeignKey("accounts.Team", on_delete=models.PROTECT, related_name="delegated_tasks")
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="tasks_assigned"
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="tasks_delegated"
    )
    what = models.CharField("What needs doing", max_length=200)
    why = models.TextField("Why")
    due_on = models.DateField("Due by")
    # Which care plan intervention this comes from, as words ("Care plan, need 1: ...; intervention:
    # ..."), and the plan itself when the task was delegated from the plan's page (same person only).
    source_description = models.CharField(
        "From care plan intervention", max_length=300, null=True, blank=True
    )
    plan = models.ForeignKey(
        "plans.Plan", on_delete=models.PROTECT, null=True, blank=True, related_name="delegated_tasks"
    )
    created_at = models.DateTimeField(default=timezone.now)

    status = models.CharField(max_length=20, choices=TaskStatus.choices, default=TaskStatus.OPEN)
    completed_at = models.DateTimeField(null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    completion_note = models.TextField("What was done", blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    cancellation_reason = models.TextField("Why it is cancelled", blank=True)
    version = models.PositiveIntegerField(default=1)

    objects = TaskQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "pk"]
        indexes = [
            models.Index(fields=["assigned_to", "status", "due_on"]),
            models.Index(fields=["assigned_by", "status", "due_on"]),
            models.Index(fields=["person", "status"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="done") | (Q(completed_at__isnull=False) & ~Q(completion_note="")),
                name="task_done_needs_note",
            ),
            models.CheckConstraint(
                condition=~Q(status="cancelled")
                | (Q(cancelled_at__isnull=False) & ~Q(cancellation_reason="")),
                name="task_cancelled_needs_reason",
            ),
        ]

    def __str__(self):
        return f"Task {self.pk} for person {self.person_id}"

    @property
    def is_open(self):
        return self.status == TaskStatus.OPEN

    def is_overdue(self, today: date | None = None) -> bool:
        return self.is_open and self.due_on < (today or timezone.localdate())

    @property
    def closed_at(self):
        return self.completed_at or self.cancelled_at
