"""Duty forms. Plain-English messages beside each field; whatever was typed is kept on error."""

from datetime import timedelta

from django import forms
from django.utils import timezone

from waypoint.core.forms import DateField, TimeField, VersionField, combine_local
from waypoint.patients.nhs_number import nhs_number_problem, normalise_nhs_number

from .models import UPDATABLE_FIELDS, CallerType, DutyEnquiry, Escalation

# A call logged "now" may be a minute ahead of the server's clock; anything later is a mistake.
FUTURE_TOLERANCE = timedelta(minutes=5)


class EnquiryForm(forms.ModelForm):
    """Log a call. The person is linked by NHS number, only among the people the user may see."""

    caller_type = forms.ChoiceField(
        label="Who called",
        choices=CallerType.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose who called"},
    )
    received_on = DateField(
        label="Date of the call",
        label_for_errors="Date of the call",
        required=False,
        help_text="Leave as it is if the call is happening now.",
    )
    received_time = TimeField(
        label="Time of the call", required=False, help_text="24-hour clock, for example 14:30"
    )
    nhs_number = forms.CharField(
        label="NHS number of the person the call is about (if known)",
        required=False,
        help_text="Links the call to their record. Only people you may see can be linked.",
    )

    class Meta:
        model = DutyEnquiry
        fields = [
            "caller_type",
            "caller_name",
            "caller_contact",
            "person_description",
            "what_was_asked",
            "safety_concerns",
            "action_taken",
            "is_crisis",
        ]
        error_messages = {
            "what_was_asked": {"required": "Enter what the caller asked"},
            "caller_name": {"max_length": "Caller's name must be 200 characters or fewer"},
            "caller_contact": {"max_length": "Caller's phone or email must be 200 characters or fewer"},
            "person_description": {"max_length": "Who the call is about must be 200 characters or fewer"},
        }
        help_texts = {
            "person_description": "If they are not on Waypoint or you do not know their NHS number: their "
            "name and anything that identifies them",
        }

    def __init__(self, *args, find_person=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.find_person = find_person

    def clean_nhs_number(self):
        raw = self.cleaned_data.get("nhs_number", "")
        if not raw.strip():
            return None
        problem = nhs_number_problem(raw)
        if problem:
            raise forms.ValidationError(problem)
        person = self.find_person(normalise_nhs_number(raw)) if self.find_person else None
        if person is None:
            raise forms.ValidationError(
                "No one you may see has this NHS number. Leave it blank and say who the call is about."
            )
        return person

    def clean(self):
        cleaned = super().clean()
        day, at = cleaned.get("received_on"), cleaned.get("received_time")
        cleaned["received_at"] = None
        if day and at:
            cleaned["received_at"] = combine_local(day, at)
            if cleaned["received_at"] > timezone.now() + FUTURE_TOLERANCE:
                self.add_error("received_time", "The time of the call must be now or in the past")
        elif day and not at and "received_time" not in self.errors:
            self.add_error("received_time", "Enter the time of the call")
        elif at and not day and "received_on" not in self.errors:
            self.add_error("received_on", "Enter the date of the call")
        return cleaned

    def enquiry_data(self) -> dict:
        """What the service logs: the linked person (or None) and when the call came in."""
        data = {name: self.cleaned_data[name] for name in self.Meta.fields}
        data["person"] = self.cleaned_data["nhs_number"]
        data["received_at"] = self.cleaned_data["received_at"]
        return data


class EnquiryUpdateForm(forms.Form):
    """Add to the call's log (each entry timestamped, never written over) and the crisis response."""

    safety_concerns = forms.CharField(
        label="Concerns about safety", widget=forms.Textarea, required=False, help_text="Added to the log"
    )
    action_taken = forms.CharField(
        label="Action taken", widget=forms.Textarea, required=False, help_text="Added to the log"
    )
    is_crisis = forms.BooleanField(label="This is a crisis", required=False)
    crisis_what_happened = forms.CharField(
        label="What happened", widget=forms.Textarea, required=False, help_text="Added to the log"
    )
    escalations = forms.MultipleChoiceField(
        label="Escalated to",
        choices=Escalation.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        error_messages={"invalid_choice": "Choose who the crisis was escalated to from the list"},
    )
    conveyed_by = forms.CharField(
        label="Conveyed by",
        required=False,
        max_length=200,
        help_text="Who took the person to the urgent appointment, for example ambulance crew or duty worker",
        error_messages={"max_length": "Conveyed by must be 200 characters or fewer"},
    )
    conveyed_on = DateField(
        label="Date conveyed",
        label_for_errors="Date conveyed",
        required=False,
    )
    conveyed_time = TimeField(label="Time conveyed", required=False)
    conveyed_to = forms.CharField(
        label="Conveyed to (urgent appointment: where)",
        required=False,
        max_length=200,
        error_messages={"max_length": "Where they were conveyed to must be 200 characters or fewer"},
    )
    version = VersionField()

    def __init__(self, *args, enquiry=None, crisis_logged=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.enquiry = enquiry
        self.crisis_logged = crisis_logged  # what happened is already in the log

    def clean(self):
        cleaned = super().clean()
        day, at = cleaned.get("conveyed_on"), cleaned.get("conveyed_time")
        cleaned["conveyed_at"] = None
        if day and at:
            cleaned["conveyed_at"] = combine_local(day, at)
            received = self.enquiry.received_at if self.enquiry is not None else None
            if received is not None and cleaned["conveyed_at"] < received:
                local = timezone.localtime(received)
                self.add_error(
                    "conveyed_time",
                    f"The time conveyed must be after the call was received ({local:%-d %B %Y} at {local:%H:%M})",
                )
        elif day and not at and "conveyed_time" not in self.errors:
            self.add_error("conveyed_time", "Enter the time conveyed")
        elif at and not day and "conveyed_on" not in self.errors:
            self.add_error("conveyed_on", "Enter the date conveyed")
        conveyed = cleaned.get("conveyed_to") or cleaned.get("conveyed_at")
        if conveyed and not cleaned.get("conveyed_by"):
            self.add_error("conveyed_by", "Enter who conveyed the person")
        if cleaned.get("conveyed_by") and not cleaned.get("conveyed_to"):
            self.add_error("conveyed_to", "Enter where the person was conveyed to")
        crisis_details = (
            cleaned.get("crisis_what_happened")
            or cleaned.get("escalations")
            or cleaned.get("conveyed_by")
            or cleaned.get("conveyed_to")
        )
        if cleaned.get("is_crisis") and not cleaned.get("crisis_what_happened") and not self.crisis_logged:
            self.add_error("crisis_what_happened", "Enter what happened in the crisis")
        elif crisis_details and not cleaned.get("is_crisis"):
            self.add_error("is_crisis", "Tick 'This is a crisis' to record a crisis response")
        return cleaned

    def enquiry_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in UPDATABLE_FIELDS}

    @staticmethod
    def initial_for(enquiry) -> dict:
        conveyed = timezone.localtime(enquiry.conveyed_at) if enquiry.conveyed_at else None
        return {  # the log's fields start empty: what is typed is added, never written over
            "is_crisis": enquiry.is_crisis,
            "escalations": enquiry.escalations,
            "conveyed_by": enquiry.conveyed_by,
            "conveyed_on": conveyed.date() if conveyed else None,
            "conveyed_time": conveyed.strftime("%H:%M") if conveyed else "",
            "conveyed_to": enquiry.conveyed_to,
            "version": enquiry.version,
        }


class CloseForm(forms.Form):
    outcome = forms.CharField(
        label="Outcome",
        widget=forms.Textarea,
        help_text="What was the result of the call? For example, advice given, appointment booked, "
        "passed to the crisis team",
        error_messages={"required": "Enter the outcome before closing the enquiry"},
    )


class HandoverForm(forms.Form):
    note = forms.CharField(
        label="Handover note for tomorrow's duty worker",
        widget=forms.Textarea,
        error_messages={"required": "Enter a handover note"},
    )


class RotaDayForm(forms.Form):
    duty_worker = forms.TypedChoiceField(
        label="Duty worker",
        coerce=int,
        required=False,
        empty_value=None,
        error_messages={"invalid_choice": "Choose a duty worker from the team's members"},
    )
    backup_worker = forms.TypedChoiceField(
        label="Back-up",
        coerce=int,
        required=False,
        empty_value=None,
        error_messages={"invalid_choice": "Choose a back-up from the team's members"},
    )

    def __init__(self, *args, members=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.members = {member.pk: member for member in members}
        choices = [("", "No one"), *[(member.pk, member.display_name) for member in members]]
        self.fields["duty_worker"].choices = choices
        self.fields["backup_worker"].choices = choices

    def clean(self):
        cleaned = super().clean()
        duty, backup = cleaned.get("duty_worker"), cleaned.get("backup_worker")
        if duty and duty == backup:
            self.add_error("backup_worker", "Choose a different person as back-up")
        elif backup and not duty and "duty_worker" not in self.errors:
            self.add_error("duty_worker", "Choose a duty worker as well as a back-up")
        return cleaned

    def workers(self):
        return (
            self.members.get(self.cleaned_data["duty_worker"]),
            self.members.get(self.cleaned_data["backup_worker"]),
        )


def parse_month(raw: str):
    """'2026-11' -> date(2026, 11, 1); anything else -> this month."""
    today = timezone.localdate()
    try:
        year, month = (int(part) for part in (raw or "").split("-"))
        if not 2000 <= year <= 2100:
            raise ValueError(year)
        return today.replace(year=year, month=month, day=1)
    except (ValueError, TypeError):
        return today.replace(day=1)
