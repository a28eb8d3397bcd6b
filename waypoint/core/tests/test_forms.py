"""The shared date and time fields: plain messages, never a server error."""

import datetime

import pytest
import time_machine
from django import forms

from waypoint.core.forms import DateField, TimeField


class Example(forms.Form):
    on = DateField(label="Date seen", past_only=True)
    at = TimeField(label="Time")


def errors(**data):
    form = Example(data=data)
    form.is_valid()
    return form.errors


def test_odd_digits_are_a_message_not_an_exception():
    found = errors(on_day="²", on_month="3", on_year="2026", at="1²:30")
    assert "must be numbers" in found["on"][0]
    assert "24-hour clock" in found["at"][0]


def test_today_is_the_uk_date():
    # 23:30 UTC on a summer evening is already the next day in London.
    with time_machine.travel(datetime.datetime(2026, 6, 14, 23, 30, tzinfo=datetime.UTC), tick=False):
        assert "on" not in errors(on_day="15", on_month="6", on_year="2026", at="00:10")


def test_a_huge_day_or_month_is_not_a_real_date():
    for day, month in (("99999999999999999999", "3"), ("1", "99999999999999999999")):
        assert (
            "must be a real date" in errors(on_day=day, on_month=month, on_year="2026", at="10:00")["on"][0]
        )


@pytest.mark.django_db
def test_a_huge_id_in_a_multiple_choice_is_not_a_choice(coordinator):
    from waypoint.accounts.models import User
    from waypoint.core.forms import ModelMultipleChoiceField

    class Staff(forms.Form):
        staff = ModelMultipleChoiceField(
            queryset=User.objects.all(), error_messages={"invalid_choice": "Choose staff"}
        )

    for odd in ("99999999999999999999", "-99999999999999999999", "²", "x" * 300):
        form = Staff(data={"staff": [str(coordinator.pk), odd]})
        assert not form.is_valid() and form.errors["staff"] == ["Choose staff"]
    assert Staff(data={"staff": [str(coordinator.pk)]}).is_valid()


def test_every_date_hint_comes_from_the_field_and_fits_it():
    """Issue 18, item 12: one way to write a date hint: the field's help text, then an example
    worked out from today (or the field's own example, for a date of birth)."""
    from datetime import date
    from unittest import mock

    from waypoint.core.forms import DateField
    from waypoint.duty.forms import EnquiryForm
    from waypoint.patients.forms import PersonForm

    with mock.patch("waypoint.core.forms.timezone.localdate", return_value=date(2026, 3, 15)):
        assert DateField(label="Date").hint == "For example, 15 3 2026"
        assert DateField(label="Date", help_text="Leave blank if not known").hint == (
            "Leave blank if not known. For example, 15 3 2026"
        )
        assert EnquiryForm.base_fields["received_on"].hint == (
            "Leave as it is if the call is happening now. For example, 15 3 2026"
        )
    assert PersonForm.base_fields["date_of_birth"].hint == "For example, 27 3 1985"


def test_no_form_hints_a_fixed_date_of_2026_or_a_date_of_birth_outside_one():
    """No date hint is typed by hand: grep the forms for the old fixed examples."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    offenders = [
        str(path.relative_to(root))
        for path in root.glob("*/forms.py")
        if "27 3 2026" in path.read_text() or "For example, 27 3 1985" in path.read_text()
    ]
    assert offenders == []
    macro = (root / "jinja2" / "macros" / "form.jinja").read_text()
    assert "27 3" not in macro
