from django import forms

from waypoint.patients.nhs_number import nhs_number_problem, normalise_nhs_number


class BreakGlassForm(forms.Form):
    nhs_number = forms.CharField(
        label="NHS number", error_messages={"required": "Enter the person's NHS number"}
    )
    reason = forms.CharField(
        label="Why do you need to see this record now?",
        help_text="Your reason is recorded and reviewed by the privacy officer. For example: the person has "
        "phoned the duty line in crisis and is not known to this team.",
        widget=forms.Textarea,
        min_length=10,
        max_length=1000,
        error_messages={
            "required": "Enter why you need to see this record",
            "min_length": "Reason must be at least 10 characters",
            "max_length": "Reason must be 1,000 characters or fewer",
        },
    )
    confirm = forms.BooleanField(
        label="I understand that this access is recorded and will be reviewed",
        error_messages={"required": "Confirm that you understand this access is recorded and reviewed"},
    )

    def clean_nhs_number(self):
        raw = self.cleaned_data["nhs_number"]
        problem = nhs_number_problem(raw)
        if problem:
            raise forms.ValidationError(problem)
        return normalise_nhs_number(raw)


class ReviewForm(forms.Form):
    comment = forms.CharField(
        label="Review comment",
        widget=forms.Textarea,
        max_length=1000,
        error_messages={"required": "Enter a comment saying whether the access was appropriate"},
    )
