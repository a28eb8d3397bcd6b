"""Workforce forms: plain-English messages beside the field, everything typed kept."""

from decimal import Decimal

from django import forms

from waypoint.accounts.models import RoleCode
from waypoint.core.forms import DateField, VersionField

from .models import (
    ApprovalKind,
    AssessmentOutcome,
    DbsLevel,
    RegistrationBody,
    StudentProfession,
    SupervisionKind,
    TrainingMethod,
)


def _choice(label, choices, message, **kwargs):
    return forms.ChoiceField(
        label=label,
        choices=[("", "Choose one"), *choices],
        error_messages={"required": message, "invalid_choice": message},
        **kwargs,
    )


class WorkforceForm(forms.Form):
    """`kind_of(name)` says how a field is drawn, so one template (workforce/_fields.jinja) renders
    every form."""

    def kind_of(self, name) -> str:
        field = self.fields[name]
        if isinstance(field, DateField):
            return "date"
        if isinstance(field.widget, forms.HiddenInput):
            return "hidden"
        if isinstance(field, forms.BooleanField):
            return "checkbox"
        if isinstance(field, forms.MultipleChoiceField):
            return "checkboxes"
        if isinstance(field, forms.ChoiceField):
            return "choice"
        if isinstance(field.widget, forms.Textarea):
            return "long_text"
        return "text"


class RegistrationForm(WorkforceForm):
    body = _choice(
        "Registration body",
        RegistrationBody.choices,
        "Choose the registration body: NMC, HCPC, Social Work England or GMC",
    )
    number = forms.CharField(
        label="Registration number",
        max_length=30,
        error_messages={"required": "Enter the registration number"},
    )
    registered_on = DateField(label="Registered on", label_for_errors="Date registered", past_only=True)
    expires_on = DateField(label="Registration expires on", label_for_errors="Expiry date")
    renewal_due_on = DateField(
        label="Revalidation or renewal due on",
        label_for_errors="Revalidation or renewal date",
        required=False,
        help_text="NMC revalidation every 3 years; HCPC and Social Work England renewal every 2 years",
    )
    version = VersionField(required=False)

    def clean(self):
        data = super().clean()
        registered, expires = data.get("registered_on"), data.get("expires_on")
        if registered and expires and expires <= registered:
            self.add_error("expires_on", "Expiry date must be after the date registered")
        renewal = data.get("renewal_due_on")
        if renewal and registered and renewal <= registered:
            self.add_error("renewal_due_on", "Revalidation or renewal date must be after the date registered")
        return data


class DbsForm(WorkforceForm):
    checked_on = DateField(label="Date of the check", label_for_errors="Date of the check", past_only=True)
    level = _choice("Level", DbsLevel.choices, "Choose the level of the check")
    certificate_number = forms.CharField(label="Certificate number", max_length=20, required=False)
    update_service = forms.BooleanField(label="On the DBS Update Service", required=False)


class ApprovalForm(WorkforceForm):
    kind = _choice("Approval", ApprovalKind.choices, "Choose AMHP or BIA")
    approving_authority = forms.CharField(
        label="Approving local authority",
        max_length=120,
        error_messages={"required": "Enter the local authority that approved them"},
    )
    approved_from = DateField(label="Approved from", label_for_errors="Date approved from")
    approved_until = DateField(label="Approved until", label_for_errors="Date approved until")
    hours_required_per_year = forms.DecimalField(
        label="Training hours needed each year for re-approval",
        min_value=Decimal("0"),
        max_value=Decimal("500"),
        decimal_places=1,
        initial=Decimal("18"),
        error_messages={
            "required": "Enter the hours needed each year",
            "invalid": "Hours must be a number, like 18",
        },
    )
    other_requirements = forms.CharField(
        label="Other re-approval requirements", widget=forms.Textarea, required=False
    )

    def clean(self):
        data = super().clean()
        start, end = data.get("approved_from"), data.get("approved_until")
        if start and end and end <= start:
            self.add_error("approved_until", "Date approved until must be after the date approved from")
        return data


class ApprovalHoursForm(WorkforceForm):
    done_on = DateField(label="Date", label_for_errors="Date", past_only=True)
    hours = forms.DecimalField(
        label="Hours",
        min_value=Decimal("0.5"),
        max_value=Decimal("100"),
        decimal_places=1,
        error_messages={"required": "Enter the hours", "invalid": "Hours must be a number, like 3.5"},
    )
    activity = forms.CharField(
        label="What it was",
        max_length=200,
        error_messages={"required": "Enter what the training or practice was"},
    )


ROLE_CHOICES = [(code, label) for code, label in RoleCode.choices]


class CourseForm(WorkforceForm):
    name = forms.CharField(
        label="Course name", max_length=160, error_messages={"required": "Enter the course name"}
    )
    required_roles = forms.MultipleChoiceField(
        label="Roles that must do it",
        choices=ROLE_CHOICES,
        required=False,
        help_text="Choose none if everyone must do it",
    )
    valid_for_months = forms.IntegerField(
        label="Valid for (months)",
        min_value=1,
        max_value=120,
        required=False,
        help_text="Leave empty if it never needs renewing",
        error_messages={"invalid": "Enter a whole number of months, like 12"},
    )
    is_active = forms.BooleanField(label="In use", required=False, initial=True)
    version = VersionField(required=False)


