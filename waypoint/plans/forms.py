"""Forms for plans. Content is validated per kind here; the service stores it as JSON."""

from django import forms

from waypoint.core.forms import DateField, VersionField
from waypoint.patients.models import CarerConsent

from .models import PlanKind, Recipient, ShareMethod
from .sections import about_me, care_plan_needs, sections_for

MAX_SECTION = 5000
MAX_NEEDS = 30
MAX_INTERVENTIONS = 20


class SectionsForm(forms.Form):
    """A plan made of free-text sections (crisis, relapse prevention, safety, wellness)."""

    version = VersionField()

    def __init__(self, *args, kind, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        for section in sections_for(kind):
            self.fields[section.key] = forms.CharField(
                label=section.label,
                help_text=section.hint,
                required=False,
                max_length=MAX_SECTION,
                widget=forms.Textarea,
                error_messages={"max_length": f"{section.label} must be {MAX_SECTION} characters or fewer"},
            )

    @classmethod
    def initial_for(cls, revision):
        initial = {key: value for key, value in (revision.content or {}).items()}
        initial["version"] = revision.version
        return initial

    def section_fields(self):
        return [self[section.key] for section in sections_for(self.kind)]

    def content(self):
        return {s.key: self.cleaned_data.get(s.key, "").strip() for s in sections_for(self.kind)}

    def review_date(self):
        return None


def _text(label, max_length=1000, required=False):
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        error_messages={"max_length": f"{label} must be {max_length} characters or fewer"},
    )


class CarePlanForm(forms.Form):
    """Needs -> a goal in the person's own words -> interventions (what, who, how often) -> review date.

    Rows are numbered fields (`need_0_need`, `need_0_goal`, `need_0_int_1_what`...). The page always
    offers one empty need and one empty intervention per need, so rows can be added without
    JavaScript; rows left empty are dropped on save.
    """

    version = VersionField()
    about_me = forms.CharField(
        label="About me, in the person's own words",
        help_text="What matters to them, what they would like the people supporting them to know, "
        "what helps and what does not",
        widget=forms.Textarea,
        max_length=4000,
        required=False,
    )
    need_count = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)
    review_on = DateField(label="Review date", label_for_errors="Review date", required=False)

    def __init__(self, data=None, *, needs=None, about=None, **kwargs):
        super().__init__(data, **kwargs)
        if data is not None:
            need_count = _bounded(data.get("need_count"), MAX_NEEDS + 1)
            counts = [
                _bounded(data.get(f"need_{i}_int_count"), MAX_INTERVENTIONS + 1) for i in range(need_count)
            ]
        else:
            needs = needs or []
            counts = [len(need.get("interventions") or []) + 1 for need in needs] + [1]
            need_count = len(counts)
            initial = self.initial
            initial["need_count"] = need_count
            initial["about_me"] = about or ""
            for i, need in enumerate(needs):
                initial[f"need_{i}_need"] = need.get("need", "")
                initial[f"need_{i}_goal"] = need.get("goal", "")
                initial[f"need_{i}_int_count"] = counts[i]
                for j, intervention in enumerate(need.get("interventions") or []):
                    for part in ("what", "who", "how_often"):
                        initial[f"need_{i}_int_{j}_{part}"] = intervention.get(part, "")
            initial[f"need_{need_count - 1}_int_count"] = 1
        self.counts = counts
        for i, count in enumerate(counts):
            self.fields[f"need_{i}_need"] = _text("Need", 2000)
            self.fields[f"need_{i}_goal"] = _text("Goal, in the person's own words", 2000)
            self.fields[f"need_{i}_int_count"] = forms.IntegerField(widget=forms.HiddenInput, required=False)
            for j in range(count):
                self.fields[f"need_{i}_int_{j}_what"] = _text("What will be done")
                self.fields[f"need_{i}_int_{j}_who"] = _text("Who will do it", 200)
                self.fields[f"need_{i}_int_{j}_how_often"] = _text("How often", 200)

    def rows(self):
        """For the template: each need with its bound fields and its intervention rows."""
        rows = []
        for i, count in enumerate(self.counts):
            rows.append(
                {
                    "index": i,
                    "need": self[f"need_{i}_need"],
                    "goal": self[f"need_{i}_goal"],
                    "count_field": self[f"need_{i}_int_count"],
                    "count": count,
                    "interventions": [
                        {
                            "index": j,
                            "what": self[f"need_{i}_int_{j}_what"],
                            "who": self[f"need_{i}_int_{j}_who"],
                            "how_often": self[f"need_{i}_int_{j}_how_often"],
                        }
                        for j in range(count)
                    ],
                }
            )
        return rows

    def clean(self):
        data = super().clean()
        for i, count in enumerate(self.counts):
            need = data.get(f"need_{i}_need", "").strip()
            goal = data.get(f"need_{i}_goal", "").strip()
            has_interventions = False
            for j in range(count):
                what = data.get(f"need_{i}_int_{j}_what", "").strip()
                who = data.get(f"need_{i}_int_{j}_who", "").strip()
                how_often = data.get(f"need_{i}_int_{j}_how_often", "").strip()
                if not (what or who or how_often):
                    continue
                has_interventions = True
                if not what:
                    self.add_error(f"need_{i}_int_{j}_what", "Enter what will be done")
                if not who:
                    self.add_error(f"need_{i}_int_{j}_who", "Enter who will do it")
                if not how_often:
                    self.add_error(f"need_{i}_int_{j}_how_often", "Enter how often it will happen")
            if (goal or has_interventions) and not need:
                self.add_error(f"need_{i}_need", "Enter the need this goal or intervention is for")
        return data

    def content(self):
        needs = []
        for i, count in enumerate(self.counts):
            need = self.cleaned_data.get(f"need_{i}_need", "").strip()
            if not need:
                continue
            interventions = []
            for j in range(count):
                row = {
                    part: self.cleaned_data.get(f"need_{i}_int_{j}_{part}", "").strip()
                    for part in ("what", "who", "how_often")
                }
                if any(row.values()):
                    interventions.append(row)
            needs.append(
                {
                    "need": need,
                    "goal": self.cleaned_data.get(f"need_{i}_goal", "").strip(),
                    "interventions": interventions,
                }
            )
        return {"about_me": self.cleaned_data.get("about_me", "").strip(), "needs": needs}

    def review_date(self):
        return self.cleaned_data.get("review_on")


