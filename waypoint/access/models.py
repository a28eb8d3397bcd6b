"""Break-glass: emergency access to a record outside a legitimate relationship."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class BreakGlassQuerySet(models.QuerySet):
    def active(self, now=None):
        now = now or timezone.now()
        return self.filter(started_at__lte=now, expires_at__gt=now)

    def awaiting_review(self):
        return self.filter(reviewed_at__isnull=True)


class BreakGlass(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="break_glass_uses"
    )
    person = models.ForeignKey("patients.Person", on_delete=models.PROTECT, related_name="+")
    reason = models.TextField()
    started_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_comment = models.TextField(blank=True)

    objects = BreakGlassQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at"]
        verbose_name = "break-glass access"
        verbose_name_plural = "break-glass accesses"

    def __str__(self):
        return f"Break-glass by {self.user} at {self.started_at:%Y-%m-%d %H:%M}"


class SupervisionQuerySet(models.QuerySet):
    def current(self, day=None):
        day = day or timezone.localdate()
        return self.filter(started_on__lte=day).filter(
            models.Q(ended_on__isnull=True) | models.Q(ended_on__gte=day)
        )


class Supervision(models.Model):
    """Who supervises whom: a student's practice supervisor, a support worker's registered supervisor.

    Their notes need countersignature by the supervisor (`permissions.sign_note_alone`). Set by the
    system administrator in the admin pages; ended, never deleted, when the supervision ends."""

    supervisee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="supervisions"
    )
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="supervising"
    )
    started_on = models.DateField(default=timezone.localdate)
    ended_on = models.DateField(null=True, blank=True)

    objects = SupervisionQuerySet.as_manager()

    class Meta:
        ordering = ["-started_on"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(supervisee=models.F("supervisor")), name="supervision_not_of_oneself"
            )
        ]

    def __str__(self):
        return f"{self.supervisor} supervises {self.supervisee}"
