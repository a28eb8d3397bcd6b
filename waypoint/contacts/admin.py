from django.contrib import admin

from .models import DisengagementStep


@admin.register(DisengagementStep)
class DisengagementStepAdmin(admin.ModelAdmin):
    """A team's disengagement procedure (teams without steps use the default four). Not person data."""

    list_display = ("team", "number", "title")
    list_filter = ("team",)
    ordering = ("team__name", "number")
