from django.contrib import admin

from .models import TeamReviewInterval


@admin.register(TeamReviewInterval)
class TeamReviewIntervalAdmin(admin.ModelAdmin):
    """Team settings only: reviews themselves are patient data and are not in the admin."""

    list_display = ("team", "months")
