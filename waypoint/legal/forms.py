"""Forms for legal status. Each form lists its rows for the shared template (`rows()`), so one
template renders them all with the NHS.UK macros; the services enforce the rules."""

from django import forms

from waypoint.core.forms import DateField, TimeField, VersionField

from . import rules
from .models import (
    AdvanceKind,
    AttorneyKind,
    CapacityAssessment,
    Discharger,
    EndReason,
    EventKind,
    ImcaReason,
    LibertyKind,
    Outcome,
    RelativeEventKind,
    Requirement,
    ReviewOutcome,
    RightsMethod,
    Understood,
    Urgency,
)


def _text(label, max_length=200, required=False, help_text=""):
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        help_text=help_text,
        error_messages={
            "max_length": f"{label} must be {max_length} characters or fewer",
            "required": f"Enter {label[0].lower() + label[1:]}",
        },
    )


def _long(label, required=False, help_text=""):
    return forms.CharField(
        label=label,
        required=required,
        max_length=5000,
        help_text=help_text,
        widget=forms.Textarea,
        error_messages={"required": f"Enter {label[0].lower() + label[1:]}"},
    )


def _choice(label, choices, required=True, blank=""):
    return forms.ChoiceField(
        label=label,
        choices=([("", blank)] if blank else []) + list(choices),
        required=required,
        error_messages={
            "required": f"Choose {label[0].lower() + label[1:]}",
            "invalid_choice": "Choose one of the options",
        },
    )


def _date(label, required=True, help_text=""):
    return DateField(label=label, label_for_errors=label, required=required, help_text=help_text)


class LegalForm(forms.Form):
    radios: tuple[str, ...] = ()

    def rows(self):
        """(macro, bound field) for each visible field, in order."""
        for bound in self:
            field = bound.field
            if isinstance(field.widget, forms.HiddenInput):
                continue
            if isinstance(field, DateField):
                yield "date", bound
            elif isinstance(field, forms.BooleanField):
                yield "checkbox", bound
            elif isinstance(field, forms.ChoiceField):
                yield ("radio_choice" if bound.name in self.radios else "choice"), bound
            elif isinstance(field.widget, forms.Textarea):
                yield "long_text", bound
            else:
                yield "text", bound

    def add_problem(self, problem):
        field = problem.field if problem.field in self.fields else None
        self.add_error(field, problem.message)


class PeriodForm(LegalForm):
    section = _choice("Section", [], blank="Choose the section")
    starts_on = _date("Start date", help_text="The day the application, order or holding power began")
    start_time = TimeField(
        label="Start time",
        required=False,
        help_text="24-hour clock, for example 14:30. Needed for holding powers and section 4",
    )
    responsible_clinician = _text("Responsible clinician")
    community_clinician = _text(
        "Community clinician", help_text="CTOs, once the MHA 2025 community clinician provisions are in force"
    )
    hospital = _text("Hospital or place")
    guardian = _text("Guardian", help_text="Guardianship only: the local authority or a named person")
    conditions = _long("Conditions", help_text="CTO or guardianship conditions")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["section"].choices = [("", "Choose the section")] + [
            (code, label) for code, label in rules.all_section_codes()
        ]


class RenewForm(LegalForm):
    version = VersionField()
    on = _date("Date of renewal")
    detail = _long("Notes", help_text="For example, who examined the person and when")


class EventForm(LegalForm):
    radios = ("kind",)
    kind = _choice("What happened", [(k, label) for k, label in EventKind.choices if k != EventKind.RENEWAL])
    on = _date("Date")
    until = _date("Until", required=False, help_text="Leave: the last day. Leave blank otherwise")
    detail = _long("Details", help_text="Leave conditions, the reason for a recall, a hearing's outcome")


class EndForm(LegalForm):
    radios = ("reason", "discharged_by")
    version = VersionField()
    ended_on = _date("Date it ended")
    # A revoked CTO detains the person again: that is "Revoke the CTO" on the CTO's page, not an end.
    reason = _choice("Why it ended", [c for c in EndReason.choices if c[0] != EndReason.REVOKED])
    discharged_by = _choice("Discharged by", Discharger.choices, required=False)
    detail = _long("Details")


