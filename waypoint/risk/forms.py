from django import forms

from waypoint.core.forms import DateField

from .models import RiskFormulation


class RiskFormulationForm(forms.ModelForm):
    """A new revision. `based_on` is the revision the form was opened on (0 for the first)."""

    review_date = DateField(label="Review date", label_for_errors="Review date")
    based_on = forms.IntegerField(
        widget=forms.HiddenInput,
        min_value=0,
        error_messages={"required": "This page is out of date: open the risk formulation again"},
    )

    class Meta:
        model = RiskFormulation
        fields = [
            "history",
            "concerns_to_self",
            "concerns_to_others",
            "concerns_from_others",
            "concerns_self_neglect",
            "triggers",
            "protective_factors",
            "what_helps",
            "management_plan",
            "review_date",
        ]
        error_messages = {"management_plan": {"required": "Enter the management plan"}}

    def clean_review_date(self):
        from django.utils import timezone

        value = self.cleaned_data.get("review_date")
        if value and value < timezone.localdate():
            raise forms.ValidationError("Review date must be today or in the future")
        return value

    def clean(self):
        cleaned = super().clean()
        concerns = [
            "concerns_to_self",
            "concerns_to_others",
            "concerns_from_others",
            "concerns_self_neglect",
        ]
        if not any((cleaned.get(name) or "").strip() for name in concerns) and not self.has_error(
            "concerns_to_self"
        ):
            self.add_error(
                "concerns_to_self",
                "Describe the current concerns in at least one area (write 'None identified' if there are none)",
            )
        return cleaned

    def formulation_data(self):
        return {name: value for name, value in self.cleaned_data.items() if name != "based_on"}
