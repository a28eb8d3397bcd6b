"""Forms for the diary, contacts, indirect activity and engagement, with plain-English messages."""

from datetime import datetime

from django import forms
from django.utils import timezone

from waypoint.accounts.teams import team_to_preselect
from waypoint.core.forms import DateField, ModelMultipleChoiceField, TimeField

from .engagement import FREQUENCY_CHOICES
from .interventions import INTERVENTIONS
from .models import Activity, Attendance, IndirectMethod, LocationType, Mechanism


def _minutes(label, required=True, max_value=600):
    return forms.IntegerField(
        label=label,
        required=required,
        min_value=1,
        max_value=max_value,
        error_messages={
            "required": f"Enter the {label.split(' (')[0].lower()} in minutes",
            "invalid": "Enter the number of minutes, like 45",
            "min_value": "Minutes must be 1 or more",
            "max_value": f"Minutes must be {max_value} or fewer",
        },
    )


class TeamChoiceMixin:
    """A team field limited to the teams the user belongs to, and staff limited to their members.
    The user's primary team (or their only team) is chosen for them (`primary_team`)."""

    def __init__(self, *args, primary_team=None, **kwargs):
        self.primary_team = primary_team
        super().__init__(*args, **kwargs)

    def setup_choices(self, teams, staff=None):
        self.fields["team"].queryset = teams
        if not self.is_bound:
            preselect = team_to_preselect(teams, self.primary_team)
            if preselect is not None:
                self.initial.setdefault("team", preselect)
        if staff is not None:
            self.fields["staff"].queryset = staff
            self.fields["staff"].label_from_instance = lambda user: user.display_name


def _team_field():
    return forms.ModelChoiceField(
        queryset=None,
        label="Team",
        empty_label="Choose a team",
        error_messages={"required": "Choose the team", "invalid_choice": "Choose one of your teams"},
    )


def _staff_field(label, required=True):
    return ModelMultipleChoiceField(
        queryset=None,
        label=label,
        required=required,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Choose at least one member of staff",
            "invalid_choice": "Choose staff from your teams",
        },
    )


