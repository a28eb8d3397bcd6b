from django.contrib import admin

from .models import TeamContactNumbers


@admin.register(TeamContactNumbers)
class TeamContactNumbersAdmin(admin.ModelAdmin):
    """The numbers printed on people's plans. Plans themselves are not in the admin: changes must be audited."""

    list_display = ["team", "working_hours_phone", "crisis_team_name", "crisis_team_phone"]
