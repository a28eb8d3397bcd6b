"""Assessments: initial, holistic needs, carer's (Care Act 2014 s10) and mental capacity (MCA 2005).

One `Assessment` row per assessment, whatever its kind. The answers live in `answers` (a JSON
object keyed by the question names in `schema.py`); the columns hold what other pages query:
who it is about, its kind, its status, the carer, the referral, the dates.

An assessment is a *draft* (editable, with a version number) until it is *completed* (signed
off by whom and when), after which it is read-only. Every save writes an `AssessmentRevision`
with a copy of the answers, so nothing is ever lost. A completed assessment is corrected by
starting a new one that `replaces` it; the earlier one stays, marked as replaced. Nothing here
is ever deleted, and nothing here is a risk score.
"""

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class Kind(models.TextChoices):
    INITIAL = "initial", "Initial assessment"
    HOLISTIC = "holistic", "Holistic needs assessment"
    CARER = "carer", "Carer's assessment"
    CAPACITY = "capacity", "Mental capacity assessment"


# The kinds that count as the "first coded assessment" for NHS England's 4-week clock-stop.
CLOCK_STOP_KINDS = (Kind.INITIAL, Kind.HOLISTIC)

# URL slugs for "start a new assessment of this kind".
KIND_SLUGS = {
    Kind.INITIAL: "initial",
    Kind.HOLISTIC: "holistic-needs",
    Kind.CARER: "carers",
    Kind.CAPACITY: "mental-capacity",
}


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    COMPLETED = "completed", "Completed"


class CarerAssessmentState(models.TextChoices):
    """Where one carer's assessment stands, derived from its answers and status."""

    OFFERED = "offered", "Offered"
    DECLINED = "declined", "Declined"
    COMPLETED = "completed", "Completed"


class AssessmentQuerySet(models.QuerySet):
    def for_person(self, person):
        return self.filter(person=person)

    def newest_first(self):
        return self.order_by(models.F("assessed_on").desc(nulls_last=True), "-created_at", "-pk")

    def with_people(self):
        return self.select_related(
            "created_by", "updated_by", "completed_by", "carer", "replaces", "replaced_by"
        )

    def current(self):
        """Not replaced by a completed correction."""
        return self.exclude(replaced_by__status=Status.COMPLETED)


class Assessment(models.Model):
    person = models.ForeignKey("patients.Person", on_delete=models.PROTECT, related_name="assessments")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    referral = models.ForeignKey(
        "referrals.Referral", on_delete=models.PROTECT, null=True, blank=True, related_name="assessments"
    )
    carer = models.ForeignKey(
        "patients.Carer", on_delete=models.PROTECT, null=True, blank=True, related_name="assessments"
    )
    assessed_on = models.DateField("Date of assessment", null=True, blank=True)
    review_on = models.DateField("Review date", null=True, blank=True)
    answers = models.JSONField(default=dict, blank=True)
    replaces = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="replaced_by"
    )
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    completed_at = models.DateTimeField(null=True, blank=True)

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["person", "kind", "status"]),
            models.Index(fields=["carer", "kind"]),
            models.Index(fields=["kind", "status", "review_on"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="draft") | (Q(completed_at__isnull=False) & Q(completed_by__isnull=False)),
                name="assessment_completed_is_signed_off",
            ),
            models.CheckConstraint(
                condition=~Q(kind="carer") | Q(carer__isnull=False), name="carers_assessment_has_a_carer"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.pk} for person {self.person_id}"

    @property
    def is_draft(self):
        return self.status == Status.DRAFT

    @property
    def is_completed(self):
        return self.status == Status.COMPLETED

    @property
    def replacement(self):
        """The assessment started to correct this one, if any."""
        try:
            return self.replaced_by
        except Assessment.DoesNotExist:
            return None

    @property
    def is_replaced(self):
        replacement = self.replacement
        return replacement is not None and replacement.is_completed

    @property
    def carer_state(self):
        if self.kind != Kind.CARER:
            return None
        if self.answers.get("response") == "declined":
            return CarerAssessmentState.DECLINED
        if self.is_completed:
            return CarerAssessmentState.COMPLETED
        return CarerAssessmentState.OFFERED

    @property
    def declined_on(self):
        value = (self.answers or {}).get("declined_on")
        try:
            return date.fromisoformat(value) if value else None
        except (TypeError, ValueError):
            return None

    @property
    def capacity_outcome(self):
        if self.kind != Kind.CAPACITY:
            return None
        from .schema import capacity_outcome

        return capacity_outcome(self.answers)


class AssessmentRevision(models.Model):
    """A copy of an assessment as it was saved. One per save; never changed or deleted."""

    assessment = models.ForeignKey(Assessment, on_delete=models.PROTECT, related_name="revisions")
    number = models.PositiveIntegerField()
    status = models.CharField(max_length=20, choices=Status.choices)
    assessed_on = models.DateField(null=True, blank=True)
    review_on = models.DateField(null=True, blank=True)
    referral_id_at_save = models.PositiveIntegerField(null=True, blank=True)
    answers = models.JSONField(default=dict, blank=True)
    saved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    saved_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "number"], name="one_revision_per_version"),
        ]

    def __str__(self):
        return f"Revision {self.number} of assessment {self.assessment_id}"

    @property
    def kind(self):
        return self.assessment.kind

    @property
    def capacity_outcome(self):
        if self.assessment.kind != Kind.CAPACITY:
            return None
        from .schema import capacity_outcome

        return capacity_outcome(self.answers)
