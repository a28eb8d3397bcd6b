"""The working calendar: bank holidays, and each team's working days and hours.

Local time limits are measured in the team's working time (domain brief, section 1): by default
Monday to Friday, 09:00-17:00 Europe/London, with bank holidays as non-working days. The
arithmetic lives in `working_time.py`; these models only hold the configuration.
"""

from datetime import time

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q


class Division(models.TextChoices):
    """The GOV.UK bank holiday divisions (the keys of https://www.gov.uk/bank-holidays.json)."""

    ENGLAND_AND_WALES = "england-and-wales", "England and Wales"
    SCOTLAND = "scotland", "Scotland"
    NORTHERN_IRELAND = "northern-ireland", "Northern Ireland"


class BankHoliday(models.Model):
    division = models.CharField(max_length=40, choices=Division.choices, default=Division.ENGLAND_AND_WALES)
    date = models.DateField()
    title = models.CharField(max_length=200)

    class Meta:
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["division", "date"], name="bank_holiday_unique_division_date")
        ]

    def __str__(self):
        return f"{self.title} ({self.date:%-d %B %Y})"


def validate_weekdays(value: str) -> None:
    """Working weekdays are written as digits, Monday = 0 ... Sunday = 6, e.g. "01234"."""
    if not value:
        raise ValidationError("Choose at least one working day.", code="empty")
    if any(ch not in "0123456" for ch in value):
        raise ValidationError(
            "Working days must be digits from 0 (Monday) to 6 (Sunday), e.g. 01234 for Monday to Friday.",
            code="invalid",
        )
    if len(set(value)) != len(value):
        raise ValidationError("Each working day can only be listed once.", code="duplicate")


class TeamCalendar(models.Model):
    """A team's working days and hours. A team without one works the defaults."""

    team = models.OneToOneField("accounts.Team", on_delete=models.CASCADE, related_name="calendar")
    day_starts = models.TimeField("Working day starts", default=time(9, 0))
    day_ends = models.TimeField("Working day ends", default=time(17, 0))
    working_weekdays = models.CharField(
        "Working days",
        max_length=7,
        default="01234",
        validators=[validate_weekdays],
        help_text="Digits for the days the team works: 0 is Monday, 6 is Sunday. 01234 is Monday to Friday.",
    )
    bank_holiday_division = models.CharField(
        "Bank holidays",
        max_length=40,
        choices=Division.choices,
        default=Division.ENGLAND_AND_WALES,
        help_text="Which bank holidays the team does not work",
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(day_ends__gt=F("day_starts")), name="team_calendar_day_ends_after_start"
            )
        ]

    def __str__(self):
        return f"Working calendar for {self.team}"

    def clean(self):
        super().clean()
        if self.day_starts is not None and self.day_ends is not None and self.day_ends <= self.day_starts:
            raise ValidationError({"day_ends": "The working day must end after it starts."})

    @property
    def weekdays(self) -> frozenset[int]:
        return frozenset(int(ch) for ch in self.working_weekdays)
