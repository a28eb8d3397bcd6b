from django import forms

from waypoint.core.forms import DateField, VersionField

from .formats import gp_practice_code_problem, normalise_postcode, postcode_problem
from .models import Alert, Carer, CarerAssessmentStatus, CarerConsent, GPPractice, Person
from .nhs_number import nhs_number_problem, normalise_nhs_number

PERSON_FIELDS = [
    "nhs_number",
    "given_name",
    "family_name",
    "preferred_name",
    "date_of_birth",
    "sex",
    "gender_identity",
    "ethnicity",
    "address",
    "postcode",
    "phone",
    "email",
    "gp_practice",
    "preferred_language",
    "interpreter_needed",
    "communication_needs",
    "accommodation_status",
    "employment_status",
    "religion",
]


class PersonForm(forms.ModelForm):
    nhs_number = forms.CharField(
        label="NHS number",
        required=False,
        help_text="10 digits, for example 999 123 4560. Leave blank if not known yet.",
    )
    date_of_birth = DateField(
        label="Date of birth",
        label_for_errors="Date of birth",
        past_only=True,
        example="27 3 1985",
    )
    gp_practice = forms.ModelChoiceField(
        queryset=GPPractice.objects.order_by("name"),
        required=False,
        label="GP practice",
        empty_label="Not known",
    )
    version = VersionField()

    class Meta:
        model = Person
        fields = PERSON_FIELDS
        error_messages = {
            "given_name": {"required": "Enter the person's first name"},
            "family_name": {"required": "Enter the person's last name"},
            "email": {"invalid": "Enter an email address in the correct format, like name@example.com"},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:  # registering: there is no version yet
            self.fields["version"].required = False

    def clean_nhs_number(self):
        raw = self.cleaned_data.get("nhs_number", "")
        if not raw.strip():
            return None
        problem = nhs_number_problem(raw)
        if problem:
            raise forms.ValidationError(problem)
        return normalise_nhs_number(raw)

    def clean_postcode(self):
        raw = self.cleaned_data.get("postcode", "").strip()
        if not raw:
            return ""
        problem = postcode_problem(raw)
        if problem:
            raise forms.ValidationError(problem)
        return normalise_postcode(raw)

    def validate_unique(self):
        """Duplicate NHS numbers are reported by the service, with a link to the existing record."""


class CarerForm(forms.ModelForm):
    consent_recorded_on = DateField(label="Date consent was recorded", required=False, past_only=True)
    consent_to_share = forms.ChoiceField(
        choices=CarerConsent.choices,
        label="What the person agrees we share with them",
        widget=forms.RadioSelect,
    )

    class Meta:
        model = Carer
        fields = [
            "name",
            "relationship",
            "phone",
            "email",
            "address",
            "is_carer",
            "is_nearest_relative",
            "is_nominated_person",
            "consent_to_share",
            "consent_notes",
            "consent_recorded_on",
            "carer_assessment",
        ]
        error_messages = {
            "name": {"required": "Enter the carer's name"},
            "relationship": {"required": "Enter their relationship to the person"},
            "email": {"invalid": "Enter an email address in the correct format, like name@example.com"},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # "Completed" is what recording the carer's assessment itself sets (assessments app); a free
        # choice here would contradict it (issue 18, item 12). Kept only where it is already true.
        field = self.fields["carer_assessment"]
        if self.instance.carer_assessment != CarerAssessmentStatus.COMPLETED:
            field.choices = [c for c in field.choices if c[0] != CarerAssessmentStatus.COMPLETED]
            field.help_text = "It becomes Completed when the carer's assessment is recorded"


class AlertForm(forms.ModelForm):
    class Meta:
        model = Alert
        fields = ["category", "summary"]
        error_messages = {
            "category": {"required": "Choose the kind of alert"},
            "summary": {"required": "Enter what staff need to know"},
        }
        widgets = {"category": forms.RadioSelect}


class SearchForm(forms.Form):
    q = forms.CharField(label="Name, NHS number or date of birth", required=False, max_length=100)


class TraceForm(forms.Form):
    """Find one person outside the user's relationships: exact details and a reason."""

    nhs_number = forms.CharField(
        label="NHS number",
        required=False,
        max_length=20,
        help_text="10 digits, for example 999 123 4560. If you do not know it, give the last name and date of birth.",
    )
    family_name = forms.CharField(label="Last name", required=False, max_length=100)
    date_of_birth = DateField(
        label="Date of birth",
        label_for_errors="Date of birth",
        past_only=True,
        required=False,
        example="27 3 1985",
    )
    given_name = forms.CharField(
        label="First name (optional)",
        required=False,
        max_length=100,
        help_text="Add the first name or postcode if more than one person has this last name and date of birth.",
    )
    postcode = forms.CharField(label="Postcode (optional)", required=False, max_length=10)
    reason = forms.CharField(
        label="Why do you need to trace this person?",
        help_text="Your reason is recorded against the person and shows in their access history, which the "
        "privacy officer checks. For example: "
        "the person has phoned the duty line and is not known to this team.",
        widget=forms.Textarea,
        min_length=10,
        max_length=500,
        error_messages={
            "required": "Enter why you need to trace this person",
            "min_length": "Reason must be at least 10 characters",
            "max_length": "Reason must be 500 characters or fewer",
        },
    )

    def clean_nhs_number(self):
        raw = self.cleaned_data.get("nhs_number", "")
        if not raw.strip():
            return ""
        problem = nhs_number_problem(raw)
        if problem:
            raise forms.ValidationError(problem)
        return normalise_nhs_number(raw)

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if len(reason) < 10:
            raise forms.ValidationError("Reason must be at least 10 characters")
        return reason

    def clean(self):
        cleaned = super().clean()
        if self.errors.get("nhs_number") or self.errors.get("date_of_birth"):
            return cleaned
        cleaned["family_name"] = cleaned.get("family_name", "").strip()
        cleaned["given_name"] = cleaned.get("given_name", "").strip()
        cleaned["postcode"] = cleaned.get("postcode", "").strip()
        if not cleaned.get("nhs_number"):
            if not cleaned["family_name"] and not cleaned.get("date_of_birth"):
                self.add_error("nhs_number", "Enter the NHS number, or the last name and full date of birth")
            elif not cleaned["family_name"]:
                self.add_error("family_name", "Enter the last name, as well as the date of birth")
            elif not cleaned.get("date_of_birth"):
                self.add_error("date_of_birth", "Enter the full date of birth, as well as the last name")
        return cleaned


class GPPracticeForm(forms.ModelForm):
    """Reference data, entered in the admin: the ODS code and postcode are checked as typed."""

    class Meta:
        model = GPPractice
        fields = ["ods_code", "name", "address", "postcode", "phone"]

    def clean_ods_code(self):
        raw = self.cleaned_data.get("ods_code", "").strip().upper()
        problem = gp_practice_code_problem(raw)
        if problem:
            raise forms.ValidationError(problem)
        return raw

    def clean_postcode(self):
        raw = self.cleaned_data.get("postcode", "").strip()
        if not raw:
            return ""
        problem = postcode_problem(raw)
        if problem:
            raise forms.ValidationError(problem)
        return normalise_postcode(raw)
