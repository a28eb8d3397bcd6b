"""Forms for medicines, allergies, depots and physical health: plain-English messages beside the
field, and everything typed kept when something is wrong."""

from datetime import timedelta
from decimal import Decimal, InvalidOperation

from django import forms
from django.utils import timezone

from waypoint.core.forms import DateField, TimeField, VersionField, combine_local

from .models import (
    AllergyKind,
    Element,
    InjectionSite,
    Intervention,
    MedicineReference,
    Outcome,
    PrescribedBy,
    Severity,
    Side,
    SmokingStatus,
    Source,
    Topic,
)


def _text(label, *, required=True, max_length=200, help_text="", message=None):
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        help_text=help_text,
        error_messages={
            "required": message or f"Enter the {label.lower()}",
            "max_length": f"{label} must be {max_length} characters or fewer",
        },
    )


class NumberField(forms.CharField):
    """A number typed as text, with its plausible range: "Systolic must be between 50 and 300"."""

    def __init__(self, *, low, high, name, **kwargs):
        self.low, self.high, self.name = Decimal(str(low)), Decimal(str(high)), name
        kwargs.setdefault("error_messages", {"required": f"Enter the {name}"})
        super().__init__(**kwargs)
        self.widget.attrs.update({"inputmode": "decimal"})

    def to_python(self, value):
        value = (super().to_python(value) or "").strip()
        if not value:
            return None
        if len(value) > 20:
            raise forms.ValidationError(f"{self.name.capitalize()} must be a number, like {self.low + 1}")
        try:
            number = Decimal(value)
        except InvalidOperation:
            raise forms.ValidationError(
                f"{self.name.capitalize()} must be a number, like {self.low + 1}"
            ) from None
        if not number.is_finite() or not (self.low <= number <= self.high):
            raise forms.ValidationError(
                f"{self.name.capitalize()} must be between {self.low} and {self.high}"
            )
        return number.quantize(Decimal("0.01")) if number.as_tuple().exponent < -2 else number


class ReferenceChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} {obj.strength} {obj.form}".strip() + (" (synthetic)" if obj.synthetic else "")


def _reference_field(queryset, label="From the medicines list (optional)"):
    return ReferenceChoice(
        queryset=queryset,
        required=False,
        label=label,
        empty_label="Not from the list",
        error_messages={"invalid_choice": "Choose a medicine from the list"},
    )


class MedicineForm(forms.Form):
    reference = _reference_field(MedicineReference.objects.all())
    name = _text("Medicine name", required=False, help_text="Leave blank to use the name from the list")
    form = _text("Form", required=False, max_length=100, help_text="For example tablet, oral solution")
    strength = _text("Strength", required=False, max_length=100, help_text="For example 10 mg")
    dose = NumberField(label="Dose", low="0.001", high=100000, name="dose")
    dose_unit = _text(
        "Dose unit",
        max_length=30,
        help_text="For example mg, ml, tablets",
        message="Enter the unit of the dose, for example mg",
    )
    route = _text("Route", max_length=50, help_text="For example by mouth")
    frequency = _text(
        "How often",
        max_length=100,
        help_text="For example once a day at night",
        message="Enter how often it is taken",
    )
    started_on = DateField(label="Started", label_for_errors="Start date", past_only=True)
    prescriber = _text("Prescriber", help_text="Name of the prescriber")
    prescribed_by = forms.ChoiceField(
        label="Prescribed by",
        choices=PrescribedBy.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose who prescribes it", "invalid_choice": "Choose who prescribes it"},
    )
    is_antipsychotic = forms.BooleanField(
        label="This is an antipsychotic (schedules physical health monitoring)", required=False
    )

    def clean(self):
        data = super().clean()
        reference = data.get("reference")
        if not data.get("name"):
            if reference:
                data["name"] = reference.name
            elif "name" not in self.errors:
                self.add_error("name", "Enter the medicine name, or choose it from the list")
        if reference:
            data["form"] = data.get("form") or reference.form
            data["strength"] = data.get("strength") or reference.strength
        return data

    def values(self):
        return {k: self.cleaned_data[k] for k in self.fields}