class AppointmentForm(TeamChoiceMixin, forms.Form):
    team = _team_field()
    date = DateField(label="Date", label_for_errors="Date of the appointment")
    start_time = TimeField(label="Start time", error_messages={"required": "Enter the start time"})
    expected_minutes = _minutes("Expected length (minutes)", max_value=480)
    staff = _staff_field("Staff seeing the person")
    location_type = forms.ChoiceField(
        label="Where",
        choices=LocationType.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose where the appointment is"},
    )
    mechanism = forms.ChoiceField(
        label="How",
        choices=Mechanism.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how the appointment takes place"},
    )
    purpose = forms.CharField(
        label="Purpose",
        max_length=200,
        help_text="For example, care plan review or depot injection",
        error_messages={"required": "Enter what the appointment is for"},
    )
    # Asked only when needed (issue 18, items 5 and 9): shown after a first try raises the question.
    confirm_past = forms.BooleanField(label="Yes, book this appointment in the past", required=False)
    confirm_alone = forms.BooleanField(
        label="Yes, book this home visit with one member of staff", required=False
    )

    def __init__(self, *args, teams, staff, staff_safety_alerts=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_choices(teams, staff)
        self.staff_safety_alerts = list(staff_safety_alerts)
        self.asks = set()  # the confirmations this submission needs: "past", "alone"

    def clean(self):
        data = super().clean()
        day, start = data.get("date"), data.get("start_time")
        if day and start:
            starts = timezone.make_aware(datetime.combine(day, start))
            if starts < timezone.now():
                self.asks.add("past")
                if not data.get("confirm_past"):
                    self.add_error(
                        "confirm_past",
                        f"This appointment is in the past ({starts:%A %-d %B %Y} at {starts:%H:%M}). "
                        "Change the date or time, or tick the box to book it anyway",
                    )
        staff = data.get("staff")
        alone = data.get("location_type") == LocationType.HOME and staff is not None and len(staff) == 1
        if alone and self.staff_safety_alerts:
            self.asks.add("alone")
            if not data.get("confirm_alone"):
                alerts = "; ".join(self.staff_safety_alerts)
                self.add_error(
                    "confirm_alone",
                    f"Staff safety alert: {alerts}. Add a second member of staff, or tick the box to book "
                    "a home visit with one",
                )
        return data

    def appointment_data(self) -> dict:
        """What the service books: the confirmations are the form's questions, not the record's."""
        return {k: v for k, v in self.cleaned_data.items() if k not in ("confirm_past", "confirm_alone")}


class ContactForm(TeamChoiceMixin, forms.Form):
    team = _team_field()
    date = DateField(label="Date", label_for_errors="Date of the contact", past_only=True)
    start_time = TimeField(label="Start time", error_messages={"required": "Enter the start time"})
    attendance = forms.ChoiceField(
        label="What happened",
        choices=Attendance.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what happened"},
    )
    mechanism = forms.ChoiceField(
        label="How",
        choices=Mechanism.choices,
        widget=forms.RadioSelect,
        help_text="A text message does not take the person off the waiting list or count towards the 4-week clock",
        error_messages={"required": "Choose how the contact took place"},
    )
    location_type = forms.ChoiceField(
        label="Where",
        choices=LocationType.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose where the contact was"},
    )
    duration_minutes = _minutes("Length (minutes)", required=False)
    staff = _staff_field("Staff present")
    activities = forms.MultipleChoiceField(
        label="What was done",
        choices=Activity.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Choose all that apply",
    )

    def __init__(self, *args, teams, staff, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_choices(teams, staff)
        self.fields[
            "duration_minutes"
        ].help_text = "How long the contact lasted. Not needed if it did not happen."

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("attendance") == Attendance.ATTENDED:
            if not cleaned.get("duration_minutes") and "duration_minutes" not in self.errors:
                self.add_error("duration_minutes", "Enter how long the contact lasted, in minutes")
            if not cleaned.get("activities"):
                self.add_error("activities", "Choose what was done")
        return cleaned

    def contact_data(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("reason", None)
        return data

    @staticmethod
    def initial_from_appointment(appointment) -> dict:
        return {
            "team": appointment.team_id,
            "date": appointment.date,
            "start_time": appointment.start_time.strftime("%H:%M"),
            "mechanism": appointment.mechanism,
            "location_type": appointment.location_type,
            "duration_minutes": appointment.expected_minutes,
            "staff": [user.pk for user in appointment.staff.all()],
        }

    @staticmethod
    def initial_from_contact(contact) -> dict:
        return {
            "team": contact.team_id,
            "date": contact.date,
            "start_time": timezone.localtime(contact.occurred_at).strftime("%H:%M"),
            "attendance": contact.attendance,
            "mechanism": contact.mechanism,
            "location_type": contact.location_type,
            "duration_minutes": contact.duration_minutes,
            "staff": [user.pk for user in contact.staff.all()],
            "activities": list(contact.activities),
        }


class CorrectionForm(ContactForm):
    reason = forms.CharField(
        label="Why this correction is needed",
        widget=forms.Textarea,
        max_length=1000,
        error_messages={"required": "Enter why the contact needs correcting"},
    )


class EnteredInErrorForm(forms.Form):
    reason = forms.CharField(
        label="Why this contact was entered in error",
        help_text="For example, recorded against the wrong person. The entry is kept and shown crossed out.",
        widget=forms.Textarea,
        max_length=1000,
        error_messages={"required": "Enter why this contact was entered in error"},
    )


class IndirectActivityForm(TeamChoiceMixin, forms.Form):
    team = _team_field()
    date = DateField(label="Date", label_for_errors="Date", past_only=True)
    contact_with = forms.CharField(
        label="Who you spoke or wrote to",
        max_length=120,
        error_messages={"required": "Enter who it was with"},
    )
    organisation = forms.CharField(
        label="Their organisation",
        max_length=160,
        help_text="For example, Testville Housing or the person's GP practice",
        error_messages={"required": "Enter their organisation"},
    )
    method = forms.ChoiceField(
        label="How",
        choices=IndirectMethod.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how"},
    )
    duration_minutes = _minutes("Length (minutes)")
    summary = forms.CharField(
        label="Summary",
        widget=forms.Textarea,
        max_length=4000,
        error_messages={"required": "Enter a summary of what was discussed"},
    )

    def __init__(self, *args, teams, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_choices(teams)


class FrequencyForm(TeamChoiceMixin, forms.Form):
    team = _team_field()
    every_days = forms.TypedChoiceField(
        label="How often the team expects to see the person face to face",
        choices=FREQUENCY_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how often"},
    )

    def __init__(self, *args, teams, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_choices(teams)


class StepTakenForm(forms.Form):
    step = forms.TypedChoiceField(
        label="Step taken",
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the step you took"},
    )
    taken_on = DateField(label="Date taken", label_for_errors="Date the step was taken", past_only=True)
    outcome = forms.CharField(
        label="What happened",
        widget=forms.Textarea,
        max_length=4000,
        help_text="For example, no answer; left a card with the team's number",
        error_messages={"required": "Enter what happened"},
    )

    def __init__(self, *args, procedure, **kwargs):
        super().__init__(*args, **kwargs)
        self.procedure = {step.number: step for step in procedure}
        self.fields["step"].choices = [(step.number, f"{step.number}. {step.title}") for step in procedure]


class ProcedureForm(forms.Form):
    steps = forms.CharField(
        label="Steps, in order",
        help_text="One step on each line, first step first, for example: Phone the person",
        widget=forms.Textarea,
        max_length=2000,
        error_messages={"required": "Enter at least one step"},
    )

    def clean_steps(self):
        titles = [line.strip() for line in self.cleaned_data["steps"].splitlines() if line.strip()]
        if not titles:
            raise forms.ValidationError("Enter at least one step")
        if len(titles) > 10:
            raise forms.ValidationError("Enter 10 steps or fewer")
        if any(len(title) > 120 for title in titles):
            raise forms.ValidationError("Each step must be 120 characters or fewer")
        return titles


class CodedInterventionForm(TeamChoiceMixin, forms.Form):
    team = _team_field()
    date = DateField(label="Date delivered", label_for_errors="Date delivered", past_only=True)
    code = forms.ChoiceField(
        label="Intervention",
        choices=INTERVENTIONS,
        widget=forms.RadioSelect,
        help_text="The psychological intervention delivered, as coded for MHSDS (SNOMED CT)",
        error_messages={"required": "Choose the intervention delivered"},
    )
    contact = forms.TypedChoiceField(
        label="At which care contact (optional)",
        coerce=int,
        required=False,
        empty_value=None,
        error_messages={"invalid_choice": "Choose one of the person's attended contacts"},
    )

    def __init__(self, *args, teams, contacts, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_choices(teams)
        self._contacts = {c.pk: c for c in contacts}
        self.fields["contact"].choices = [("", "Not at a recorded contact")] + [
            (c.pk, f"{c.date:%-d %b %Y}, {c.get_mechanism_display().lower()}") for c in contacts
        ]

    def clean(self):
        cleaned = super().clean()
        contact = self._contacts.get(cleaned.get("contact")) if cleaned.get("contact") else None
        cleaned["contact"] = contact
        if contact and cleaned.get("date") and cleaned["date"] != contact.date:
            self.add_error("date", "The date must be the date of the contact chosen")
        return cleaned
