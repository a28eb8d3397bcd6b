from django import forms
from django.utils import timezone

from waypoint.accounts.teams import team_to_preselect
from waypoint.core.forms import DateField, ModelMultipleChoiceField

from . import selectors
from .models import ReviewType


class ScheduleReviewForm(forms.Form):
    review_type = forms.ChoiceField(
        label="Type of review",
        choices=ReviewType.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the type of review"},
    )
    team = forms.ModelChoiceField(
        label="Team",
        queryset=None,
        empty_label=None,
        error_messages={"required": "Choose the team", "invalid_choice": "Choose one of your teams"},
    )
    scheduled_for = DateField(label="Date planned", label_for_errors="Date planned")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        teams = selectors.teams_for_scheduling(user)
        self.fields["team"].queryset = teams
        if not self.is_bound:
            self.initial.setdefault("team", team_to_preselect(teams, user.primary_team()))

    def clean_scheduled_for(self):
        value = self.cleaned_data.get("scheduled_for")
        if value and value < timezone.localdate():
            raise forms.ValidationError(
                "Date planned must be today or in the future. To record a review that has already "
                "happened, use 'Record a review that has been held'"
            )
        return value


class RecordReviewForm(forms.Form):
    """What happened at a review. With `user` given (no scheduled review), also its type and team."""

    review_type = forms.ChoiceField(
        label="Type of review",
        choices=ReviewType.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the type of review"},
    )
    team = forms.ModelChoiceField(
        label="Team", queryset=None, empty_label=None, error_messages={"required": "Choose the team"}
    )
    held_on = DateField(label="Date held", label_for_errors="Date held", past_only=True)
    person_attended = forms.ChoiceField(
        label="Did the person attend?",
        choices=[("yes", "Yes"), ("no", "No")],
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether the person attended"},
    )
    carers = ModelMultipleChoiceField(
        label="Carers who attended",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    staff = ModelMultipleChoiceField(
        label="MDT members who attended",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    other_attendees = forms.CharField(
        label="Anyone else who attended",
        required=False,
        widget=forms.Textarea,
        help_text="Name and role, for example an advocate or housing officer",
    )
    what_changed = forms.CharField(
        label="What has changed since the last review",
        widget=forms.Textarea,
        error_messages={"required": "Enter what has changed (or 'No change')"},
    )
    outcome_summary = forms.CharField(
        label="Outcome",
        widget=forms.Textarea,
        help_text="Decisions, changes to the care plan, who will do what",
        error_messages={"required": "Enter the outcome of the review"},
    )
    next_review_due = DateField(label="Next review date", label_for_errors="Next review date", required=False)

    def __init__(self, *args, person, team=None, user=None, interval_months=12, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["carers"].queryset = selectors.carers_of(person)
        if team is not None:
            del self.fields["review_type"]
            del self.fields["team"]
            self.fields["staff"].queryset = selectors.team_staff(team)
        else:
            teams = selectors.teams_for_scheduling(user)
            self.fields["team"].queryset = teams
            if not self.is_bound:
                self.initial.setdefault("team", team_to_preselect(teams, user.primary_team()))
            self.fields["staff"].queryset = selectors.team_staff_of_teams(teams)
        self.fields[
            "next_review_due"
        ].help_text = (
            f"Leave blank for {interval_months} months after the date held (the team's review interval)"
        )

    def clean_person_attended(self):
        return self.cleaned_data.get("person_attended") == "yes"

    def clean(self):
        cleaned = super().clean()
        held_on, next_due = cleaned.get("held_on"), cleaned.get("next_review_due")
        if held_on and next_due and next_due <= held_on:
            self.add_error("next_review_due", "Next review date must be after the date held")
        return cleaned


class AddendumForm(forms.Form):
    text = forms.CharField(
        label="Addendum",
        widget=forms.Textarea,
        help_text="A correction or something learned later. The review as recorded stays as it is.",
        error_messages={"required": "Enter the addendum"},
    )
