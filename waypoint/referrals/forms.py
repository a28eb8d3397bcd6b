from django import forms
from django.utils import timezone

from waypoint.accounts.models import Team
from waypoint.core.forms import DateField, TimeField, VersionField, combine_local
from waypoint.patients.nhs_number import nhs_number_problem, normalise_nhs_number

from .models import Decision, Referral, RejectionReason, Source, Urgency


class FindPersonForm(forms.Form):
    nhs_number = forms.CharField(
        label="NHS number from the referral",
        required=False,
        help_text="10 digits. Leave blank if the referral does not give one: you will register the person.",
    )

    def clean_nhs_number(self):
        raw = self.cleaned_data.get("nhs_number", "")
        if not raw.strip():
            return ""
        problem = nhs_number_problem(raw)
        if problem:
            raise forms.ValidationError(problem)
        return normalise_nhs_number(raw)


class ReceivedAtMixin(forms.Form):
    received_on = DateField(label="Date received", label_for_errors="Date received", past_only=True)
    received_time = TimeField(label="Time received", error_messages={"required": "Enter the time received"})

    def clean(self):
        cleaned = super().clean()
        day, at = cleaned.get("received_on"), cleaned.get("received_time")
        if day and at:
            received = combine_local(day, at)
            if received > timezone.now():
                self.add_error("received_time", "Time received must be now or in the past")
            cleaned["received_at"] = received
        return cleaned


class ReferralForm(ReceivedAtMixin, forms.ModelForm):
    source = forms.ChoiceField(
        label="Who referred",
        choices=Source.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose who referred the person"},
    )
    urgency_requested = forms.ChoiceField(
        label="Urgency the referrer asked for",
        choices=Urgency.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the urgency the referrer asked for"},
    )
    team = forms.ModelChoiceField(
        label="Referred to team",
        queryset=Team.objects.filter(is_active=True),
        empty_label=None,
        error_messages={"required": "Choose the team"},
    )

    class Meta:
        model = Referral
        fields = [
            "team",
            "source",
            "referrer_name",
            "referrer_organisation",
            "referrer_address",
            "referrer_contact",
            "reason",
            "presenting_needs",
            "urgency_requested",
            "letter_text",
        ]
        error_messages = {
            "referrer_name": {"required": "Enter the referrer's name"},
            "reason": {"required": "Enter the reason for referral"},
        }

    def __init__(self, *args, team_ids=None, self_claim=False, **kwargs):
        """`team_ids`: the teams the user does referral intake for; only those can be chosen.

        `self_claim`: the person is outside the user's relationships, so the form asks why.
        """
        super().__init__(*args, **kwargs)
        if self_claim:
            self.fields["claim_reason"] = claim_reason_field()
        # A self-referral has no referrer to name (issue 18, item 12): asked for every other source.
        self.fields["referrer_name"].required = False
        self.fields["referrer_name"].help_text = "Not needed for a self-referral"
        if team_ids is not None:
            self.fields["team"].queryset = Team.objects.filter(is_active=True, pk__in=team_ids)
        self.fields["team"].error_messages["invalid_choice"] = (
            "Choose a team you record referrals for (you are its duty worker today, team manager, "
            "or admin and records officer)"
        )

    def clean(self):
        return _require_referrer_unless_self(self, super().clean())


def _require_referrer_unless_self(form, cleaned):
    from .models import Source

    if cleaned.get("source") == Source.SELF:
        cleaned["referrer_name"] = ""
    elif cleaned.get("source") and not cleaned.get("referrer_name") and "referrer_name" not in form.errors:
        form.add_error("referrer_name", "Enter the referrer's name")
    return cleaned


def claim_reason_field():
    """Why a referral is being recorded for a person the recorder's teams do not work with."""
    return forms.CharField(
        label="Why are you recording this referral for a person your teams do not work with?",
        help_text="Your reason is recorded and reviewed by the privacy officer. For example: GP referral "
        "letter received by post today.",
        widget=forms.Textarea,
        min_length=10,
        max_length=500,
        strip=True,
        error_messages={
            "required": "Enter why you are recording this referral",
            "min_length": "Reason must be at least 10 characters",
            "max_length": "Reason must be 500 characters or fewer",
        },
    )


class TriageForm(forms.Form):
    urgency = forms.ChoiceField(
        label="Urgency",
        choices=Urgency.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the urgency"},
    )
    decision = forms.ChoiceField(
        label="Decision",
        choices=Decision.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a decision"},
    )
    signposted_to = forms.CharField(label="Where to (if signposting)", required=False, max_length=200)
    rejection_reason = forms.ChoiceField(
        label="Reason for rejection (if rejecting)",
        choices=[("", "Choose a reason"), *RejectionReason.choices],
        required=False,
    )
    passed_to_team = forms.ModelChoiceField(
        label="Team to pass to (if passing on)",
        queryset=Team.objects.filter(is_active=True),
        required=False,
        empty_label="Choose a team",
    )
    triage_notes = forms.CharField(label="Triage notes", widget=forms.Textarea, required=False)
    version = VersionField()

    def __init__(self, *args, referral=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.referral = referral
        if referral is not None:
            self.fields["passed_to_team"].queryset = Team.objects.filter(is_active=True).exclude(
                pk=referral.team_id
            )

    def clean(self):
        cleaned = super().clean()
        decision = cleaned.get("decision")
        if decision == Decision.SIGNPOST and not cleaned.get("signposted_to"):
            self.add_error("signposted_to", "Enter where the person has been signposted to")
        if decision == Decision.REJECT and not cleaned.get("rejection_reason"):
            self.add_error("rejection_reason", "Choose the reason for rejecting the referral")
        if decision == Decision.PASS_ON and not cleaned.get("passed_to_team"):
            self.add_error("passed_to_team", "Choose the team to pass the referral to")
        return cleaned


CLOCK_EVENTS = {
    "first_contact_offered_at": "First contact offered for",
    "first_contact_attended_at": "First contact attended",
    "second_contact_attended_at": "Second contact attended",
    "first_assessment_at": "First assessment completed",
}


class ClockEventForm(forms.Form):
    event = forms.ChoiceField(
        label="What happened",
        choices=list(CLOCK_EVENTS.items()),
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what happened"},
    )
    on = DateField(label="Date", label_for_errors="Date")
    at = TimeField(label="Time", error_messages={"required": "Enter the time"})

    def __init__(self, *args, referral=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.referral = referral

    def clean(self):
        cleaned = super().clean()
        day, at, event = cleaned.get("on"), cleaned.get("at"), cleaned.get("event")
        if day and at and event:
            moment = combine_local(day, at)
            if self.referral and moment < self.referral.received_at:
                self.add_error("on", "Date must be on or after the date the referral was received")
            elif event != "first_contact_offered_at" and moment > timezone.now():
                self.add_error("on", "Date must be today or in the past: record this after it has happened")
            cleaned["moment"] = moment
        return cleaned


class WaitingListFilterForm(forms.Form):
    urgency = forms.ChoiceField(label="Urgency", choices=[("", "All"), *Urgency.choices], required=False)
    source = forms.ChoiceField(label="Source", choices=[("", "All"), *Source.choices], required=False)
    breached = forms.ChoiceField(
        label="Target",
        choices=[("", "All"), ("yes", "Breached only"), ("no", "Not breached")],
        required=False,
    )
