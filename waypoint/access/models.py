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