class StopForm(forms.Form):
    version = VersionField()
    stopped_on = DateField(label="Stopped", label_for_errors="Stop date", past_only=True)
    reason = forms.CharField(
        label="Why it was stopped",
        widget=forms.Textarea,
        error_messages={"required": "Enter why it was stopped"},
    )


class AllergyForm(forms.Form):
    kind = forms.ChoiceField(
        label="Allergy or adverse reaction",
        choices=[c for c in AllergyKind.choices if c[0] != AllergyKind.NO_KNOWN_ALLERGIES],
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose allergy or adverse reaction",
            "invalid_choice": "Choose allergy or adverse reaction",
        },
    )
    substance = _text("Substance", help_text="The medicine, food or other substance")
    reaction = _text(
        "Reaction", max_length=300, help_text="What happened, for example rash, swelling of the lips"
    )
    severity = forms.ChoiceField(
        label="Severity",
        choices=Severity.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the severity", "invalid_choice": "Choose the severity"},
    )
    recorded_on = DateField(label="Date recorded", label_for_errors="Date recorded", past_only=True)


class NoKnownAllergiesForm(forms.Form):
    recorded_on = DateField(
        label="Date checked with the person", label_for_errors="Date checked", past_only=True
    )


class EnteredInErrorForm(forms.Form):
    reason = forms.CharField(
        label="Why is this entered in error?",
        widget=forms.Textarea,
        help_text="The original is kept, crossed out, with this reason",
        error_messages={"required": "Enter why this is entered in error"},
    )


class DepotForm(forms.Form):
    reference = _reference_field(
        MedicineReference.objects.filter(is_long_acting_injection=True), "Long-acting injection"
    )
    drug = _text("Drug", required=False, help_text="Leave blank to use the name from the list")
    dose = NumberField(label="Dose", low="0.001", high=10000, name="dose")
    dose_unit = _text(
        "Dose unit",
        max_length=30,
        help_text="For example mg",
        message="Enter the unit of the dose, for example mg",
    )
    interval_days = forms.IntegerField(
        label="Every (days)",
        min_value=1,
        max_value=366,
        help_text="For example 14 for fortnightly, 28 for monthly",
        error_messages={
            "required": "Enter how many days between doses",
            "invalid": "Days between doses must be a whole number, like 28",
            "min_value": "Days between doses must be between 1 and 366",
            "max_value": "Days between doses must be between 1 and 366",
        },
    )
    tolerance_days = forms.IntegerField(
        label="Window either side (days)",
        min_value=0,
        max_value=14,
        initial=3,
        help_text="How many days early or late the dose may be given",
        error_messages={
            "required": "Enter the window in days",
            "invalid": "The window must be a whole number of days, like 3",
            "min_value": "The window must be between 0 and 14 days",
            "max_value": "The window must be between 0 and 14 days",
        },
    )
    route = _text("Route", max_length=50, help_text="For example intramuscular")
    started_on = DateField(label="First dose due", label_for_errors="First dose date")
    prescriber = _text("Prescriber", help_text="Name of the prescriber")
    nurse = forms.ChoiceField(
        label="Given by (clinic nurse) (optional)",
        required=False,
        help_text="The injections show in this nurse's My diary on the days they are due",
        error_messages={"invalid_choice": "Choose the nurse from the list"},
    )

    def __init__(self, *args, nurses=(), **kwargs):
        super().__init__(*args, **kwargs)
        _nurse_choices(self, nurses)

    def clean_nurse(self):
        return self.nurses.get(self.cleaned_data.get("nurse") or "")

    def clean(self):
        data = super().clean()
        reference = data.get("reference")
        if not data.get("drug"):
            if reference:
                data["drug"] = reference.name
            elif "drug" not in self.errors:
                self.add_error("drug", "Enter the drug, or choose it from the list")
        return data

    def values(self):
        return {k: self.cleaned_data[k] for k in self.fields}


