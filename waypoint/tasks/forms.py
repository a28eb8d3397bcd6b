from django import forms
from django.utils import timezone

from waypoint.core.forms import DateField


def _roles_label(worker):
    labels = sorted(role.get_code_display() for role in worker.roles.all())
    return ", ".join(labels)


class DelegateForm(forms.Form):
    assigned_to = forms.ChoiceField(
        label="Who is it for?",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose who the task is for"},
    )
    what = forms.CharField(
        label="What needs doing",
        max_length=200,
        help_text="A short action, for example “Go with Sam to the benefits appointment”",
        error_messages={
            "required": "Enter what needs doing",
            "max_length": "What needs doing must be 200 characters or fewer",
        },
    )
    why = forms.CharField(
        label="Why",
        widget=forms.Textarea,
        help_text="What it is for, and anything they need to know before they start",
        error_messages={"required": "Enter why this needs doing"},
    )
    due_on = DateField(label="Due by", label_for_errors="Due date")
    source_description = forms.CharField(
        label="From care plan intervention (optional)",
        max_length=300,
        required=False,
        help_text="If this comes from the care plan, say which intervention",
        error_messages={"max_length": "The care plan intervention must be 300 characters or fewer"},
    )

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.members = {str(worker.pk): (worker, team) for worker, team in members}
        self.fields["assigned_to"].choices = [
            (str(worker.pk), f"{worker.display_name} ({_roles_label(worker)}, {team.name})")
            for worker, team in members
        ]

    def clean_due_on(self):
        due = self.cleaned_data.get("due_on")
        if due is not None and due < timezone.localdate():
            raise forms.ValidationError("Due date must be today or in the future")
        return due

    def chosen(self):
        return self.members[self.cleaned_data["assigned_to"]]


class CompleteForm(forms.Form):
    note = forms.CharField(
        label="What was done",
        widget=forms.Textarea,
        help_text="This note cannot be changed once the task is completed",
        error_messages={"required": "Enter what was done"},
    )


class CancelForm(forms.Form):
    reason = forms.CharField(
        label="Why is this task no longer needed?",
        widget=forms.Textarea,
        help_text="The reason is kept with the task",
        error_messages={"required": "Enter why the task is cancelled"},
    )
