"""The admin pages for staff accounts, roles, teams and two-person role grants.

Every save of an account, its roles or its team memberships goes through accounts/services.py,
which refuses changes to one's own roles and memberships, holds privacy officer and system
administrator grants for a second administrator, and writes the audit rows. What would bypass
that is not offered here: deleting accounts or memberships, bulk deletion, the is_staff and
is_superuser flags (they follow the system administrator role), groups and permissions.
"""

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.forms.models import BaseInlineFormSet
from django.utils.html import format_html_join

from . import services
from .models import Membership, Role, RoleGrantRequest, Team, User

# Waypoint does not use Django's groups: what staff may do comes from their roles.
admin.site.unregister(Group)


class MembershipFormSet(BaseInlineFormSet):
    acting_user = None

    def clean(self):
        super().clean()
        if any(form.has_changed() for form in self.forms):
            try:
                services.check_membership_change(Membership(user=self.instance), by=self.acting_user)
            except services.AccountChangeRefused as refused:
                raise ValidationError(str(refused)) from None


class MembershipInline(admin.TabularInline):
    model = Membership
    formset = MembershipFormSet
    extra = 1
    can_delete = False  # end a membership (ended on) instead: access history depends on it

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        return type(formset.__name__, (formset,), {"acting_user": request.user})


def _acting_user_form(form_class, acting_user):
    """The change form, checking the roles chosen against the rule on one's own roles."""

    def clean_roles(self):
        roles = self.cleaned_data["roles"]
        try:
            services.check_role_change(self.instance, roles, by=acting_user)
        except services.AccountChangeRefused as refused:
            raise ValidationError(str(refused)) from None
        return roles

    return type(form_class.__name__, (form_class,), {"clean_roles": clean_roles})


@admin.register(User)
class StaffAdmin(UserAdmin):
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        ("Personal details", {"fields": ("first_name", "last_name", "email")}),
        ("Professional details", {"fields": ("profession", "job_title")}),
        (
            "Access",
            {
                "fields": ("is_active", "roles", "pending_role_grants", "is_staff", "is_superuser"),
                "description": (
                    "Privacy officer and system administrator roles take effect only when a second "
                    "system administrator approves them (Role grant requests). Administrator access "
                    "comes with the system administrator role. Nobody can change their own roles or "
                    "team memberships. Disabling an account signs it out everywhere."
                ),
            },
        ),
        ("Important dates", {"fields": ("last_login", "date_joined")}),
    )
    readonly_fields = ("pending_role_grants", "is_staff", "is_superuser", "last_login", "date_joined")
    list_display = ("username", "first_name", "last_name", "profession", "is_active")
    list_filter = ("is_active", "roles")
    filter_horizontal = ("roles",)
    inlines = [MembershipInline]
    actions = ["end_sessions"]

    def has_delete_permission(self, request, obj=None):
        return False  # accounts are disabled, never deleted (the audit trail points at them)

    @admin.display(description="Awaiting a second administrator")
    def pending_role_grants(self, obj):
        pending = obj.role_grant_requests.filter(status=RoleGrantRequest.Status.PENDING).select_related(
            "role", "requested_by"
        )
        return (
            format_html_join(
                ", ", "{} (asked for by {})", ((grant.role, grant.requested_by) for grant in pending)
            )
            or "None"
        )

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if obj is None:
            return form
        return _acting_user_form(form, request.user)

    def save_model(self, request, obj, form, change):
        services.save_staff_account(obj, by=request.user, changed_fields=form.changed_data, path=request.path)

    def save_related(self, request, form, formsets, change):
        # Not form.save_m2m(): the roles go through the service (the form has no other m2m field).
        if "roles" in form.cleaned_data:
            pending = services.change_roles(
                form.instance, roles=form.cleaned_data["roles"], by=request.user, path=request.path
            )
            for grant in pending:
                self.message_user(
                    request,
                    f"{grant.role} for {grant.account} is waiting for a second system administrator to approve it.",
                    messages.WARNING,
                )
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def save_formset(self, request, form, formset, change):
        formset.save(commit=False)  # fills new_objects and changed_objects for the change message
        for membership in formset.new_objects:
            services.save_membership(
                membership,
                by=request.user,
                changed_fields=next(f.changed_data for f in formset.forms if f.instance is membership),
                path=request.path,
            )
        for membership, changed in formset.changed_objects:
            services.save_membership(membership, by=request.user, changed_fields=changed, path=request.path)

    def user_change_password(self, request, id, form_url=""):
        with transaction.atomic():  # the audit row (log_change below) is written with the change
            return super().user_change_password(request, id, form_url)

    def log_change(self, request, obj, message):
        if request.resolver_match and request.resolver_match.url_name.endswith("_password_change"):
            services.record_password_set(obj, by=request.user, path=request.path)
        return super().log_change(request, obj, message)

    @admin.action(description="End the selected users' sessions (sign them out everywhere)")
    def end_sessions(self, request, queryset):
        for account in queryset:
            ended = services.end_sessions(account, by=request.user, path=request.path)
            self.message_user(request, f"Ended {ended} session(s) of {account.username}.", messages.SUCCESS)


@admin.register(RoleGrantRequest)
class RoleGrantRequestAdmin(admin.ModelAdmin):
    list_display = ("account", "role", "requested_by", "requested_at", "status", "decided_by", "decided_at")
    list_filter = ("status",)
    list_select_related = ("account", "role", "requested_by", "decided_by")
    actions = ["approve", "refuse"]

    def has_add_permission(self, request):
        return False  # asked for by choosing the role on the account

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def _decide(self, request, queryset, decide, done):
        for grant in queryset:
            try:
                decide(grant, by=request.user, path=request.path)
            except services.AccountChangeRefused as refused:
                self.message_user(request, str(refused), messages.ERROR)
            else:
                self.message_user(request, f"{done} {grant.role} for {grant.account}.", messages.SUCCESS)

    @admin.action(description="Approve the selected roles (second administrator)", permissions=["view"])
    def approve(self, request, queryset):
        self._decide(request, queryset, services.approve_role_grant, "Approved")

    @admin.action(description="Refuse or withdraw the selected roles", permissions=["view"])
    def refuse(self, request, queryset):
        self._decide(request, queryset, services.refuse_role_grant, "Refused")


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ("name", "team_type", "base", "is_active")
    list_filter = ("team_type",)


@admin.register(Role)
class RoleAdmin(admin.ModelAdmin):
    """Read-only: the roles are fixed by RoleCode (renaming one would change who holds what)."""

    list_display = ("code",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