def _nurse_choices(form, nurses):
    form.nurses = {str(u.pk): u for u in nurses}
    form.fields["nurse"].choices = [("", "Not chosen yet")] + [
        (pk, u.display_name) for pk, u in form.nurses.items()
    ]


class DepotNurseForm(forms.Form):
    """Who gives a depot: the nurse whose My diary shows it."""

    version = VersionField()
    nurse = forms.ChoiceField(
        label="Given by (clinic nurse)",
        required=False,
        help_text="Choose no one to take it out of every nurse's diary",
        error_messages={"invalid_choice": "Choose the nurse from the list"},
    )

    def __init__(self, *args, nurses=(), **kwargs):
        super().__init__(*args, **kwargs)
        _nurse_choices(self, nurses)

    def clean_nurse(self):
        return self.nurses.get(self.cleaned_data.get("nurse") or "")


def _radio(label, choices, message):
    return forms.ChoiceField(
        label=label,
        choices=choices,
        widget=forms.RadioSelect,
        error_messages={"required": message, "invalid_choice": message},
    )


class AdministrationForm(forms.Form):
    given_on = DateField(label="Date given", label_for_errors="Date given", past_only=True)
    given_at = TimeField(label="Time given", error_messages={"required": "Enter the time given"})
    dose = NumberField(label="Dose given", low="0.001", high=10000, name="dose given")
    dose_unit = _text("Dose unit", max_length=30, message="Enter the unit of the dose, for example mg")
    site = _radio("Site", InjectionSite.choices, "Choose the injection site")
    side = _radio("Side", Side.choices, "Choose the side")
    batch_number = _text("Batch number", max_length=50)
    batch_expiry = DateField(label="Batch expiry date", label_for_errors="Expiry date")
    consent = forms.BooleanField(
        label="The person gave consent to this injection",
        error_messages={"required": "Confirm the person gave consent, or record the dose as refused"},
    )
    side_effects = forms.CharField(
        label="Side-effect check",
        widget=forms.Textarea,
        help_text="What you asked about and what the person said, for example stiffness, restlessness",
        error_messages={"required": "Enter the side-effect check"},
    )

    def clean(self):
        data = super().clean()
        given_on, given_at, expiry = data.get("given_on"), data.get("given_at"), data.get("batch_expiry")
        if given_on and given_at:
            data["at"] = combine_local(given_on, given_at)
            if data["at"] > timezone.now() + timedelta(minutes=5):
                self.add_error("given_at", "Time given must be now or in the past")
        if expiry and expiry < (given_on or timezone.localdate()):
            self.add_error(
                "batch_expiry",
                f"This batch expired on {expiry:%-d %B %Y}: do not give it. Use a batch that is in date",
            )
        return data

    def values(self):
        return {
            k: self.cleaned_data[k]
            for k in (
                "dose",
                "dose_unit",
                "site",
                "side",
                "batch_number",
                "batch_expiry",
                "consent",
                "side_effects",
            )
        }


class NotGivenForm(forms.Form):
    outcome = _radio(
        "What happened",
        [(Outcome.MISSED, "Missed (not seen)"), (Outcome.REFUSED, "Refused")],
        "Choose missed or refused",
    )
    on = DateField(label="Date", label_for_errors="Date", past_only=True)
    at = TimeField(label="Time", error_messages={"required": "Enter the time"})
    follow_up = forms.CharField(
        label="Follow-up taken",
        widget=forms.Textarea,
        help_text="For example phoned the person, visit rebooked, care coordinator told",
        error_messages={"required": "Enter the follow-up taken"},
    )

    def clean(self):
        data = super().clean()
        if data.get("on") and data.get("at"):
            data["moment"] = combine_local(data["on"], data["at"])
            if data["moment"] > timezone.now() + timedelta(minutes=5):
                self.add_error("at", "Time must be now or in the past")
        return data


# --- Physical health check ---

