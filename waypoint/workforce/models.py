"""Workforce records of a member of staff: line management, professional registration, DBS,
AMHP and BIA approval, mandatory training, supervision, appraisal and student placements.

A member of staff's workforce record is seen by them, their line manager, the team manager of a
team they are in and a workforce administrator, and nobody else (`access.py`). Services write.
"""

import calendar
from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from waypoint.core.fields import CodeField

USER = settings.AUTH_USER_MODEL


def add_months(day: date, months: int) -> date:
    """The same day `months` later (the last day of the month when that day does not exist)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


class LineManagementQuerySet(models.QuerySet):
    def current(self, on=None):
        on = on or timezone.localdate()
        return self.filter(started_on__lte=on).filter(Q(ended_on__isnull=True) | Q(ended_on__gte=on))


class LineManagement(models.Model):
    """Who line manages whom, from when (accounts has no line manager)."""

    staff = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="line_managed_by")
    manager = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="line_manages")
    started_on = models.DateField(default=timezone.localdate)
    ended_on = models.DateField(null=True, blank=True)

    objects = LineManagementQuerySet.as_manager()

    class Meta:
        ordering = ["-started_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(staff=models.F("manager")), name="line_manager_is_someone_else"
            )
        ]

    def __str__(self):
        return f"{self.manager} line manages {self.staff}"


class RegistrationBody(models.TextChoices):
    NMC = "nmc", "Nursing and Midwifery Council (NMC)"
    HCPC = "hcpc", "Health and Care Professions Council (HCPC)"
    SWE = "swe", "Social Work England"
    GMC = "gmc", "General Medical Council (GMC)"


class ProfessionalRegistration(models.Model):
    staff = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="registrations")
    body = CodeField("Registration body", max_length=10, choices=RegistrationBody.choices)
    number = models.CharField("Registration number", max_length=30)
    registered_on = models.DateField("Registered on")
    expires_on = models.DateField("Registration expires on")
    renewal_due_on = models.DateField("Revalidation or renewal due on", null=True, blank=True)
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-expires_on", "-id"]

    def __str__(self):
        return f"{self.get_body_display()} {self.number}"


class DbsLevel(models.TextChoices):
    BASIC = "basic", "Basic"
    STANDARD = "standard", "Standard"
    ENHANCED = "enhanced", "Enhanced"
    ENHANCED_BARRED = "enhanced_barred", "Enhanced with barred lists"


class DbsCheck(models.Model):
    staff = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="dbs_checks")
    checked_on = models.DateField("Date of the check")
    level = CodeField("Level", max_length=20, choices=DbsLevel.choices)
    certificate_number = models.CharField("Certificate number", max_length=20, blank=True)
    update_service = models.BooleanField("On the DBS Update Service", default=False)
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-checked_on", "-id"]

    def __str__(self):
        return f"DBS {self.level} {self.checked_on}"


class ApprovalKind(models.TextChoices):
    AMHP = "amhp", "Approved Mental Health Professional (AMHP)"
    BIA = "bia", "Best Interests Assessor (BIA)"


class Approval(models.Model):
    """An AMHP or BIA approval by a local authority, for a period, with what re-approval needs."""

    staff = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="approvals")
    kind = CodeField("Approval", max_length=10, choices=ApprovalKind.choices)
    approving_authority = models.CharField("Approving local authority", max_length=120)
    approved_from = models.DateField("Approved from")
    approved_until = models.DateField("Approved until")
    hours_required_per_year = models.DecimalField(
        "Training hours needed each year for re-approval", max_digits=5, decimal_places=1, default=18
    )
    other_requirements = models.TextField("Other re-approval requirements", blank=True)
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-approved_until", "-id"]

    def __str__(self):
        return self.get_kind_display()


class ApprovalHours(models.Model):
    """Training or practice hours counted towards re-approval."""

    approval = models.ForeignKey(Approval, on_delete=models.PROTECT, related_name="hours")
    done_on = models.DateField("Date")
    hours = models.DecimalField("Hours", max_digits=5, decimal_places=1)
    activity = models.CharField("What it was", max_length=200)
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-done_on", "-id"]

    def __str__(self):
        return f"{self.hours} hours on {self.done_on}"


class TrainingMethod(models.TextChoices):
    E_LEARNING = "e_learning", "E-learning"
    FACE_TO_FACE = "face_to_face", "Face to face"
    VIRTUAL = "virtual", "Virtual classroom"
    ASSESSMENT = "assessment", "Assessment of competence"
    IMPORTED = "imported", "Imported from the learning system"


class Course(models.Model):
    """A mandatory or statutory course in the Trust's catalogue."""

    name = models.CharField("Course name", max_length=160, unique=True)
    required_roles = models.JSONField(
        "Roles that must do it", default=list, blank=True, help_text="Role codes; empty means everyone"
    )
    valid_for_months = models.PositiveIntegerField(
        "Valid for (months)", null=True, blank=True, help_text="Leave empty if it never needs renewing"
    )
    is_active = models.BooleanField("In use", default=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def applies_to(self, role_codes) -> bool:
        return not self.required_roles or bool(set(self.required_roles) & set(role_codes))

    def expiry_for(self, completed_on: date) -> date | None:
        if self.valid_for_months is None:
            return None
        return add_months(completed_on, self.valid_for_months)


class TrainingCompletion(models.Model):
    staff = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="training_completions")
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="completions")
    completed_on = models.DateField("Completed on")
    method = CodeField("How", max_length=20, choices=TrainingMethod.choices)
    evidence = models.CharField(
        "Evidence", max_length=200, blank=True, help_text="For example a certificate number"
    )
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", null=True)
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-completed_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["staff", "course", "completed_on"], name="one_completion_a_day")
        ]

    def __str__(self):
        return f"{self.course_id} on {self.completed_on}"


