"""A registered system client: its OAuth application, its named purpose and the resource types it
may read (its scopes). Made by `services.register_system_client`."""

from django.db import models
from django.utils import timezone


class SystemClient(models.Model):
    application = models.OneToOneField(
        "oauth2_provider.Application", on_delete=models.PROTECT, related_name="system_client"
    )
    purpose = models.CharField(max_length=200, help_text="For example: the Trust's shared care record")
    resource_types = models.JSONField(default=list)
    registered_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"System client {self.application_id}: {self.purpose}"

    def scopes(self) -> list[str]:
        return [f"system/{name}.read" for name in self.resource_types]
