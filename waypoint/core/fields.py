"""Model fields shared by every app."""

from django.db import models


class CodeField(models.CharField):
    """A CharField whose choices are a code list kept in Python (an enum such as the audit's
    RecordType or the staff RoleCode). The choices still validate forms and label values, but they
    are left out of migrations: adding a value to the list changes no table, so it needs no
    migration, and apps that each add their own values do not collide on migration numbers."""

    def deconstruct(self) -> tuple:
        name, path, args, kwargs = super().deconstruct()
        kwargs.pop("choices", None)
        return name, "django.db.models.CharField", args, kwargs
