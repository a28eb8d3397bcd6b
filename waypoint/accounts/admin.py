from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from .models import Membership, Role, Team, User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1


@admin.register(User)
class StaffAdmin(UserAdmin):
    fieldsets = (
        *UserAdmin.fieldsets,
        ("Professional details", {"fields": ("profession", "job_title", "roles")}),
    )
    list_display = ("username", "first_name", "last_name", "profession", "is_active")
    filter_horizontal = ("roles", "groups", "user_permissions")
    inlines = [MembershipInline]


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ("name", "team_type", "base", "is_active")
    list_filter = ("team_type",)


@admin.register(Role)
class RoleAdmin(admin.ModelAdmin):
    list_display = ("code",)