class RevokeForm(LegalForm):
    """Revoking a CTO (s17F(4)): the person is detained again under the section it followed."""

    radios = ("section",)
    version = VersionField()
    revoked_on = _date("Date of revocation")
    revoked_time = TimeField(label="Time of revocation", help_text="24-hour clock, for example 14:30")
    section = _choice("Detained again under", [])
    responsible_clinician = _text("Responsible clinician who revoked the CTO", required=True)
    hospital = _text("Hospital", required=True)
    amhp = _text(
        "AMHP who agreed in writing",
        required=True,
        help_text="Section 17F(4): revocation needs an approved mental health professional's agreement",
    )
    detail = _long("Notes", help_text="For example, the recall that came before it")

    def __init__(self, *args, sections=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["section"].choices = [(rule.code, rule.label) for rule in sections]
        for key, message in (
            ("responsible_clinician", "Enter the responsible clinician who revoked the CTO"),
            ("hospital", "Enter the hospital the person is detained in"),
            ("amhp", "Enter the AMHP who agreed to the revocation in writing"),
        ):
            self.fields[key].error_messages["required"] = message


class ErrorForm(LegalForm):
    reason = _long("Why this was entered in error", required=True)


class RightsForm(LegalForm):
    radios = ("method", "understood")
    given_on = _date("Date explained")
    method = _choice("How", RightsMethod.choices)
    understood = _choice("Did the person understand?", Understood.choices)
    copy_to_relative = forms.BooleanField(
        label="A copy was given to the nearest relative or nominated person", required=False
    )
    copy_to_relative_on = _date("Date the copy was given", required=False)
    next_on = _date(
        "Explain again by",
        required=False,
        help_text="Leave blank to use the schedule: 7 days if not understood, otherwise the section's repeat interval",
    )
    notes = _long("Notes")

    def __init__(self, *args, relative_term="nearest relative", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["copy_to_relative"].label = f"A copy was given to the {relative_term}"


class AftercareForm(LegalForm):
    from_section = _choice(
        "Eligible because of section",
        [
            ("3", "Section 3"),
            ("37", "Section 37"),
            ("45A", "Section 45A"),
            ("47", "Section 47"),
            ("48", "Section 48"),
        ],
    )
    eligible_from = _date("Eligible from", help_text="The day the person left hospital after the section")
    icb = _text("Responsible integrated care board", required=True)
    local_authority = _text("Responsible local authority", required=True)
    services = _long("Aftercare services", help_text="What the aftercare is: the care plan says more")
    review_on = _date("Next review", required=False)


class EndAftercareForm(LegalForm):
    version = VersionField()
    ended_on = _date("Date aftercare ends")
    ended_for_icb_by = _text("Decided for the integrated care board by", required=True)
    ended_for_local_authority_by = _text("Decided for the local authority by", required=True)
    end_reasons = _long(
        "Reasons",
        required=True,
        help_text="Why the person no longer needs aftercare services for their mental disorder",
    )


class RequestForm(LegalForm):
    radios = ("urgency",)
    requested_by = _text("Who asked for the assessment", required=True)
    requester_role = _text(
        "Their role or relationship to the person",
        help_text="For example GP, police, nearest relative, care coordinator",
    )
    urgency = _choice("Urgency", Urgency.choices)
    reason = _long("Reason for the request", required=True)
    received_on = _date("Date received")
    received_time = TimeField(label="Time received")


def relative_value(holder) -> str:
    """The recorded nearest relative or nominated person as the AMHP form's name field holds it."""
    event = holder["event"]
    return ", ".join(part for part in (event.name, event.relationship) if part)


def relative_source(holder, relative_term) -> str:
    """Where the name offered on the AMHP form came from (the Legal tab), or that none is recorded."""
    if holder is None:
        return f"No {relative_term} is recorded on the Legal tab: type who it is, or why not known"
    event, delegate = holder["event"], holder["delegate"]
    text = (
        f"From the Legal tab: {relative_value(holder)}, {event.term}, recorded on {event.on:%-d %B %Y}. "
        "Change it here if it is not right"
    )
    if delegate is not None:
        text += f". Their functions are delegated to {delegate.name} (from {delegate.on:%-d %B %Y})"
    return text


class AssessmentForm(LegalForm):
    radios = ("outcome",)
    version = VersionField()
    interviewed_on = _date("Date of interview", required=False)
    interview = _long(
        "Interview in a suitable manner",
        help_text="Where, who was there, interpreter or communication support, how you made sure the person understood",
    )
    doctor_1 = _text("First doctor (name)")
    doctor_1_s12 = forms.BooleanField(label="First doctor is section 12 approved", required=False)
    doctor_1_examined_on = _date("First doctor examined the person on", required=False)
    doctor_2 = _text("Second doctor (name)")
    doctor_2_s12 = forms.BooleanField(label="Second doctor is section 12 approved", required=False)
    doctor_2_examined_on = _date("Second doctor examined the person on", required=False)
    relative_name = _text("Nearest relative (name)")
    relative_informed = forms.BooleanField(label="Informed", required=False)
    relative_consulted = forms.BooleanField(label="Consulted", required=False)
    relative_objected = forms.BooleanField(label="Objected to the application", required=False)
    relative_notes = _long(
        "About the nearest relative",
        help_text="If not consulted, why not (not practicable, unreasonable delay)",
    )
    alternatives = _long("Less restrictive alternatives considered")
    outcome = _choice("Outcome", Outcome.choices, required=False)
    reasons = _long("Reasons for the outcome")
    conveyance = _long("Conveyance", help_text="How the person went to hospital, with whom")
    police = _long("Police involvement")
    dependants = _long("Care of dependants and pets")

    def __init__(self, *args, relative_term="nearest relative", relative_now=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["relative_name"].label = f"{relative_term.capitalize()} (name)"
        self.fields["relative_name"].help_text = relative_source(relative_now, relative_term)
        self.fields["relative_notes"].label = f"About the {relative_term}"
        for key, text in (
            ("informed", "informed"),
            ("consulted", "consulted"),
            ("objected", "objected to the application"),
        ):
            self.fields[f"relative_{key}"].label = (
                f"The {relative_term} was {text}" if key != "objected" else f"The {relative_term} {text}"
            )

    def assessment_data(self):
        data = dict(self.cleaned_data)
        data.pop("version", None)
        return {
            key: ("" if value is None and not key.endswith("_on") else value) for key, value in data.items()
        }


class LibertyAssessmentForm(LegalForm):
    radios = ("requirement", "met")
    requirement = _choice("Which assessment", Requirement.choices)
    assessor = _text("Assessor", required=True)
    completed_on = _date("Date completed")
    met = _choice("Is the requirement met?", [("yes", "Met"), ("no", "Not met")])


class ExtendForm(LegalForm):
    extended_to = _date("Extended to", help_text="Once only, by up to 7 days")


class LibertyReviewForm(LegalForm):
    review_on = _date("Review by", help_text="Within the authorisation's term")


class LibertyReviewRecordForm(LegalForm):
    radios = ("outcome",)
    reviewed_on = _date("Date of the review")
    reviewer = _text("Reviewed by", required=True, help_text="The BIA or other reviewer")
    reviewed_conditions = forms.BooleanField(label="The conditions", required=False)
    reviewed_requirements = forms.BooleanField(
        label="Whether the person still meets the qualifying requirements", required=False
    )
    outcome = _choice("Outcome", ReviewOutcome.choices)
    new_conditions = _long("The new conditions", help_text="Only when the conditions are varied")
    notes = _long("Notes")
    next_review_on = _date(
        "Next review by", required=False, help_text="Optional. By the authorisation's expiry date"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewer"].error_messages["required"] = "Enter who carried out the review"


def bia_choices():
    from waypoint.accounts.models import RoleCode, User

    return User.objects.filter(roles__code=RoleCode.BIA, is_active=True).order_by("last_name", "first_name")


class AllocateBiaForm(LegalForm):
    bia = forms.ModelChoiceField(
        label="Best Interests Assessor",
        queryset=None,
        empty_label="Choose a BIA",
        error_messages={"required": "Choose a Best Interests Assessor", "invalid_choice": "Choose a BIA"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["bia"].queryset = bia_choices()


class EndLibertyForm(LegalForm):
    ended_on = _date("Date ended")
    end_reason = _long(
        "Why it ended",
        required=True,
        help_text="For example: moved to another care home, regained capacity, ended at a review",
    )


class CompleteForm(LegalForm):
    application_on = _date("Date of the application", required=False, help_text="Leave blank for today")
    hospital = _text("Hospital")
    responsible_clinician = _text("Responsible clinician", help_text="Leave blank if not yet known")


class LibertyForm(LegalForm):
    radios = ("kind",)
    kind = _choice("Kind of authorisation", LibertyKind.choices)
    managing_authority = _text("Care home or hospital (managing authority)", required=True)
    requested_on = _date("Date requested", required=False)
    starts_on = _date("Start date")
    expires_on = _date("Expiry date", help_text="Urgent: at most 7 days. Standard: at most 12 months")
    conditions = _long("Conditions")
    representative = _text("Relevant person's representative")
    review_on = _date("Review date", required=False)
    bia = forms.ModelChoiceField(
        label="Best Interests Assessor", queryset=None, required=False, empty_label="Not allocated yet"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["bia"].queryset = bia_choices()


class RelativeForm(LegalForm):
    radios = ("kind",)
    kind = _choice("What happened", RelativeEventKind.choices)
    on = _date("Date", help_text="The day it took effect, or the day they were consulted or informed")
    carer = forms.ModelChoiceField(
        label="From the person's carers and relatives",
        queryset=None,
        required=False,
        empty_label="Not listed: type the name below",
    )
    name = _text("Name", help_text="Leave blank to use the carer chosen above")
    relationship = _text("Relationship to the person", max_length=80)
    court = _text(
        "Court and order", help_text="Displacement or court appointment: the court, date or reference"
    )
    detail = _long("Details", help_text="For example what they were consulted about and their view")

    def __init__(self, *args, person, relative_term="nearest relative", **kwargs):
        from waypoint.patients.models import Carer

        super().__init__(*args, **kwargs)
        self.fields["carer"].queryset = Carer.objects.filter(person=person).order_by("name")
        self.fields["carer"].label_from_instance = lambda c: f"{c.name} ({c.relationship})"
        self.fields["name"].label = f"Name of the {relative_term} (or the person delegated to)"


class AdvanceForm(LegalForm):
    radios = ("kind",)
    kind = _choice("Kind", AdvanceKind.choices)
    made_on = _date("Date made")
    wishes = _long("What the person wants", help_text="Treatment, care, who to contact, practical matters")
    refuses = _long("Treatment the person refuses", help_text="Which treatment, and in which circumstances")
    life_sustaining = forms.BooleanField(label="It refuses life-sustaining treatment", required=False)
    in_writing_signed_witnessed = forms.BooleanField(
        label="It is in writing, signed and witnessed", required=False
    )
    held_where = _text("Where the document is held", max_length=300)
    review_on = _date("Review by", required=False)

    def __init__(self, *args, choice_in_force=False, **kwargs):
        super().__init__(*args, **kwargs)
        if not choice_in_force:  # the service refuses it too; the form does not offer it
            self.fields["kind"].choices = [c for c in AdvanceKind.choices if c[0] != AdvanceKind.CHOICE]


class CareTreatmentPlanForm(LegalForm):
    period = forms.TypedChoiceField(
        label="For which section",
        coerce=int,
        error_messages={
            "required": "Choose the section the plan is for",
            "invalid_choice": "Choose one of the person's current sections",
        },
    )
    prepared_on = _date("Date prepared")
    prepared_by = _text("Prepared by (responsible clinician)", required=True)
    treatment = _long("The medical treatment and what it is for", required=True)
    person_views = _long(
        "The person's views and wishes, and how they were taken into account",
        required=True,
        help_text="In the person's own words where you can, including anything they disagree with",
    )
    advance_choice_considered = forms.BooleanField(
        label="Any advance choice document or advance statement was considered", required=False
    )
    others_consulted = _long(
        "Who else was consulted", help_text="The nominated person, carers, the care coordinator"
    )
    discharge_plan = _long("Planning for discharge or for ending the order")
    review_on = _date("Review by", required=False)

    def __init__(self, *args, periods=(), **kwargs):
        super().__init__(*args, **kwargs)
        self._periods = {p.pk: p for p in periods}
        self.fields["period"].choices = [("", "Choose the section")] + [
            (p.pk, f"{p.rule.label}, from {p.starts_on:%-d %B %Y}") for p in periods
        ]

    def clean_period(self):
        return self._periods[self.cleaned_data["period"]]


class CapacityForm(LegalForm):
    decision = _text("The specific decision", max_length=300, required=True)
    assessed_on = _date("Date assessed")
    support_given = _long(
        "Practicable steps taken to help the person decide",
        required=True,
        help_text="Information in an accessible form, the right time and place, someone they trust",
    )
    impairment = forms.BooleanField(
        label="Stage 1: there is an impairment of, or a disturbance in the functioning of, the mind or brain",
        required=False,
    )
    impairment_detail = _long("The impairment or disturbance")
    understands = forms.BooleanField(
        label="Can understand the information relevant to the decision", required=False
    )
    retains = forms.BooleanField(label="Can retain that information long enough to decide", required=False)
    uses_or_weighs = forms.BooleanField(label="Can use or weigh that information", required=False)
    communicates = forms.BooleanField(label="Can communicate the decision, by any means", required=False)
    because_of_impairment = forms.BooleanField(
        label="Any inability above is because of the impairment or disturbance", required=False
    )
    reasons = _long("Evidence and reasons", required=True)


class BestInterestsForm(LegalForm):
    capacity_assessment = forms.ModelChoiceField(
        label="Capacity assessment for this decision",
        queryset=None,
        required=False,
        empty_label="None recorded here",
    )
    decision = _text("The decision to be made", max_length=300, required=True)
    decided_on = _date("Date decided")
    decision_maker = _text("Decision maker", required=True)
    wishes = _long("The person's past and present wishes, feelings, beliefs and values", required=True)
    involvement = _long("How the person was helped to take part")
    consulted = _long(
        "Who was consulted, and their views",
        required=True,
        help_text="Carers, family, attorney or deputy, anyone named by the person, an IMCA",
    )
    less_restrictive = _long("Less restrictive options considered", required=True)
    could_wait = _long("Could the decision wait until the person may regain capacity?")
    outcome = _long("The decision", required=True)
    reasons = _long("Reasons", required=True)

    def __init__(self, *args, person, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["capacity_assessment"]
        field.queryset = CapacityAssessment.objects.filter(
            person=person, entered_in_error=False, lacks_capacity=True
        ).order_by("-assessed_on")
        field.label_from_instance = lambda a: f"{a.decision} ({a.assessed_on:%-d %B %Y})"


class AttorneyForm(LegalForm):
    radios = ("kind",)
    kind = _choice("Kind", AttorneyKind.choices)
    attorney = _text("Attorney or deputy (names)", max_length=300, required=True)
    acting = _text("How they act", help_text="For example alone, jointly, jointly and severally")
    registered_on = _date(
        "Registered with the Office of the Public Guardian on",
        required=False,
        help_text="A lasting power of attorney can be used only once registered",
    )
    life_sustaining = forms.BooleanField(
        label="The attorney can decide about life-sustaining treatment (health and welfare only)",
        required=False,
    )
    copy_seen = forms.BooleanField(label="We have seen the registered document", required=False)
    notes = _long("Notes")


class ImcaForm(LegalForm):
    radios = ("reason",)
    referred_on = _date("Date referred")
    reason = _choice("Why an advocate", ImcaReason.choices)
    decision = _text("The decision the advocate is for", max_length=300, required=True)
    service = _text("Advocacy service", required=True)
    advocate = _text("Advocate")
    report_on = _date("Advocate's report received on", required=False)
    notes = _long("Notes")
