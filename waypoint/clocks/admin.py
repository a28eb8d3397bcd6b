from django.contrib import admin

from .models import BankHoliday, TeamCalendar


@admin.register(BankHoliday)
class BankHolidayAdmin(admin.ModelAdmin):
    list_display = ("date", "title", "division")
    list_filter = ("division",)
    date_hierarchy = "date"
    search_fields = ("title",)


@admin.register(TeamCalendar)
class TeamCalendarAdmin(admin.ModelAdmin):
    list_display = ("team", "day_starts", "day_ends", "working_weekdays", "bank_holiday_division")
    list_select_related = ("team",)
