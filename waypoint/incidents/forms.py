import datetime

from django import forms
from django.utils import timezone

from waypoint.core.forms import DateField, ModelMultipleChoiceField, TimeField, VersionField, combine_local
from waypoint.patients.nhs_number import nhs_number_problem, normalise_nhs_number

from . import selectors
from .models import Category, Harm


class ReportIncidentForm(forms.Form):
    team = forms.ModelChoiceField(
        label="Your team", queryset=None, empty_label=None, error_messages={"required": "Choose the team"}
    )
    occurred_on = DateField(label="Date it happened", label_for_errors="Date it happened", past_only=True)
    occurred_time = TimeField(
        label="Time it happened", error_messages={"required": "Enter the time it happened, like 14:30"}
    )
    location = forms.CharField(
        label="Where it happened",
        max_length=200,
        help_text="For example, the person's home, the clinic waiting room, the car park",
        error_messages={"required": "Enter where it happened"},
    )
    category = forms.ChoiceField(
        label="Category",
        choices=[("", "Choose a category"), *Category.choices],
        error_messages={"required": "Choose a category"},
    )
    harm = forms.ChoiceField(
        label="Degree of harm",
        choices=Harm.choices,
        widget=forms.RadioSelect,
        help_text="As in Learn from Patient Safety Events. Moderate harm or worse starts the duty of candour.",
        error_messages={"required": "Choose the degree of harm"},
    )
    what_happened = forms.CharField(
        label="What happened",
        widget=forms.Textarea,
        help_text="The facts, in order. Use initials for anyone not on Waypoint.",
        error_messages={"required": "Enter what happened"},
    )
    immediate_actions = forms.CharField(
        label="What was done straight away",
        widget=forms.Textarea,
        error_messages={"required": "Enter what was done straight away (or 'Nothing')"},
    )
    nhs_numbers = forms.CharField(
        label="People on Waypoint involved (NHS numbers)",
        required=False,
        widget=forms.Textarea,
        help_text="One NHS number a line. Leave blank if no one on Waypoint was involved.",
    )
    staff_involved = ModelMultipleChoiceField(
        label="Staff involved", queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )
    others_involved = forms.CharField(
        label="Anyone else involved",
        required=False,
        widget=forms.Textarea,
        help_text="For example, a visitor or a member of the public (a description, not a name, if you can)",
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        from waypoint.accounts.teams import team_to_preselect, user_teams

        teams = user_teams(user)
        self.fields["team"].queryset = teams
        if not self.is_bound:
            self.initial.setdefault("team", team_to_preselect(teams, user.primary_team()))
        self.fields["staff_involved"].queryset = selectors.team_staff(user.current_team_ids())

    def clean_nhs_numbers(self):
        raw = self.cleaned_data.get("nhs_numbers") or ""
        numbers = []
        for line in raw.replace(",", "\n").splitlines():
            if not line.strip():
                continue
            problem = nhs_number_problem(line)
            if problem:
                raise forms.ValidationError(f"{line.strip()}: {problem}")
            digits = normalise_nhs_number(line)
            if digits not in numbers:
                numbers.append(digits)
        if len(numbers) > 20:
            raise forms.ValidationError("Enter at most 20 NHS numbers")
        found = selectors.people_by_nhs_number(numbers)
        missing = [number for number in numbers if number not in found]
        if missing:
            raise forms.ValidationError(
                f"No one on Waypoint has NHS number {missing[0]}: check it, or describe them under "
                "'Anyone else involved'"
            )
        return [found[number] for number in numbers]

    def clean(self):
        cleaned = super().clean()
        day, at = cleaned.get("occurred_on"), cleaned.get("occurred_time")
        if day and at:
            moment = combine_local(day, at)
            if moment > timezone.now() + datetime.timedelta(minutes=5):
                self.add_error("occurred_time", "The time it happened must be in the past")
            cleaned["occurred_at"] = moment
        return cleaned


class ReviewForm(forms.Form):
    version = VersionField()
    findings = forms.CharField(
        label="Findings",
        widget=forms.Textarea,
        error_messages={"required": "Enter the findings of the review"},
    )
    lessons = forms.CharField(
        label="Lessons learned",
        widget=forms.Textarea,
        error_messages={"required": "Enter the lessons learned (or 'None')"},
    )


class ActionForm(forms.Form):
    what = forms.CharField(
        label="Action",
        max_length=200,
        widget=forms.Textarea,
        error_messages={"required": "Enter the action", "max_length": "Keep the action to 200 characters"},
    )
    owner = forms.ModelChoiceField(
        label="Owner",
        queryset=None,
        error_messages={"required": "Choose who owns the action", "invalid_choice": "Choose one of the team"},
    )
    due_on = DateField(label="Due by", label_for_errors="Due by")

    def __init__(self, *args, team, people=(), **kwargs):
        """`people`: the people named in the incident whom the user may see; the action can be a
        task about one of them."""
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = selectors.team_staff([team.pk])
        self.people = {str(person.pk): person for person in people}
        if self.people:
            self.fields["about"] = forms.ChoiceField(
                label="Make it a task about",
                choices=[(pk, person.full_name) for pk, person in self.people.items()]
                + [(NO_TASK, "No one: keep it on this incident only")],
                widget=forms.RadioSelect,
                initial=next(iter(self.people)),
                help_text="A task is in the owner's My tasks and on the person's worklist once it is overdue. "
                "Tasks go to care coordinators, support workers and students.",
                error_messages={"required": "Choose who the task is about, or keep it on this incident"},
            )

    def clean_due_on(self):
        due = self.cleaned_data.get("due_on")
        if due and due < timezone.localdate():
            raise forms.ValidationError("Due by must be today or in the future")
        return due

    def clean(self):
        cleaned = super().clean()
        cleaned["person"] = self.people.get(cleaned.get("about") or "")
        return cleaned


NO_TASK = "none"


class CandourForm(forms.Form):
    version = VersionField()
    candour_in_person_on = DateField(
        label="Date told in person", label_for_errors="Date told in person", required=False, past_only=True
    )
    candour_in_writing_on = DateField(
        label="Date told in writing", label_for_errors="Date told in writing", required=False, past_only=True
    )
    candour_notes = forms.CharField(
        label="Notes",
        required=False,
        widget=forms.Textarea,
        help_text="Who told them, the apology given, or why the person could not be told",
    )


class CloseForm(forms.Form):
    version = VersionField()


class AddendumForm(forms.Form):
    text = forms.CharField(
        label="Addendum",
        widget=forms.Textarea,
        help_text="A correction or something learned later. The incident as reported stays as it is.",
        error_messages={"required": "Enter the addendum"},
    )


class EnteredInErrorForm(forms.Form):
    reason = forms.CharField(
        label="Why was this entered in error?",
        widget=forms.Textarea,
        error_messages={"required": "Enter why this was entered in error"},
    )
