from datetime import date, timedelta

from django import forms
from django.utils import timezone

from waypoint.core.forms import DateField

WHOLE_SERVICE = "all"


def default_period():
    today = timezone.localdate()
    end = today.replace(day=1) - timedelta(days=1)  # the end of last month
    # the 12 whole months to the end of last month
    start = date(end.year, 1, 1) if end.month == 12 else date(end.year - 1, end.month + 1, 1)
    return start, end


class ScopeForm(forms.Form):
    team = forms.ChoiceField(label="Team")
    start = DateField(label="From", label_for_errors="Start date")
    end = DateField(label="To", label_for_errors="End date")

    def __init__(self, data, *, teams, whole_service: bool):
        start, end = default_period()
        initial = {
            "team": WHOLE_SERVICE if whole_service else (str(teams[0].pk) if teams else ""),
            "start": start,
            "end": end,
        }
        super().__init__(data, initial=initial)
        choices = [(WHOLE_SERVICE, "Whole service")] if whole_service else []
        choices += [(str(team.pk), team.name) for team in teams]
        self.fields["team"].choices = choices
        self.teams = {str(team.pk): team for team in teams}

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and start > end:
            self.add_error("end", "The end date must be the same as or after the start date")
        if start and end and (end - start).days > 3 * 366:
            self.add_error("end", "Choose a period of 3 years or less")
        return cleaned

    def values(self):
        """(team or None for the whole service, start, end): the typed values when valid, else the defaults."""
        if self.is_bound and self.is_valid():
            data = self.cleaned_data
            return self.teams.get(data["team"]), data["start"], data["end"]
        return self.teams.get(self.initial["team"]), self.initial["start"], self.initial["end"]


class ExtractForm(forms.Form):
    month = forms.TypedChoiceField(label="Reporting period", coerce=str)

    def __init__(self, data=None):
        super().__init__(data)
        today = timezone.localdate()
        choices, day = [], today.replace(day=1)
        for _ in range(13):
            day = (day - timedelta(days=1)).replace(day=1)
            choices.append((f"{day:%Y-%m}", f"{day:%B %Y}"))
        self.fields["month"].choices = choices
        self.fields["month"].initial = choices[0][0]

    def period(self):
        year, month = (int(part) for part in self.cleaned_data["month"].split("-"))
        start = date(year, month, 1)
        end = (start + timedelta(days=32)).replace(day=1) - timedelta(days=1)
        return start, end
