"""Care plan and CPA reviews (MHSDS MHS702 Care Programme Approach review).

A review is scheduled for a date, then recorded once it has been held: the date, who attended
(the person, their carers, MDT members, anyone else), what changed, the outcome and the next
review date. A recorded review is a clinical record: it is never changed or deleted afterwards.
Corrections and later information are added as addenda (`ReviewAddendum`), or by recording a
new review.
"""

import calendar
import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

DEFAULT_INTERVAL_MONTHS = 12


class ReviewType(models.TextChoices):
    CPA = "cpa", "CPA review"
    CARE_PLAN = "care_plan", "Care plan review"


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later (the last day of the month when that day does not exist)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


class TeamReviewInterval(models.Model):
    """How often a team reviews care plans. Teams without one use the setting
    `WAYPOINT_REVIEW_INTERVAL_MONTHS` (default 12: at least every 12 months)."""

    team = models.OneToOneField("accounts.Team", on_delete=models.PROTECT, related_name="review_interval")
    months = models.PositiveSmallIntegerField(
        default=DEFAULT_INTERVAL_MONTHS, validators=[MinValueValidator(1), MaxValueValidator(12)]
    )

    class Meta:
        verbose_name = "team review interval"

    def __str__(self):
        return f"{self.team}: every {self.months} months"


def interval_months(team) -> int:
    """The team's interval, else the setting (no query when `team` is None)."""
    found = None
    if team is not None:
        found = TeamReviewInterval.objects.filter(team=team).values_list("months", flat=True).first()
    return found or getattr(settings, "WAYPOINT_REVIEW_INTERVAL_MONTHS", DEFAULT_INTERVAL_MONTHS)


class ReviewQuerySet(models.QuerySet):
    def held(self):
        return self.filter(held_on__isnull=False)

    def scheduled(self):
        return self.filter(held_on__isnull=True)

    def latest_held(self):
        """Each person's most recent held review (one row per person, one query)."""
        later = Review.objects.filter(person=OuterRef("person"), held_on__isnull=False).filter(
            Q(held_on__gt=OuterRef("held_on")) | Q(held_on=OuterRef("held_on"), pk__gt=OuterRef("pk"))
        )
        return self.held().filter(~Exists(later))


class Review(models.Model):
    person = models.ForeignKey("patients.Person", on_delete=models.PROTECT, related_name="reviews")
    team = models.ForeignKey("accounts.Team", on_delete=models.PROTECT, related_name="+")
    review_type = models.CharField("Type of review", max_length=20, choices=ReviewType.choices)
    scheduled_for = models.DateField("Date planned")
    scheduled_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    scheduled_at = models.DateTimeField(default=timezone.now)

    # Recorded once the review has been held; read-only afterwards.
    held_on = models.DateField("Date held", null=True, blank=True)
    person_attended = models.BooleanField("The person attended", null=True, blank=True)
    carers = models.ManyToManyField("patients.Carer", blank=True, related_name="+", verbose_name="Carers")
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="+", verbose_name="MDT members"
    )
    other_attendees = models.TextField("Others who attended", blank=True)
    what_changed = models.TextField("What has changed since the last review", blank=True)
    outcome_summary = models.TextField("Outcome", blank=True)
    next_review_due = models.DateField("Next review date", null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(null=True, blank=True)

    objects = ReviewQuerySet.as_manager()

    class Meta:
        ordering = ["-scheduled_for", "-id"]
        indexes = [models.Index(fields=["person", "held_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(held_on__isnull=True) | Q(recorded_by__isnull=False),
                name="review_held_is_recorded_by_someone",
            )
        ]

    def __str__(self):
        return f"{self.get_review_type_display()} for person {self.person_id}"

    @property
    def is_held(self) -> bool:
        return self.held_on is not None

    def is_overdue(self, today=None) -> bool:
        return not self.is_held and self.scheduled_for < (today or timezone.localdate())


class ReviewAddendum(models.Model):
    """A correction or later information added to a recorded review. Never changed or deleted."""

    review = models.ForeignKey(Review, on_delete=models.PROTECT, related_name="addenda")
    text = models.TextField("Addendum")
    written_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    written_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["written_at", "id"]
        verbose_name_plural = "review addenda"

    def __str__(self):
        return f"Addendum to review {self.review_id}"
