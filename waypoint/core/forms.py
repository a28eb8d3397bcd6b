"""Form pieces shared by every context: an NHS.UK-style date field."""

import re
from collections.abc import Sequence
from datetime import date, datetime, time
from typing import Any

from django import forms
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

    def __init__(self, *, label_for_errors: str = "Date", past_only: bool = False, **kwargs: Any) -> None:
        self.label_for_errors = label_for_errors
        self.past_only = past_only
        fields = (forms.CharField(), forms.CharField(), forms.CharField())
        kwargs.setdefault("error_messages", {"required": f"Enter the {label_for_errors.lower()}"})
        super().__init__(fields, require_all_fields=False, **kwargs)

    def compress(self, data_list: Sequence[str | None]) -> date | None:
        day, month, year = [(part or "").strip() for part in (list(data_list) + ["", "", ""])[:3]]
        if not (day or month or year):
            return None
        missing = [name for name, part in (("day", day), ("month", month), ("year", year)) if not part]
        if missing:
            raise forms.ValidationError(f"{self.label_for_errors} must include a {' and '.join(missing)}")
        if not all(re.fullmatch(r"[0-9]+", part) for part in (day, month, year)):
            raise forms.ValidationError(f"{self.label_for_errors} must be numbers, for example 27 3 1985")
        if len(year) != 4:
            raise forms.ValidationError("Year must include 4 numbers")
        try:
            value = date(int(year), int(month), int(day))
        except ValueError:
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