class SupervisionKind(models.TextChoices):
    CLINICAL = "clinical", "Clinical supervision"
    MANAGERIAL = "managerial", "Managerial supervision"
    CASELOAD = "caseload", "Caseload supervision"
    GROUP = "group", "Group supervision"
    REFLECTIVE = "reflective", "Reflective practice"


class SupervisionPolicy(models.Model):
    """How often the Trust's policy says a role has supervision of a kind (configurable)."""

    role = CodeField("Role", max_length=40)
    kind = CodeField("Kind", max_length=20, choices=SupervisionKind.choices)
    every_weeks = models.PositiveIntegerField("Every (weeks)")

    class Meta:
        ordering = ["role", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["role", "kind"], name="one_supervision_policy_per_role_kind")
        ]

    def __str__(self):
        return f"{self.role} {self.kind} every {self.every_weeks} weeks"


class Supervision(models.Model):
    """A supervision session: one supervisee, or several for group and reflective supervision."""

    kind = CodeField("Kind of supervision", max_length=20, choices=SupervisionKind.choices)
    held_on = models.DateField("Date")
    supervisor = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="supervisions_given")
    supervisees = models.ManyToManyField(USER, related_name="supervisions_received")
    themes = models.TextField("Themes discussed", blank=True)
    wellbeing = models.TextField("Wellbeing", blank=True)
    actions = models.TextField("Actions agreed", blank=True)
    next_on = models.DateField("Next supervision", null=True, blank=True)
    team = models.ForeignKey("accounts.Team", on_delete=models.PROTECT, related_name="+", null=True)
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-held_on", "-id"]

    def __str__(self):
        return f"{self.get_kind_display()} on {self.held_on}"


class CaseDiscussion(models.Model):
    """One person discussed in caseload supervision, the note it put on their record and any task."""

    supervision = models.ForeignKey(Supervision, on_delete=models.PROTECT, related_name="cases")
    person = models.ForeignKey("patients.Person", on_delete=models.PROTECT, related_name="+")
    note = models.ForeignKey("notes.Note", on_delete=models.PROTECT, related_name="+")
    task = models.ForeignKey("tasks.Task", on_delete=models.PROTECT, related_name="+", null=True)

    def __str__(self):
        return f"Case {self.person_id} in supervision {self.supervision_id}"


class Appraisal(models.Model):
    """The annual appraisal (personal development review or conversation) and its plan."""

    staff = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="appraisals")
    appraiser = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="appraisals_given")
    held_on = models.DateField("Date of the appraisal")
    objectives = models.TextField("Objectives for the year")
    development_needs = models.TextField("Development needs", blank=True)
    development_plan = models.TextField("Personal development plan", blank=True)
    next_due_on = models.DateField("Next appraisal due")
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-held_on", "-id"]

    def __str__(self):
        return f"Appraisal on {self.held_on}"


class AppraisalProgress(models.Model):
    """Progress through the year against the objectives and plan."""

    appraisal = models.ForeignKey(Appraisal, on_delete=models.PROTECT, related_name="progress")
    reviewed_on = models.DateField("Date")
    text = models.TextField("Progress")
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["reviewed_on", "id"]

    def __str__(self):
        return f"Progress on {self.reviewed_on}"


class StudentProfession(models.TextChoices):
    NURSING = "nursing", "Mental health nursing"
    SOCIAL_WORK = "social_work", "Social work"
    OCCUPATIONAL_THERAPY = "occupational_therapy", "Occupational therapy"
    PSYCHOLOGY = "psychology", "Psychology"
    MEDICINE = "medicine", "Medicine"
    OTHER = "other", "Other"


class AssessmentOutcome(models.TextChoices):
    ON_TRACK = "on_track", "On track"
    CONCERNS = "concerns", "Some concerns: action plan agreed"
    PASS = "pass", "Passed"
    NOT_PASSED = "not_passed", "Not passed"


class Placement(models.Model):
    """A student on placement: who supervises and assesses them, and their assessments.

    What the student may do in the record stays as it is: students are a role; their access to a
    person is by delegated task or their team, like anyone else's."""

    student = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="placements")
    team = models.ForeignKey("accounts.Team", on_delete=models.PROTECT, related_name="+")
    profession = CodeField("Profession", max_length=30, choices=StudentProfession.choices)
    university = models.CharField("University", max_length=120)
    year_of_study = models.PositiveSmallIntegerField("Year of study")
    starts_on = models.DateField("Placement starts")
    ends_on = models.DateField("Placement ends")
    practice_supervisor = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    practice_assessor = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    midpoint_on = models.DateField("Midpoint assessment date", null=True, blank=True)
    midpoint_outcome = CodeField(
        "Midpoint outcome", max_length=20, choices=AssessmentOutcome.choices, blank=True
    )
    final_on = models.DateField("Final assessment date", null=True, blank=True)
    final_outcome = CodeField("Final outcome", max_length=20, choices=AssessmentOutcome.choices, blank=True)
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="placement_ends_after_start"
            )
        ]

    def __str__(self):
        return f"Placement {self.starts_on} to {self.ends_on}"
