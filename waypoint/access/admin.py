"""Supervision in the admin pages: who countersigns whose notes. Ended, never deleted."""

from django.contrib import admin

from .models import Supervision


@admin.register(Supervision)
class SupervisionAdmin(admin.ModelAdmin):
    # PARTIAL: admin changes to supervision are not audited yet (like team details; see architecture.md).
    list_display = ["supervisee", "supervisor", "started_on", "ended_on"]
    list_filter = ["ended_on"]

    def has_delete_permission(self, request, obj=None):
        return False