def _bounded(raw, limit):
    try:
        value = int(raw)
    except (TypeError, ValueError):
        return 1
    return max(1, min(value, limit))


def content_form(revision, data=None):
    """The form for editing this revision's content, bound to `data` when posted."""
    if revision.plan.kind == PlanKind.CARE:
        if data is not None:
            return CarePlanForm(data, initial={"version": revision.version})
        form = CarePlanForm(needs=care_plan_needs(revision.content), about=about_me(revision.content))
        form.initial.update({"version": revision.version, "review_on": revision.review_on})
        return form
    if data is not None:
        return SectionsForm(data, kind=revision.plan.kind, initial={"version": revision.version})
    return SectionsForm(kind=revision.plan.kind, initial=SectionsForm.initial_for(revision))


YES_NO = [("yes", "Yes"), ("no", "No")]


class AgreementForm(forms.Form):
    version = VersionField()
    agreed_with_person = forms.ChoiceField(
        label="Did the person agree to this plan?",
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether the person agreed to the plan"},
    )
    not_agreed_reason = forms.CharField(
        label="If not, why not?",
        help_text="For example, what they disagreed with, or why they could not take part",
        required=False,
        max_length=2000,
        widget=forms.Textarea,
    )
    agreed_on = DateField(
        label="Date agreed",
        label_for_errors="Date agreed",
        past_only=True,
        error_messages={
            "required": "Enter the date agreed",
            "incomplete": "Date agreed must include a day, month and year",
        },
    )
    carers_involved = forms.MultipleChoiceField(
        label="Which carers were involved?", required=False, widget=forms.CheckboxSelectMultiple
    )
    carer_involvement = forms.CharField(
        label="Carer involvement",
        help_text="Anyone else involved, or why carers were not involved",
        required=False,
        max_length=2000,
        widget=forms.Textarea,
    )

    def __init__(self, *args, carers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.carers = {str(carer.pk): carer for carer in carers}
        self.fields["carers_involved"].choices = [
            (str(carer.pk), f"{carer.name} ({carer.relationship})") for carer in carers
        ]

    def clean(self):
        data = super().clean()
        if data.get("agreed_with_person") == "no" and not data.get("not_agreed_reason", "").strip():
            self.add_error("not_agreed_reason", "Say why the person did not agree to the plan")
        return data

    def chosen_carers(self):
        return [self.carers[pk] for pk in self.cleaned_data.get("carers_involved", [])]


class ShareForm(forms.Form):
    recipient = forms.ChoiceField(
        label="Who was it shared with?",
        choices=Recipient.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose who the plan was shared with"},
    )
    carer = forms.ChoiceField(
        label="Which carer or relative?",
        help_text="Only if you chose a carer or relative",
        required=False,
    )
    recipient_name = forms.CharField(
        label="Name",
        help_text="Their name and, for a professional, their organisation. Leave blank for the person or their carer.",
        required=False,
        max_length=200,
    )
    method = forms.ChoiceField(
        label="How was it shared?",
        choices=ShareMethod.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how the plan was shared"},
    )
    method_detail = forms.CharField(
        label="Details (optional)",
        help_text="For example the email address or 'other' method",
        required=False,
        max_length=200,
    )
    shared_on = DateField(
        label="Date shared",
        label_for_errors="Date shared",
        past_only=True,
        error_messages={
            "required": "Enter the date the plan was shared",
            "incomplete": "Date shared must include a day, month and year",
        },
    )
    confirm_without_consent = forms.BooleanField(
        label="I have checked with the person that they agree to this plan being shared with this carer",
        required=False,
    )

    def __init__(self, *args, carers=(), gp_name="", **kwargs):
        super().__init__(*args, **kwargs)
        self.carers = {str(carer.pk): carer for carer in carers}
        self.gp_name = gp_name
        if gp_name:
            self.fields["recipient_name"].help_text = (
                "Their name and, for a professional, their organisation. Leave blank for the person, "
                f"their carer, or their GP practice ({gp_name})."
            )
        self.fields["carer"].choices = [("", "Choose a carer")] + [
            (
                str(carer.pk),
                f"{carer.name} ({carer.relationship}) – consent: {carer.get_consent_to_share_display()}",
            )
            for carer in carers
        ]

    def clean(self):
        data = super().clean()
        recipient = data.get("recipient")
        if recipient == Recipient.CARER and not data.get("carer"):
            self.add_error("carer", "Choose which carer or relative the plan was shared with")
        if recipient == Recipient.OTHER and not data.get("recipient_name", "").strip():
            self.add_error("recipient_name", "Enter the name of the person the plan was shared with")
        if recipient == Recipient.GP and not data.get("recipient_name", "").strip() and not self.gp_name:
            self.add_error("recipient_name", "Enter the name of the GP or practice")
        if data.get("method") == ShareMethod.OTHER and not data.get("method_detail", "").strip():
            self.add_error("method_detail", "Say how the plan was shared")
        return data

    def chosen_carer(self):
        if self.cleaned_data.get("recipient") != Recipient.CARER:
            return None
        return self.carers.get(self.cleaned_data.get("carer") or "")

    def name_for(self, person):
        recipient = self.cleaned_data["recipient"]
        typed = self.cleaned_data.get("recipient_name", "").strip()
        if recipient == Recipient.PERSON:
            return typed or person.full_name
        if recipient == Recipient.GP:
            return typed or self.gp_name
        if recipient == Recipient.CARER:
            carer = self.chosen_carer()
            return typed or (carer.name if carer else "")
        return typed


def consent_label(carer):
    """Plain words for the recorded consent, shown beside each carer."""
    if carer.consent_to_share == CarerConsent.NOT_ASKED:
        return "Not yet asked"
    return carer.get_consent_to_share_display()