# (element, label, low, high) for the numeric values, in the order the form shows them.
NUMERIC = [
    (Element.ALCOHOL, "Alcohol (units a week)", 0, 500),
    (Element.WEIGHT, "Weight (kg)", 20, 400),
    (Element.HEIGHT, "Height (cm)", 100, 250),
    (Element.BMI, "BMI (leave blank to work it out)", 10, 90),
    (Element.HBA1C, "HbA1c (mmol/mol)", 10, 200),
    (Element.FASTING_GLUCOSE, "Fasting glucose (mmol/L)", 1, 40),
    (Element.TOTAL_CHOLESTEROL, "Total cholesterol (mmol/L)", 1, 20),
    (Element.WAIST, "Waist (cm)", 40, 250),
    (Element.PULSE, "Pulse (beats a minute)", 20, 250),
    (Element.QRISK, "QRISK (%)", 0, 100),
]
ALL_ELEMENTS = [e for e, *_ in NUMERIC] + [Element.SMOKING, Element.BLOOD_PRESSURE, Element.ECG]
SOUTH_ASIAN_OR_CHINESE = {"H", "J", "K", "L", "R"}  # NHS ethnic categories


class CheckForm(forms.Form):
    checked_on = DateField(label="Date of the check", label_for_errors="Date of the check", past_only=True)
    south_asian_or_chinese = forms.BooleanField(
        label="South Asian or Chinese background (BMI flag from 23)", required=False
    )
    smoking_text = forms.ChoiceField(
        label="Smoking status",
        required=False,
        choices=[("", "Not recorded"), *SmokingStatus.choices],
        error_messages={"invalid_choice": "Choose a smoking status from the list"},
    )
    blood_pressure_value = NumberField(
        label="Systolic (top number)", low=50, high=300, name="systolic", required=False
    )
    blood_pressure_value_2 = NumberField(
        label="Diastolic (bottom number)", low=30, high=200, name="diastolic", required=False
    )
    ecg_text = _text(
        "ECG finding (where indicated)", required=False, help_text="For example normal, QTc 430 ms"
    )
    comments = forms.CharField(label="Comments (optional)", widget=forms.Textarea, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for element, label, low, high in NUMERIC:
            self.fields[f"{element}_value"] = NumberField(
                label=label, low=low, high=high, name=label.split(" (")[0].lower(), required=False
            )
        for element in ALL_ELEMENTS:
            self.fields[f"{element}_on"] = DateField(
                label="Date measured (if not the check date)",
                label_for_errors="Date measured",
                past_only=True,
                required=False,
            )
            self.fields[f"{element}_source"] = forms.ChoiceField(
                label="Where it came from",
                choices=Source.choices,
                initial=Source.HERE,
                error_messages={
                    "required": "Choose where it came from",
                    "invalid_choice": "Choose where it came from",
                },
            )

    def clean(self):
        data = super().clean()
        systolic, diastolic = data.get("blood_pressure_value"), data.get("blood_pressure_value_2")
        if (systolic is None) != (diastolic is None) and not (
            self.has_error("blood_pressure_value") or self.has_error("blood_pressure_value_2")
        ):
            self.add_error(
                "blood_pressure_value_2" if diastolic is None else "blood_pressure_value",
                "Enter both numbers of the blood pressure",
            )
        if systolic is not None and diastolic is not None and diastolic >= systolic:
            self.add_error("blood_pressure_value_2", "Diastolic must be lower than systolic")
        if not self.errors and not self.measurements():
            self.add_error(None, "Enter at least one result")
        return data

    def measurements(self) -> dict:
        data, checked_on = self.cleaned_data, self.cleaned_data.get("checked_on")
        found = {}
        for element in ALL_ELEMENTS:
            value = data.get(f"{element}_value")
            value_2 = data.get(f"{element}_value_2")
            text = data.get(f"{element}_text") or ""
            if value is None and not text:
                continue
            found[element] = {
                "value": value,
                "value_2": value_2,
                "text": text,
                "measured_on": data.get(f"{element}_on") or checked_on,
                "source": data.get(f"{element}_source") or Source.HERE,
            }
        return found

    def element_rows(self):
        """(element label, [value fields], date field, source field) in the order shown."""
        rows = []
        order = [
            Element.ALCOHOL,
            Element.SMOKING,
            Element.WEIGHT,
            Element.HEIGHT,
            Element.BMI,
            Element.BLOOD_PRESSURE,
            Element.HBA1C,
            Element.FASTING_GLUCOSE,
            Element.TOTAL_CHOLESTEROL,
            Element.WAIST,
            Element.PULSE,
            Element.QRISK,
            Element.ECG,
        ]
        for element in order:
            if element == Element.SMOKING:
                values = [self["smoking_text"]]
            elif element == Element.BLOOD_PRESSURE:
                values = [self["blood_pressure_value"], self["blood_pressure_value_2"]]
            elif element == Element.ECG:
                values = [self["ecg_text"]]
            else:
                values = [self[f"{element}_value"]]
            rows.append(
                (Element(element).label, element, values, self[f"{element}_on"], self[f"{element}_source"])
            )
        return rows


class FlagActionForm(forms.Form):
    intervention = _radio("What was done", Intervention.choices, "Choose what was done")
    detail = forms.CharField(label="Details (optional)", widget=forms.Textarea, required=False)


class BriefInterventionForm(forms.Form):
    topic = _radio("Topic", Topic.choices, "Choose the topic")
    given_on = DateField(label="Date", label_for_errors="Date", past_only=True)
    discussed = forms.CharField(
        label="What was discussed",
        widget=forms.Textarea,
        error_messages={"required": "Enter what was discussed"},
    )
    referral = _text(
        "Referral made (optional)",
        required=False,
        max_length=300,
        help_text="For example stop smoking service",
    )
    contact = forms.ChoiceField(
        label="On a contact (optional)",
        required=False,
        error_messages={"invalid_choice": "Choose a contact from the list"},
    )

    def __init__(self, *args, contacts=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.contacts = {str(c.pk): c for c in contacts}
        self.fields["contact"].choices = [("", "Not on a contact")] + [
            (str(c.pk), f"Contact on {timezone.localtime(c.occurred_at):%-d %b %Y at %H:%M}")
            for c in contacts
        ]

    def values(self):
        data = self.cleaned_data
        return {
            "topic": data["topic"],
            "given_on": data["given_on"],
            "discussed": data["discussed"],
            "referral": data["referral"],
            "contact": self.contacts.get(data.get("contact") or ""),
        }


def default_south_asian_or_chinese(person) -> bool:
    return (person.ethnicity or "") in SOUTH_ASIAN_OR_CHINESE


class ContactBriefInterventionsForm(forms.Form):
    """The brief interventions given at a contact, on the contact form (prefix "brief"): tick each
    topic, say what was discussed and any referral made. Nothing ticked: nothing recorded."""

    topics = forms.MultipleChoiceField(
        label="Brief interventions given (optional)",
        choices=Topic.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Making every contact count: tick each topic you gave advice on",
        error_messages={"invalid_choice": "Choose the topics from the list"},
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "brief")
        super().__init__(*args, **kwargs)
        for value, label in Topic.choices:
            self.fields[f"discussed_{value}"] = forms.CharField(
                label=f"{label}: what was discussed", widget=forms.Textarea, required=False
            )
            self.fields[f"referral_{value}"] = forms.CharField(
                label=f"{label}: referral made (optional)",
                required=False,
                max_length=300,
                help_text="For example stop smoking service",
                error_messages={"max_length": "The referral must be 300 characters or fewer"},
            )

    def clean(self):
        data = super().clean()
        for topic in data.get("topics") or []:
            if not (data.get(f"discussed_{topic}") or "").strip():
                self.add_error(
                    f"discussed_{topic}", f"Enter what was discussed about {Topic(topic).label.lower()}"
                )
        return data

    def topic_rows(self):
        """(value, label, discussed field, referral field) for the template's conditional reveals."""
        return [(v, label, self[f"discussed_{v}"], self[f"referral_{v}"]) for v, label in Topic.choices]

    def items(self) -> list[dict]:
        data = self.cleaned_data
        return [
            {
                "topic": topic,
                "discussed": data[f"discussed_{topic}"].strip(),
                "referral": data.get(f"referral_{topic}", "").strip(),
            }
            for topic in data.get("topics") or []
        ]
