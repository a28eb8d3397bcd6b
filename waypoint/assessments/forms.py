"""One form for every kind of assessment, built from `schema.py`.

A draft can be saved with gaps; "Complete and sign off" asks for every question marked
`to_complete` (and the kind's own rules), with a plain message beside each one missing.
"""

from datetime import date

from django import forms
from django.utils import timezone

from waypoint.core.forms import DateField, VersionField

from .models import Kind
from .schema import FUNCTIONAL, SCHEMAS, capacity_outcome, questions

# Where a question's label alone is not enough in a message (the same label in every domain).
SECTION_OF = {kind: {} for kind in SCHEMAS}
SECTION_OF[Kind.HOLISTIC] = {q.name: s.heading for s in SCHEMAS[Kind.HOLISTIC] for q in s.questions}

DRAFT = "draft"
COMPLETE = "complete"
MAX_TEXT = 20_000


def _field_for(question):
    if question.type == "long":
        return forms.CharField(
            label=question.label,
            help_text=question.hint,
            required=False,
            max_length=MAX_TEXT,
            widget=forms.Textarea,
        )
    if question.type == "text":
        return forms.CharField(label=question.label, help_text=question.hint, required=False, max_length=500)
    if question.type in ("yesno", "choice"):
        return forms.ChoiceField(
            label=question.label,
            help_text=question.hint,
            required=False,
            choices=question.choices,
            widget=forms.RadioSelect,
            error_messages={"invalid_choice": f"Choose one of the answers for '{question.label}'"},
        )
    if question.type == "checkboxes":
        return forms.MultipleChoiceField(
            label=question.label,
            help_text=question.hint,
            required=False,
            choices=question.choices,
            widget=forms.CheckboxSelectMultiple,
        )
    if question.type == "date":
        return DateField(label=question.label, label_for_errors=question.label, required=False)
    raise ValueError(f"Unknown question type {question.type}")


class ReferralChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, referral):
        received = timezone.localtime(referral.received_at).strftime("%-d %B %Y")
        return f"Received {received} by {referral.team.name} ({referral.get_status_display().lower()})"


def answers_to_initial(answers: dict) -> dict:
    """Stored answers (dates as ISO strings) back into form initial values."""
    initial = {}
    for name, value in answers.items():
        if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
            try:
                value = date.fromisoformat(value)
            except ValueError:
                pass
        initial[name] = value
    return initial


class AssessmentForm(forms.Form):
    version = VersionField()

    def __init__(self, *args, kind, referrals=None, carers=None, **kwargs):
        super().__init__(*args, **kwargs)
        if self.initial.get("version") is None:  # a new assessment: there is no version yet
            self.fields["version"].required = False
        self.kind = kind
        self.fields["assessed_on"] = DateField(
            label="Date of assessment",
            label_for_errors="Date of assessment",
            past_only=True,
            required=kind != Kind.CARER,
            help_text="" if kind != Kind.CARER else "Leave blank until the assessment takes place",
        )
        if kind in (Kind.INITIAL, Kind.HOLISTIC):
            self.fields["referral"] = ReferralChoiceField(
                queryset=referrals,
                required=False,
                label="Referral this assessment is for",
                empty_label="Not linked to a referral",
                help_text="Completing it records the first assessment on the referral's clock",
            )
        if kind == Kind.CARER:
            self.fields["carer"] = forms.ModelChoiceField(
                queryset=carers,
                label="Carer",
                empty_label="Choose the carer",
                error_messages={"required": "Choose the carer this assessment is for"},
            )
            self.fields["review_on"] = DateField(
                label="Review date", label_for_errors="Review date", required=False
            )
        for question in questions(kind):
            self.fields[question.name] = _field_for(question)

    @property
    def completing(self):
        return self.is_bound and self.data.get("action") == COMPLETE

    def answers(self) -> dict:
        values = {}
        for question in questions(self.kind):
            value = self.cleaned_data.get(question.name)
            if isinstance(value, date):
                value = value.isoformat()
            if value is None:
                value = [] if question.type == "checkboxes" else ""
            values[question.name] = value
        return values

    def columns(self) -> dict:
        data = {"assessed_on": self.cleaned_data.get("assessed_on")}
        if "referral" in self.fields:
            data["referral"] = self.cleaned_data.get("referral")
        if "carer" in self.fields:
            data["carer"] = self.cleaned_data.get("carer")
            data["review_on"] = self.cleaned_data.get("review_on")
        return data

    def _missing(self, name, label, kind="answer"):
        if name in self.errors:
            return
        where = SECTION_OF[self.kind].get(name)
        about = f" for {where}" if where else ""
        if kind == "date":
            self.add_error(
                name, f"Enter the {label[0].lower() + label[1:]} before completing, or save as a draft"
            )
        else:
            self.add_error(name, f"Answer '{label}'{about} before completing, or save as a draft")

    def clean(self):
        cleaned = super().clean()
        if self.kind == Kind.CARER:
            self._clean_carer(cleaned)
        if self.completing:
            if self.kind == Kind.CARER:
                self._complete_carer(cleaned)
            else:
                for question in questions(self.kind):
                    if question.to_complete and cleaned.get(question.name) in (None, "", []):
                        self._missing(question.name, question.label, question.type)
            if self.kind == Kind.CAPACITY:
                self._complete_capacity(cleaned)
        return cleaned

    def _clean_carer(self, cleaned):
        offered, declined = cleaned.get("offered_on"), cleaned.get("declined_on")
        if cleaned.get("response") == "declined" and not declined and "declined_on" not in self.errors:
            self.add_error("declined_on", "Enter the date the carer declined")
        if offered and declined and declined < offered:
            self.add_error(
                "declined_on", "The date the carer declined must be on or after the date it was offered"
            )
        if offered and offered > timezone.localdate():
            self.add_error("offered_on", "Date the assessment was offered must be today or in the past")

    def _complete_carer(self, cleaned):
        response = cleaned.get("response")
        if not cleaned.get("offered_on"):
            self._missing("offered_on", "Date the assessment was offered", "date")
        if response in (None, "", "waiting"):
            self.add_error(
                "response",
                "Record whether the carer accepted or declined before completing, or save as a draft",
            )
            return
        if response == "declined":
            return
        if not cleaned.get("assessed_on"):
            self._missing("assessed_on", "Date of assessment", "date")
        if not cleaned.get("review_on"):
            self._missing("review_on", "Review date", "date")
        for question in questions(Kind.CARER):
            if question.to_complete and cleaned.get(question.name) in (None, "", []):
                self._missing(question.name, question.label, question.type)

    def _complete_capacity(self, cleaned):
        unable = any(cleaned.get(key) == "unable" for key, _ in FUNCTIONAL)
        if (
            cleaned.get("impairment") == "yes"
            and unable
            and cleaned.get("because_of_impairment")
            not in (
                "yes",
                "no",
            )
        ):
            self.add_error(
                "because_of_impairment",
                "Say whether the person is unable to decide because of the impairment before completing",
            )
        elif not self.errors and capacity_outcome({k: cleaned.get(k) for k in self.fields}) is None:
            self.add_error(
                None, "The answers do not yet show whether the person has capacity for this decision"
            )


def sections_with_fields(form):
    """The schema's sections with the bound fields of `form`, for the template."""
    return [
        (section, [form[q.name] for q in section.questions], section.questions)
        for section in SCHEMAS[form.kind]
    ]
