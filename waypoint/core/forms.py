"""Form pieces shared by every context: an NHS.UK-style date field, a 24-hour time field, a
multiple choice of records that never fails on a huge id, and the hidden version of an edit form."""

import re
from collections.abc import Sequence
from datetime import date, datetime, time
from typing import Any

from django import forms
from django.db import models
from django.utils import timezone


class DateWidget(forms.MultiWidget):
    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__({"day": forms.TextInput, "month": forms.TextInput, "year": forms.TextInput}, attrs)

    def decompress(self, value: Any) -> list[str]:
        if isinstance(value, date):
            return [str(value.day), str(value.month), str(value.year)]
        return ["", "", ""]


class DateField(forms.MultiValueField):
    """Day, month and year typed separately, as the NHS.UK date input asks, with plain messages."""

    widget = DateWidget

    def __init__(
        self,
        *,
        label_for_errors: str = "Date",
        past_only: bool = False,
        example: str | None = None,
        **kwargs: Any,
    ) -> None:
        self.label_for_errors = label_for_errors
        self.past_only = past_only
        self.fixed_example = example
        fields = (forms.CharField(), forms.CharField(), forms.CharField())
        kwargs.setdefault("error_messages", {"required": f"Enter the {label_for_errors.lower()}"})
        super().__init__(fields, require_all_fields=False, **kwargs)

    @property
    def example(self) -> str:
        """An example that fits the field: today's date ("2 12 2026"), worked out when the page is
        drawn, for the dates of contacts, calls, plans and decisions; a date of birth passes its own
        (`example="27 3 1985"`)."""
        if self.fixed_example:
            return self.fixed_example
        today = timezone.localdate()
        return f"{today.day} {today.month} {today.year}"

    @property
    def hint(self) -> str:
        """The one hint under every date field: the field's help text, if any, then its example."""
        lead = str(self.help_text).strip() if self.help_text else ""
        if lead and lead[-1] not in ".?!":
            lead += "."
        return f"{lead} For example, {self.example}".strip()

    def compress(self, data_list: Sequence[str | None]) -> date | None:
        day, month, year = [(part or "").strip() for part in (list(data_list) + ["", "", ""])[:3]]
        if not (day or month or year):
            return None
        missing = [name for name, part in (("day", day), ("month", month), ("year", year)) if not part]
        if missing:
            raise forms.ValidationError(f"{self.label_for_errors} must include a {' and '.join(missing)}")
        if not all(re.fullmatch(r"[0-9]+", part) for part in (day, month, year)):
            raise forms.ValidationError(
                f"{self.label_for_errors} must be numbers, for example {self.example}"
            )
        if len(year) != 4:
            raise forms.ValidationError("Year must include 4 numbers")
        try:
            value = date(int(year), int(month), int(day))
        except (ValueError, OverflowError):  # a day of 99999999999999999999 overflows a C long
            raise forms.ValidationError(f"{self.label_for_errors} must be a real date") from None
        if self.past_only and value > timezone.localdate():  # "today" in the UK, as everywhere else
            raise forms.ValidationError(f"{self.label_for_errors} must be today or in the past")
        return value


class TimeField(forms.CharField):
    """A time of day typed as 24-hour HH:MM, with a plain message when it is not one."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("help_text", "24-hour clock, for example 14:30")
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> time | None:  # type: ignore[override]  # a time, not the str of CharField
        value = (super().to_python(value) or "").strip().replace(".", ":")
        if not value:
            return None
        hours, _, minutes = value.partition(":")
        if not (
            re.fullmatch(r"[0-9]{1,2}", hours)
            and re.fullmatch(r"[0-9]{2}", minutes)
            and 0 <= int(hours) <= 23
            and 0 <= int(minutes) <= 59
        ):
            raise forms.ValidationError("Enter a time in the 24-hour clock, like 14:30")
        return time(int(hours), int(minutes))


def combine_local(day: date, at: time) -> datetime:
    """A date and a time typed in UK local time, as an aware datetime."""

    return timezone.make_aware(datetime.combine(day, at))


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Django's, except that an id too big for the database is "not one of the choices".

    Django checks a single choice (`pk=`) against the database's integer range, but not a list
    (`pk__in=`), so SQLite's driver raised OverflowError on `99999999999999999999`: a server error.
    """

    def _check_values(self, value: Any) -> Any:
        key = self.to_field_name or "pk"
        assert self.queryset is not None
        model = self.queryset.model
        field = model._meta.pk if key == "pk" else model._meta.get_field(key)
        if isinstance(field, models.IntegerField) and not isinstance(value, str):
            for pk in value or ():
                if not (isinstance(pk, int) or re.fullmatch(r"\s*-?[0-9]{1,18}\s*", str(pk))):
                    raise forms.ValidationError(
                        self.error_messages["invalid_choice"], code="invalid_choice", params={"value": pk}
                    )
        return super()._check_values(value)  # type: ignore[misc]  # private in Django, missing from the stubs


VERSION_MISSING = (
    "This page did not say which version of the record you started from, so someone else may have "
    "changed it since you opened it. Your changes have not been saved: they are still below. Check the "
    "record in another tab; saving again will replace any changes made since with yours."
)


class VersionField(forms.IntegerField):
    """The hidden version of the record an edit form was opened on. Always required.

    A post without it (a page saved by hand, a script, a field removed in the browser) used to
    skip the "someone else changed this" check and silently overwrite their change. Now it is
    refused with that message, everything typed is kept, and the page is sent back with the
    version the form was opened for (its `initial`), so saving again is a deliberate overwrite,
    just as after a stale save. A form that also creates records makes it optional when it is
    creating (there is no version yet): `self.fields["version"].required = False`.
    """

    widget = forms.HiddenInput

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", True)
        kwargs.setdefault("min_value", 0)
        messages = {key: VERSION_MISSING for key in ("required", "invalid", "min_value", "max_value")}
        kwargs["error_messages"] = {**messages, **kwargs.get("error_messages", {})}
        super().__init__(**kwargs)

    def bound_data(self, data: Any, initial: Any) -> Any:
        if data in (None, "") or not re.fullmatch(r"[0-9]{1,18}", str(data).strip()):
            return initial
        return data
