from django import forms

from waypoint.core.forms import DateField, VersionField

from .models import AllocationKind, CareApproach, DischargeKind, TransferDirection, UnplannedReason


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


CRISIS_NUMBERS = (
    "NHS 111 – choose the mental health option (24 hours a day)\n"
    "Samaritans – 116 123 (free, 24 hours a day)\n"
    "999 or A&E in an emergency"
)


class OpenEpisodeForm(forms.Form):
    team = forms.TypedChoiceField(
        label="Team",
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the team", "invalid_choice": "Choose one of your teams"},
    )
    care_approach = forms.ChoiceField(
        label="Care approach",
        choices=CareApproach.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the care approach"},
    )
    started_on = DateField(label="Start date", label_for_errors="Start date", past_only=True)

    def __init__(self, *args, teams=None, **kwargs):
        super().__init__(*args, **kwargs)
        if teams is None:
            del self.fields["team"]
        else:
            self.teams = {team.pk: team for team in teams}
            self.fields["team"].choices = [(team.pk, team.name) for team in teams]


class CoordinatorForm(AllocationForm):
    version = VersionField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["kind"]
        self.fields["worker"].label = "Care coordinator or keyworker"


class TransferRequestForm(forms.Form):
    to_team = forms.TypedChoiceField(
        label="Team to transfer to",
        coerce=int,
        error_messages={
            "required": "Choose the team to transfer to",
            "invalid_choice": "Choose a team from the list",
        },
    )
    direction = forms.ChoiceField(
        label="Kind of transfer",
        choices=TransferDirection.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the kind of transfer"},
    )
    reason = forms.CharField(
        label="Reason for the transfer",
        max_length=2000,
        widget=forms.Textarea,
        error_messages={"required": "Enter the reason for the transfer"},
    )
    handover_summary = forms.CharField(
        label="Handover summary",
        help_text="What the receiving team needs to know: current needs, risk formulation, what helps, who is involved",
        max_length=10000,
        widget=forms.Textarea,
        error_messages={"required": "Enter a handover summary"},
    )
    care_approach = forms.ChoiceField(
        label="Care approach with the receiving team",
        choices=CareApproach.choices,
        widget=forms.RadioSelect,
        help_text="The receiving team can change this when they accept",
        error_messages={"required": "Choose the care approach"},
    )
    version = VersionField()

    def __init__(self, *args, teams=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.teams = {team.pk: team for team in teams}
        self.fields["to_team"].choices = [("", "Choose a team")] + [
            (team.pk, f"{team.name} ({team.get_team_type_display()})") for team in teams
        ]


class TransferDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="Your team's decision",
        choices=[("accept", "Accept the transfer"), ("decline", "Decline the transfer")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether to accept or decline the transfer"},
    )
    care_approach = forms.ChoiceField(
        label="Care approach with your team",
        help_text="If you accept. The sending team's suggestion is chosen already",
        choices=CareApproach.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    reason = forms.CharField(
        label="Reason for your decision",
        help_text="Needed if you decline: the sending team will see it",
        max_length=2000,
        widget=forms.Textarea,
        required=False,
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == "decline" and not (data.get("reason") or "").strip():
            self.add_error("reason", "Enter the reason for declining the transfer")
        return data


class DischargeForm(forms.Form):
    kind = forms.ChoiceField(
        label="Kind of discharge",
        choices=DischargeKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose planned or unplanned"},
    )
    unplanned_reason = forms.ChoiceField(
        label="If unplanned, the reason",
        choices=UnplannedReason.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    disengagement_procedure_followed = forms.BooleanField(
        label="The disengagement procedure has been followed (attempts to contact the person, their carers and GP are recorded)",
        required=False,
    )
    reason_detail = forms.CharField(
        label="More about the reason", max_length=2000, widget=forms.Textarea, required=False
    )
    discharged_on = DateField(label="Date of discharge", label_for_errors="Date of discharge", past_only=True)
    what_happened = forms.CharField(
        label="What happened while we worked together",
        help_text="Written for the person and their GP: the support given, what changed",
        max_length=10000,
        widget=forms.Textarea,
        error_messages={"required": "Enter what happened while the team worked with the person"},
    )
    current_medication = forms.CharField(
        label="Current medication",
        max_length=4000,
        widget=forms.Textarea,
        required=False,
        help_text="As free text: name, dose and how often",
    )
    relapse_signs = forms.CharField(
        label="Signs that things may be getting worse",
        help_text="The person's early warning signs, in their words where possible",
        max_length=4000,
        widget=forms.Textarea,
        required=False,
    )
    getting_back_in_touch = forms.CharField(
        label="How to get back in touch",
        max_length=2000,
        widget=forms.Textarea,
        error_messages={"required": "Enter how the person can get back in touch"},
    )
    crisis_numbers = forms.CharField(
        label="Crisis numbers",
        max_length=2000,
        widget=forms.Textarea,
        initial=CRISIS_NUMBERS,
        error_messages={"required": "Enter the crisis numbers"},
    )
    version = VersionField()

    def clean(self):
        data = super().clean()
        if data.get("kind") == DischargeKind.UNPLANNED:
            reason = data.get("unplanned_reason")
            if not reason:
                self.add_error("unplanned_reason", "Choose the reason for the unplanned discharge")
            elif reason == UnplannedReason.DISENGAGED and not data.get("disengagement_procedure_followed"):
                self.add_error(
                    "disengagement_procedure_followed",
                    "Follow the disengagement procedure before discharging someone who has disengaged, then confirm it here",
                )
            elif reason == UnplannedReason.OTHER and not (data.get("reason_detail") or "").strip():
                self.add_error("reason_detail", "Say what the reason was")
        return data


class CareApproachForm(forms.Form):
    care_approach = forms.ChoiceField(
        label="Care approach",
        choices=CareApproach.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the care approach"},
    )
    version = VersionField()

    def __init__(self, *args, current=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.current = current

    def clean_care_approach(self):
        value = self.cleaned_data["care_approach"]
        if value == self.current:
            raise forms.ValidationError(
                "That is the care approach already: choose a different one, or cancel"
            )
        return value
