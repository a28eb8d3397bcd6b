"""Outcome measures recorded for a person.

One `Measure` row per completed questionnaire, whatever the measure: `code` names its definition
(`definitions/`), `answers` holds the answers as given (item key -> value, "not known" kept), and
the score columns hold what the scoring engine made of them when it was recorded, so history and
team lists never re-score. A measure is recorded complete and is then read-only, by the service
and by a database trigger; a mistake is corrected by a replacement that names the measure it
replaces and says why. Nothing here is deleted, and nothing here is a risk score.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class Timing(models.TextChoices):
    """When in the care it was done (MHSDS coded scored assessments: the reason for the assessment)."""

    BASELINE = "baseline", "Baseline (start of care)"
    REVIEW = "review", "Review"
    DISCHARGE = "discharge", "Discharge"
    OTHER = "other", "Other"


class CompletedBy(models.TextChoices):
    PERSON = "person", "The person"
    CLINICIAN = "clinician", "A clinician"
    CARER = "carer", "A carer"


class Mode(models.TextChoices):
    PAPER = "paper", "On paper, entered by staff"
    WITH_PERSON = "with_person", "With the person, entered by staff"
    SELF = "self", "By the person on a tablet or phone"


class Status(models.TextChoices):
    COMPLETED = "completed", "Completed"


class MeasureQuerySet(models.QuerySet):
    def current(self):
        """Not replaced by a correction."""
        return self.filter(replaced_by__isnull=True)

    def in_order(self):
        return self.order_by("completed_on", "recorded_at", "pk")


class Measure(models.Model):
    person = models.ForeignKey("patients.Person", on_delete=models.PROTECT, related_name="measures")
    code = models.CharField("Measure", max_length=20)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.COMPLETED)
    timing = models.CharField("When in the care", max_length=20, choices=Timing.choices)
    completed_on = models.DateField("Date completed")
    completed_by_who = models.CharField("Who completed it", max_length=20, choices=CompletedBy.choices)
    mode = models.CharField("How it was completed", max_length=20, choices=Mode.choices)
    answers = models.JSONField(default=dict, blank=True)
    details = models.JSONField(default=dict, blank=True)  # e.g. the goals' words, HoNOS scale 8 type
    total = models.DecimalField(max_digits=7, decimal_places=2, null=True, blank=True)
    raw_total = models.DecimalField(max_digits=7, decimal_places=2, null=True, blank=True)
    subscales = models.JSONField(default=dict, blank=True)
    band = models.CharField(max_length=60, blank=True)
    prorated = models.BooleanField(default=False)
    replaces = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="replaced_by"
    )
    replacement_reason = models.TextField("Why it is being corrected", blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    objects = MeasureQuerySet.as_manager()

    class Meta:
        ordering = ["completed_on", "recorded_at"]
        indexes = [models.Index(fields=["person", "code", "completed_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(replaces__isnull=True) | ~Q(replacement_reason=""),
                name="measure_replacement_has_a_reason",
            ),
        ]

    def __str__(self):
        return f"Measure {self.code} {self.pk} for person {self.person_id}"

    @property
    def definition(self):
        from .licences import any_definition

        return any_definition(self.code)

    @property
    def replacement(self):
        try:
            return self.replaced_by
        except Measure.DoesNotExist:
            return None


class SelfCompletionStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", "Being filled in"
    FINISHED = "finished", "Finished by the person"


class SelfCompletion(models.Model):
    """A questionnaire the person fills in themselves on a tablet or phone.

    Staff start it and hand the device over; the device then shows only this questionnaire (the
    session is locked, see `handover.py`) until the member of staff takes it back and enters their
    password again. Each answer is saved as it is given, so nothing is lost if the person stops;
    when the person finishes, the answers become a completed `Measure` (mode "self") and this row
    links to it."""

    person = models.ForeignKey("patients.Person", on_delete=models.PROTECT, related_name="self_completions")
    code = models.CharField("Measure", max_length=20)
    timing = models.CharField("When in the care", max_length=20, choices=Timing.choices)
    status = models.CharField(
        max_length=20, choices=SelfCompletionStatus.choices, default=SelfCompletionStatus.IN_PROGRESS
    )
    answers = models.JSONField(default=dict, blank=True)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    handed_back_at = models.DateTimeField(null=True, blank=True)
    measure = models.OneToOneField(
        Measure, on_delete=models.PROTECT, null=True, blank=True, related_name="self_completion"
    )

    class Meta:
        ordering = ["-started_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="in_progress") | Q(measure__isnull=False),
                name="finished_self_completion_has_its_measure",
            ),
        ]

    def __str__(self):
        return f"Self-completion {self.code} {self.pk} for person {self.person_id}"

    @property
    def is_finished(self):
        return self.status == SelfCompletionStatus.FINISHED
