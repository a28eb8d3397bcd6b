from django import forms

from .models import AllocationKind


class AllocationForm(forms.Form):
    kind = forms.ChoiceField(
        label="Allocate as",
        choices=AllocationKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose assessing worker or care coordinator"},
    )
    worker = forms.TypedChoiceField(
        label="Worker",
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a worker", "invalid_choice": "Choose a worker from the team"},
    )
    weight = forms.TypedChoiceField(
        label="Caseload weighting",
        coerce=int,
        choices=[(n, str(n)) for n in range(1, 6)],
        initial=1,
        required=False,
        help_text="1 is a standard case; 5 is the most complex",
    )

    def __init__(self, *args, members=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.members = {member.pk: member for member in members}
        self.fields["worker"].choices = [(member.pk, member.display_name) for member in members]

    def clean_weight(self):
        return self.cleaned_data.get("weight") or 1
