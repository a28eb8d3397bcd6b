"""Allocation of workers to people (MHSDS MHS006 care coordinator assignments, with start and end)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class AllocationKind(models.TextChoices):
    ASSESSING = "assessing", "Assessing worker"
    CARE_COORDINATOR = "care_coordinator", "Care coordinator"


class AllocationQuerySet(models.QuerySet):
    def current(self, now=None):
        now = now or timezone.now()
        return self.filter(started_at__lte=now).filter(Q(ended_at__isnull=True) | Q(ended_at__gt=now))


class Allocation(models.Model):
    person = models.ForeignKey("patients.Person", on_delete=models.PROTECT, related_name="allocations")
    team = models.ForeignKey("accounts.Team", on_delete=models.PROTECT, related_name="allocations")
    referral = models.ForeignKey(
        "referrals.Referral", on_delete=models.PROTECT, null=True, blank=True, related_name="allocations"
    )
    worker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="allocations")
    kind = models.CharField(max_length=20, choices=AllocationKind.choices)
    weight = models.PositiveSmallIntegerField(
        default=1,
        help_text="Caseload weighting for this person (1 = standard), used if the team weights caseloads",
    )
    started_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)
    allocated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    objects = AllocationQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at"]
        indexes = [
            models.Index(fields=["worker", "kind", "ended_at"]),
            models.Index(fields=["team", "person"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True) | Q(ended_at__gte=models.F("started_at")),
                name="allocation_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(weight__gte=1) & Q(weight__lte=5), name="allocation_weight_1_to_5"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.worker_id} for person {self.person_id}"
