from django import forms
from django.utils import timezone

from waypoint.core.forms import DateField, ModelMultipleChoiceField, TimeField
from waypoint.episodes.models import AllocationKind
from waypoint.patients.nhs_number import nhs_number_problem, normalise_nhs_number

from . import selectors
from .models import MeetingKind

NO_ALLOCATION = ""

ACTION_ROWS = 3


class PlanMeetingForm(forms.Form):
    kind = forms.ChoiceField(
        label="Type of meeting",
        choices=MeetingKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the type of meeting"},
    )
    held_on = DateField(label="Date", label_for_errors="Date")
    starts_at = TimeField(label="Start time", required=False)
    chair = forms.ModelChoiceField(
        label="Chair",
        queryset=None,
        error_messages={"required": "Choose the chair", "invalid_choice": "Choose one of the team"},
    )
    attendees = ModelMultipleChoiceField(
        label="Attendees from the team", queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )
    guests = forms.CharField(
        label="Guests", required=False, widget=forms.Textarea, help_text="Name and role, one a line"
    )
    topic = forms.CharField(
        label="Topic (reflective practice)",
        required=False,
        max_length=200,
        help_text="For a reflective practice session. Do not name anyone who uses the service.",
    )

    def __init__(self, *args, team, **kwargs):
        super().__init__(*args, **kwargs)
        staff = selectors.team_staff(team)
        self.fields["chair"].queryset = staff
        self.fields["attendees"].queryset = staff


class AddPersonForm(forms.Form):
    nhs_number = forms.CharField(
        label="NHS number", max_length=20, error_messages={"required": "Enter the NHS number"}
    )
    reason = forms.CharField(
        label="Why discuss them",
        widget=forms.Textarea,
        error_messages={"required": "Enter why they should be discussed"},
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_nhs_number(self):
        raw = self.cleaned_data.get("nhs_number") or ""
        problem = nhs_number_problem(raw)
        if problem:
            raise forms.ValidationError(problem)
        person = selectors.person_by_nhs_number(self.user, normalise_nhs_number(raw))
        if person is None:
            raise forms.ValidationError("No one your team is working with has this NHS number")
        return person


class DiscussionForm(forms.Form):
    discussion = forms.CharField(
        label="Discussion", widget=forms.Textarea, error_messages={"required": "Enter the discussion"}
    )
    decisions = forms.CharField(
        label="Decisions",
        widget=forms.Textarea,
        error_messages={"required": "Enter the decisions (or 'No change')"},
    )

    def __init__(self, *args, team, **kwargs):
        super().__init__(*args, **kwargs)
        staff = selectors.team_staff(team)
        for index in range(1, ACTION_ROWS + 1):
            self.fields[f"action_{index}_what"] = forms.CharField(
                label=f"Action {index}", required=False, max_length=200
            )
            self.fields[f"action_{index}_who"] = forms.ModelChoiceField(
                label=f"Who will do action {index}",
                queryset=staff,
                required=False,
                error_messages={"invalid_choice": "Choose one of the team"},
            )
            self.fields[f"action_{index}_due"] = DateField(
                label=f"Action {index} due by", label_for_errors=f"Action {index} due by", required=False
            )
        self.fields["allocate_kind"] = forms.ChoiceField(
            label="Allocation decided",
            choices=[
                (NO_ALLOCATION, "No allocation"),
                (AllocationKind.CARE_COORDINATOR, "Allocate a care coordinator"),
                (
                    AllocationKind.ASSESSING,
                    "Allocate an assessing worker (for example, refer to the team's psychologist)",
                ),
            ],
            required=False,
            initial=NO_ALLOCATION,
            widget=forms.RadioSelect,
        )
        self.fields["allocate_worker"] = forms.ModelChoiceField(
            label="Who is allocated",
            queryset=selectors.may_hold_an_allocation(team),
            required=False,
            error_messages={"invalid_choice": "Choose one of the team"},
        )
        self.fields["discharge_planned_on"] = DateField(
            label="Discharge planned for",
            label_for_errors="Discharge planned for",
            required=False,
            help_text="If the MDT agreed a date to discharge the person. It is kept on their episode of care "
            "and the date comes up on the agenda.",
        )

    def action_rows(self):
        return [
            (self[f"action_{i}_what"], self[f"action_{i}_who"], self[f"action_{i}_due"])
            for i in range(1, ACTION_ROWS + 1)
        ]

    def clean(self):
        cleaned = super().clean()
        actions = []
        for index in range(1, ACTION_ROWS + 1):
            what = (cleaned.get(f"action_{index}_what") or "").strip()
            who, due = cleaned.get(f"action_{index}_who"), cleaned.get(f"action_{index}_due")
            if not (what or who or due):
                continue
            if not what:
                self.add_error(f"action_{index}_what", f"Enter action {index}")
            if not who:
                self.add_error(f"action_{index}_who", f"Choose who will do action {index}")
            if not due and f"action_{index}_due" not in self.errors:
                self.add_error(f"action_{index}_due", f"Enter when action {index} is due")
            if what and who and due:
                actions.append({"what": what, "assigned_to": who, "due_on": due})
        cleaned["actions"] = actions
        kind, worker = cleaned.get("allocate_kind") or NO_ALLOCATION, cleaned.get("allocate_worker")
        cleaned["allocation"] = None
        if kind and not worker and "allocate_worker" not in self.errors:
            self.add_error("allocate_worker", "Choose who is allocated")
        elif worker and not kind:
            self.add_error("allocate_kind", "Choose the allocation, or leave who is allocated empty")
        elif kind and worker:
            cleaned["allocation"] = {"kind": kind, "worker": worker}
        planned = cleaned.get("discharge_planned_on")
        if planned and planned < timezone.localdate():
            self.add_error("discharge_planned_on", "Discharge planned for must be today or in the future")
        return cleaned


class ReflectiveNotesForm(forms.Form):
    notes = forms.CharField(
        label="Notes",
        widget=forms.Textarea,
        help_text="What was reflected on and learned. No names or details of anyone who uses the service.",
        error_messages={"required": "Enter the notes"},
    )