class CompletionForm(WorkforceForm):
    course = forms.ModelChoiceField(
        label="Course",
        queryset=None,
        empty_label="Choose one",
        error_messages={"required": "Choose the course", "invalid_choice": "Choose a course from the list"},
    )
    completed_on = DateField(label="Completed on", label_for_errors="Completion date", past_only=True)
    method = _choice(
        "How",
        [c for c in TrainingMethod.choices if c[0] != TrainingMethod.IMPORTED],
        "Choose how the course was done",
    )
    evidence = forms.CharField(
        label="Evidence", max_length=200, required=False, help_text="For example a certificate number"
    )

    def __init__(self, *args, courses, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["course"].queryset = courses

    def kind_of(self, name):
        return "choice" if name == "course" else super().kind_of(name)


class SupervisionForm(WorkforceForm):
    kind = _choice(
        "Kind of supervision",
        [c for c in SupervisionKind.choices if c[0] != SupervisionKind.CASELOAD],
        "Choose the kind of supervision",
    )
    held_on = DateField(label="Date", label_for_errors="Date of the supervision", past_only=True)
    themes = forms.CharField(label="Themes discussed", widget=forms.Textarea, required=False)
    wellbeing = forms.CharField(label="Wellbeing", widget=forms.Textarea, required=False)
    actions = forms.CharField(label="Actions agreed", widget=forms.Textarea, required=False)
    next_on = DateField(
        label="Next supervision", label_for_errors="Date of the next supervision", required=False
    )

    def clean(self):
        data = super().clean()
        held, following = data.get("held_on"), data.get("next_on")
        if held and following and following <= held:
            self.add_error("next_on", "Date of the next supervision must be after this one")
        return data


class GroupSupervisionForm(SupervisionForm):
    kind = _choice(
        "Kind of supervision",
        [
            (SupervisionKind.GROUP, SupervisionKind.GROUP.label),
            (SupervisionKind.REFLECTIVE, SupervisionKind.REFLECTIVE.label),
        ],
        "Choose group supervision or reflective practice",
    )
    supervisees = forms.MultipleChoiceField(
        label="Who took part",
        choices=[],
        error_messages={"required": "Choose who took part", "invalid_choice": "Choose people from the list"},
    )

    field_order = ["kind", "held_on", "supervisees", "themes", "wellbeing", "actions", "next_on"]

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["supervisees"].choices = [(str(m.pk), m.display_name) for m in members]


class CaseloadSupervisionForm(forms.Form):
    """The session, then for each person on the caseload: discussed?, what was decided, an action."""

    held_on = DateField(label="Date", label_for_errors="Date of the supervision", past_only=True)
    themes = forms.CharField(label="Themes discussed", widget=forms.Textarea, required=False)
    wellbeing = forms.CharField(label="Wellbeing", widget=forms.Textarea, required=False)
    next_on = DateField(
        label="Next supervision", label_for_errors="Date of the next supervision", required=False
    )

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.people = list(people)
        for person in self.people:
            self.fields[f"discussed_{person.pk}"] = forms.BooleanField(
                label=f"Discussed {person.full_name}", required=False
            )
            self.fields[f"discussion_{person.pk}"] = forms.CharField(
                label="What was discussed and decided", widget=forms.Textarea, required=False
            )
            self.fields[f"action_{person.pk}"] = forms.CharField(
                label="Action for the care coordinator (becomes a task)", max_length=200, required=False
            )
            self.fields[f"due_{person.pk}"] = DateField(
                label="Action due by", label_for_errors="Date the action is due", required=False
            )

    def rows(self):
        return [
            {
                "person": p,
                "discussed": self[f"discussed_{p.pk}"],
                "discussion": self[f"discussion_{p.pk}"],
                "action": self[f"action_{p.pk}"],
                "due": self[f"due_{p.pk}"],
            }
            for p in self.people
        ]

    def clean(self):
        data = super().clean()
        held, following = data.get("held_on"), data.get("next_on")
        if held and following and following <= held:
            self.add_error("next_on", "Date of the next supervision must be after this one")
        chosen = 0
        for person in self.people:
            if not data.get(f"discussed_{person.pk}"):
                continue
            chosen += 1
            if not (data.get(f"discussion_{person.pk}") or "").strip():
                self.add_error(
                    f"discussion_{person.pk}", f"Enter what was discussed about {person.full_name}"
                )
            if data.get(f"action_{person.pk}") and not data.get(f"due_{person.pk}"):
                self.add_error(f"due_{person.pk}", "Enter the date the action is due")
        if not chosen:
            raise forms.ValidationError("Choose at least one person who was discussed")
        return data

    def discussed(self):
        data = self.cleaned_data
        return [
            (
                p,
                data[f"discussion_{p.pk}"].strip(),
                (data.get(f"action_{p.pk}") or "").strip(),
                data.get(f"due_{p.pk}"),
            )
            for p in self.people
            if data.get(f"discussed_{p.pk}")
        ]


class AppraisalForm(WorkforceForm):
    held_on = DateField(
        label="Date of the appraisal", label_for_errors="Date of the appraisal", past_only=True
    )
    objectives = forms.CharField(
        label="Objectives for the year",
        widget=forms.Textarea,
        error_messages={"required": "Enter the objectives"},
    )
    development_needs = forms.CharField(label="Development needs", widget=forms.Textarea, required=False)
    development_plan = forms.CharField(
        label="Personal development plan", widget=forms.Textarea, required=False
    )
    next_due_on = DateField(label="Next appraisal due", label_for_errors="Date the next appraisal is due")

    def clean(self):
        data = super().clean()
        held, following = data.get("held_on"), data.get("next_due_on")
        if held and following and following <= held:
            self.add_error("next_due_on", "Date the next appraisal is due must be after this appraisal")
        return data


class ProgressForm(WorkforceForm):
    reviewed_on = DateField(label="Date", label_for_errors="Date", past_only=True)
    text = forms.CharField(
        label="Progress", widget=forms.Textarea, error_messages={"required": "Enter the progress"}
    )


class PlacementForm(WorkforceForm):
    team = forms.ChoiceField(label="Team", choices=[], error_messages={"required": "Choose the team"})
    profession = _choice("Profession", StudentProfession.choices, "Choose the student's profession")
    university = forms.CharField(
        label="University", max_length=120, error_messages={"required": "Enter the university"}
    )
    year_of_study = forms.IntegerField(
        label="Year of study",
        min_value=1,
        max_value=7,
        error_messages={
            "required": "Enter the year of study",
            "invalid": "Year of study must be a number, like 2",
        },
    )
    starts_on = DateField(label="Placement starts", label_for_errors="Start date")
    ends_on = DateField(label="Placement ends", label_for_errors="End date")
    practice_supervisor = forms.ChoiceField(label="Practice supervisor", choices=[])
    practice_assessor = forms.ChoiceField(label="Practice assessor", choices=[])

    def __init__(self, *args, teams, staff, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].choices = [("", "Choose one"), *[(str(t.pk), t.name) for t in teams]]
        people = [("", "Choose one"), *[(str(s.pk), s.display_name) for s in staff]]
        for name, message in (
            ("practice_supervisor", "Choose the practice supervisor"),
            ("practice_assessor", "Choose the practice assessor"),
        ):
            self.fields[name].choices = people
            self.fields[name].error_messages = {"required": message, "invalid_choice": message}
        self._teams = {str(t.pk): t for t in teams}
        self._staff = {str(s.pk): s for s in staff}

    def clean(self):
        data = super().clean()
        start, end = data.get("starts_on"), data.get("ends_on")
        if start and end and end < start:
            self.add_error("ends_on", "End date must be on or after the start date")
        for name in ("team",):
            if data.get(name):
                data[name] = self._teams[data[name]]
        for name in ("practice_supervisor", "practice_assessor"):
            if data.get(name):
                data[name] = self._staff[data[name]]
        return data


class AssessmentsForm(WorkforceForm):
    midpoint_on = DateField(
        label="Midpoint assessment date", label_for_errors="Midpoint date", required=False
    )
    midpoint_outcome = forms.ChoiceField(
        label="Midpoint outcome", choices=[("", "Not yet"), *AssessmentOutcome.choices], required=False
    )
    final_on = DateField(label="Final assessment date", label_for_errors="Final date", required=False)
    final_outcome = forms.ChoiceField(
        label="Final outcome", choices=[("", "Not yet"), *AssessmentOutcome.choices], required=False
    )
    version = VersionField()

    def clean(self):
        data = super().clean()
        for date_name, outcome_name, what in (
            ("midpoint_on", "midpoint_outcome", "midpoint"),
            ("final_on", "final_outcome", "final"),
        ):
            if data.get(outcome_name) and not data.get(date_name):
                self.add_error(date_name, f"Enter the date of the {what} assessment")
        return data


class LineManagerForm(WorkforceForm):
    manager = forms.ChoiceField(label="Line manager", choices=[])

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["manager"].choices = [
            ("", "Choose one"),
            *[(str(c.pk), c.display_name) for c in candidates],
        ]
        self.fields["manager"].error_messages = {
            "required": "Choose the line manager",
            "invalid_choice": "Choose a line manager from the list",
        }
        self._candidates = {str(c.pk): c for c in candidates}

    def clean_manager(self):
        return self._candidates[self.cleaned_data["manager"]]


class ImportForm(forms.Form):
    file = forms.FileField(
        label="CSV file of completions",
        help_text="Columns: username, course, completed_on (YYYY-MM-DD or DD/MM/YYYY), evidence",
        error_messages={"required": "Choose a CSV file"},
    )
