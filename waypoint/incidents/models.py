"""Incidents: what happened, where and when, the category, the degree of harm (as in the national
Learn from Patient Safety Events service, LFPSE), who was involved, what was done straight away and
who reported it. Anyone may report; the team manager reviews (findings, actions with owners and
dates, lessons) and closes. Moderate harm or worse prompts the statutory duty of candour (Health
and Social Care Act 2008 (Regulated Activities) Regulations 2014, regulation 20): the person told
in person and in writing, with the dates.

Never deleted: corrections are addenda; an incident reported by mistake is marked entered in error
with the reason.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class Category(models.TextChoices):
    SELF_HARM = "self_harm", "Self-harm"
    VIOLENCE = "violence", "Violence or aggression"
    FALL = "fall", "Fall"
    MEDICATION = "medication", "Medication (including a missed depot)"
    CARE = "care", "Treatment, care or monitoring"
    ACCESS = "access", "Access, admission, transfer or discharge"
    MISSING = "missing", "Missing person or absconding"
    INFORMATION = "information", "Information governance or data breach"
    ENVIRONMENT = "environment", "Environment, equipment or building"
    DEATH = "death", "Unexpected death"
    OTHER = "other", "Other"


class Harm(models.TextChoices):
    """LFPSE degrees of physical harm, least first."""

    NONE = "none", "No harm"
    LOW = "low", "Low harm"
    MODERATE = "moderate", "Moderate harm"
    SEVERE = "severe", "Severe harm"
    DEATH = "death", "Death"


CANDOUR_HARMS = {Harm.MODERATE, Harm.SEVERE, Harm.DEATH}


class Status(models.TextChoices):
    REPORTED = "reported", "Reported"
    REVIEWED = "reviewed", "Reviewed"
    CLOSED = "closed", "Closed"


class InvolvedRole(models.TextChoices):
    AFFECTED = "affected", "Affected"
    WITNESS = "witness", "Witness"
    OTHER = "other", "Involved in another way"


class IncidentQuerySet(models.QuerySet):
    def current(self):
        return self.filter(entered_in_error_at__isnull=True)

    def not_reviewed(self):
        return self.current().filter(status=Status.REPORTED)


class Incident(models.Model):
    team = models.ForeignKey("accounts.Team", on_delete=models.PROTECT, related_name="+")
    occurred_at = models.DateTimeField("When it happened")
    location = models.CharField("Where it happened", max_length=200)
    category = models.CharField("Category", max_length=20, choices=Category.choices)
    harm = models.CharField("Degree of harm", max_length=10, choices=Harm.choices)
    what_happened = models.TextField("What happened")
    immediate_actions = models.TextField("What was done straight away")
    staff_involved = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="+", verbose_name="Staff involved"
    )
    others_involved = models.TextField("Anyone else involved", blank=True)
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reported_at = models.DateTimeField(default=timezone.now)

    status = models.CharField(max_length=10, choices=Status.choices, default=Status.REPORTED)
    findings = models.TextField("Findings", blank=True)
    lessons = models.TextField("Lessons learned", blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)

    # Duty of candour (moderate harm or worse).
    candour_in_person_on = models.DateField("Date told in person", null=True, blank=True)
    candour_in_writing_on = models.DateField("Date told in writing", null=True, blank=True)
    candour_notes = models.TextField("Notes on the duty of candour", blank=True)

    entered_in_error_reason = models.TextField(blank=True)
    entered_in_error_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    entered_in_error_at = models.DateTimeField(null=True, blank=True)

    version = models.PositiveIntegerField(default=1)

    objects = IncidentQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [models.Index(fields=["team", "status"]), models.Index(fields=["reported_by"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="reported") | Q(reviewed_by__isnull=False),
                name="incident_reviewed_by_someone",
            ),
            models.CheckConstraint(
                condition=Q(entered_in_error_at__isnull=True) | ~Q(entered_in_error_reason=""),
                name="incident_entered_in_error_has_reason",
            ),
        ]

    def __str__(self):
        return f"Incident {self.reference}"

    @property
    def reference(self) -> str:
        return f"INC-{self.pk:06d}" if self.pk else "INC-new"

    @property
    def candour_required(self) -> bool:
        return self.harm in CANDOUR_HARMS

    @property
    def candour_done(self) -> bool:
        return bool(self.candour_in_person_on and self.candour_in_writing_on)

    @property
    def entered_in_error(self) -> bool:
        return self.entered_in_error_at is not None

    @property
    def is_closed(self) -> bool:
        return self.status == Status.CLOSED


class IncidentPerson(models.Model):
    """A person on Waypoint involved in the incident (found by NHS number)."""

    incident = models.ForeignKey(Incident, on_delete=models.PROTECT, related_name="people")
    person = models.ForeignKey("patients.Person", on_delete=models.PROTECT, related_name="incident_links")
    role = models.CharField("How they were involved", max_length=10, choices=InvolvedRole.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["incident", "person"], name="incident_person_once")]

    def __str__(self):
        return f"Person {self.person_id} in incident {self.incident_id}"


class IncidentAction(models.Model):
    """An action from the review, with its owner and date. Never changed or deleted.

    When the incident names a person on Waypoint, the action is also a delegated task about that
    person (`task`, made by `tasks.services.delegate_task` in the same step): it is in the owner's
    My tasks, and on the person's worklist once it is overdue. Its progress is the task's."""

    incident = models.ForeignKey(Incident, on_delete=models.PROTECT, related_name="actions")
    what = models.TextField("Action")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    due_on = models.DateField("Due by")
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(default=timezone.now)
    task = models.OneToOneField(
        "tasks.Task", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["due_on", "id"]

    def __str__(self):
        return f"Action {self.pk} on incident {self.incident_id}"


class IncidentAddendum(models.Model):
    incident = models.ForeignKey(Incident, on_delete=models.PROTECT, related_name="addenda")
    text = models.TextField("Addendum")
    written_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    written_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["written_at", "id"]
        verbose_name_plural = "incident addenda"

    def __str__(self):
        return f"Addendum to incident {self.incident_id}"
