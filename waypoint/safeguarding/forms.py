from django import forms

from waypoint.core.forms import DateField, VersionField

from .models import ADULT_CATEGORIES, CHILD_CATEGORIES, WITHOUT_CONSENT, About, Consent, Decision

CATEGORY_CHOICES = (
    [("", "Choose a category")]
    + [(value, f"Adult: {label}") for value, label in ADULT_CATEGORIES]
    + [(value, f"Child: {label}") for value, label in CHILD_CATEGORIES]
)


class RaiseConcernForm(forms.Form):
    """The one-minute form. Everything else is added to the concern later."""

    about = forms.ChoiceField(
        label="Who is the concern about?",
        choices=About.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose who the concern is about"},
    )
    household_member = forms.ChoiceField(
        label="A child or dependant recorded in the household (optional)",
        required=False,
        help_text="Choose one to link the concern to them, or type their name below",
    )
    subject_name = forms.CharField(
        label="Their name (if it is not the person)",
        required=False,
        max_length=200,
        help_text="A child or dependant in the household, or another adult",
    )
    subject_details = forms.CharField(
        label="About them (optional)",
        required=False,
        widget=forms.Textarea,
        help_text="Age or date of birth, relationship to the person, where they live",
    )
    category = forms.ChoiceField(
        label="Category",
        choices=CATEGORY_CHOICES,
        help_text="Adults: the types of abuse and neglect in the Care Act 2014. Children: the categories of harm",
        error_messages={"required": "Choose a category", "invalid_choice": "Choose one of the categories"},
    )
    account = forms.CharField(
        label="What was seen or disclosed",
        widget=forms.Textarea,
        help_text="In the person's own words where you can, in quotation marks",
        error_messages={"required": "Enter what was seen or disclosed"},
    )
    immediate_actions = forms.CharField(
        label="What has been done to keep people safe",
        widget=forms.Textarea,
        help_text="For example, police called, child's school told, person moved to a safe place",
        error_messages={"required": "Enter what has been done to keep people safe (or 'Nothing yet')"},
    )

    def __init__(self, *args, household=(), today=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.household = {str(member.pk): member for member in household}
        self.today = today
        self.fields["household_member"].choices = [("", "None of these (type their name below)")] + [
            (str(member.pk), f"{member.name} ({member.relationship})") for member in household
        ]
        if not household:
            del self.fields["household_member"]

    def clean(self):
        cleaned = super().clean()
        about, category = cleaned.get("about"), cleaned.get("category")
        member = self.household.get(cleaned.get("household_member") or "")
        cleaned["household_member"] = member
        if member is not None:
            if about and about != About.CHILD:
                self.add_error(
                    "household_member", "Choose 'A child or young person' to link a household member"
                )
            else:
                if not (cleaned.get("subject_name") or "").strip():
                    cleaned["subject_name"] = member.name
                if not (cleaned.get("subject_details") or "").strip() and self.today is not None:
                    cleaned["subject_details"] = member.summary(self.today)
        if about and about != About.PERSON and not (cleaned.get("subject_name") or "").strip():
            self.add_error("subject_name", "Enter their name (or 'Not known')")
        if about and category:
            if about == About.CHILD and not category.startswith("child_"):
                self.add_error("category", "Choose a category of harm to a child")
            if about != About.CHILD and not category.startswith("adult_"):
                self.add_error("category", "Choose a type of abuse or neglect of an adult")
        return cleaned


class ConcernDetailsForm(forms.Form):
    """Consent, the safeguarding lead, the referral, the decision and outcome: added later."""

    version = VersionField()
    consent = forms.ChoiceField(
        label="Does the person consent to a referral?",
        choices=[("", "Not recorded yet"), *Consent.choices],
        required=False,
        widget=forms.RadioSelect,
    )
    share_without_consent_reason = forms.CharField(
        label="Reason to share without consent",
        required=False,
        widget=forms.Textarea,
        help_text="For example, a child is at risk, others are at risk, or a serious crime",
    )
    lead_consulted = forms.CharField(label="Safeguarding lead consulted", required=False, max_length=200)
    lead_consulted_on = DateField(
        label="Date consulted", label_for_errors="Date consulted", required=False, past_only=True
    )
    referred_on = DateField(
        label="Date referred to the local authority",
        label_for_errors="Date referred",
        required=False,
        past_only=True,
    )
    referral_reference = forms.CharField(label="Local authority reference", required=False, max_length=100)
    decision = forms.ChoiceField(
        label="Local authority decision", choices=[("", "Not back yet"), *Decision.choices], required=False
    )
    decision_on = DateField(
        label="Date of the decision", label_for_errors="Date of the decision", required=False, past_only=True
    )
    outcome = forms.CharField(label="Outcome", required=False, widget=forms.Textarea)
    outcome_on = DateField(
        label="Date of the outcome", label_for_errors="Date of the outcome", required=False, past_only=True
    )

    def __init__(self, *args, concern, **kwargs):
        super().__init__(*args, **kwargs)
        self.concern = concern
        self.fields["decision"].choices = [
            (value, label)
            for value, label in self.fields["decision"].choices
            if not value
            or value == Decision.NO_FURTHER_ACTION
            or value.startswith("child_" if concern.is_child else "adult_")
        ]
        self.fields["referred_on"].help_text = f"To {concern.referral_route}."

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("consent") in WITHOUT_CONSENT and cleaned.get("referred_on"):
            if not (cleaned.get("share_without_consent_reason") or "").strip():
                self.add_error(
                    "share_without_consent_reason", "Enter the reason to share without the person's consent"
                )
        if cleaned.get("referral_reference") and not cleaned.get("referred_on"):
            self.add_error("referred_on", "Enter the date referred to the local authority")
        if (cleaned.get("decision") or cleaned.get("outcome")) and not cleaned.get("referred_on"):
            self.add_error("referred_on", "Enter the date referred before the decision or outcome")
        if cleaned.get("outcome") and not cleaned.get("outcome_on"):
            self.add_error("outcome_on", "Enter the date of the outcome")
        if cleaned.get("outcome_on") and not (cleaned.get("outcome") or "").strip():
            self.add_error("outcome", "Enter the outcome")
        referred = cleaned.get("referred_on")
        for name in ("decision_on", "outcome_on"):
            if referred and cleaned.get(name) and cleaned[name] < referred:
                self.add_error(name, "This date must be on or after the date referred")
        if cleaned.get("decision_on") and not cleaned.get("decision"):
            self.add_error("decision", "Choose the decision")
        return cleaned


class CloseConcernForm(forms.Form):
    version = VersionField()
    summary = forms.CharField(
        label="Why it is being closed",
        widget=forms.Textarea,
        help_text="For example, the enquiry ended and the plan is in place",
        error_messages={"required": "Enter why the concern is being closed"},
    )


class AddendumForm(forms.Form):
    text = forms.CharField(
        label="Addendum",
        widget=forms.Textarea,
        help_text="A correction or something learned later. The concern as recorded stays as it is.",
        error_messages={"required": "Enter the addendum"},
    )


class EnteredInErrorForm(forms.Form):
    reason = forms.CharField(
        label="Why was this entered in error?",
        widget=forms.Textarea,
        help_text="For example, raised on the wrong person's record. The concern stays on the record, marked with the reason.",
        error_messages={"required": "Enter why this was entered in error"},
    )


class HouseholdMemberForm(forms.Form):
    """A child or other dependant in the person's household."""

    name = forms.CharField(label="Name", max_length=200, error_messages={"required": "Enter their name"})
    date_of_birth = DateField(
        label="Date of birth",
        label_for_errors="Date of birth",
        required=False,
        past_only=True,
        example="4 6 2018",
    )
    age = forms.CharField(
        label="Age (if the date of birth is not known)",
        required=False,
        max_length=50,
        help_text="For example, 7 or 'about 12'",
    )
    relationship = forms.CharField(
        label="Relationship to the person",
        max_length=100,
        help_text="For example, son, stepdaughter, grandson, niece they look after",
        error_messages={"required": "Enter their relationship to the person"},
    )
    parental_responsibility = forms.BooleanField(
        label="The person has parental responsibility", required=False
    )
    is_carer = forms.BooleanField(label="The person is a carer for them", required=False)
    lives_with_person = forms.BooleanField(label="Lives with the person", required=False)
    agencies = forms.CharField(
        label="School or other agency known (optional)",
        required=False,
        widget=forms.Textarea,
        help_text="For example, Hillside Primary School; children's social care (allocated worker)",
    )
    notes = forms.CharField(label="Notes (optional)", required=False, widget=forms.Textarea)

    def clean(self):
        cleaned = super().clean()
        if (
            "date_of_birth" not in self.errors
            and not cleaned.get("date_of_birth")
            and not (cleaned.get("age") or "").strip()
        ):
            self.add_error("age", "Enter their date of birth or their age")
        return cleaned


class EditHouseholdMemberForm(HouseholdMemberForm):
    version = VersionField()


class EndHouseholdMemberForm(forms.Form):
    version = VersionField()
    ended_on = DateField(
        label="No longer in the household from",
        label_for_errors="The date they left the household",
        past_only=True,
        error_messages={"required": "Enter the date they left the household"},
    )


class HouseholdEnteredInErrorForm(EnteredInErrorForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[
            "reason"
        ].help_text = (
            "For example, added to the wrong person's record. It stays on the record, marked with the reason."
        )
