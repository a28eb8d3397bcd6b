from django.contrib import admin

from .models import SupervisionPolicy


@admin.register(SupervisionPolicy)
class SupervisionPolicyAdmin(admin.ModelAdmin):
    """How often each role has each kind of supervision: the Trust sets this here."""

    list_display = ("role", "kind", "every_weeks")
    list_editable = ("every_weeks",)
