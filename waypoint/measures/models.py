"""Outcome measures recorded for a person.

One `Measure` row per completed questionnaire, whatever the measure: `code` names its definition
(`definitions/`), `answers` holds the answers as given (item key -> value, "not known" kept), and
the score columns hold what the scoring engine made of them when it was recorded, so history and
team lists never re-score. A measure is recorded complete and is then read-only, by the service
and by a database trigger; a mistake is corrected by a replacement that names the measure it
replaces and says why. Nothing here is deleted, and nothing here is a risk score.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class Timing(models.TextChoices):
    """When in the care it was done (MHSDS coded scored assessments: the reason for the assessment)."""

    BASELINE = "baseline", "Baseline (start of care)"
    REVIEW = "review", "Review"
    DISCHARGE = "discharge", "Discharge"
    OTHER = "other", "Other"


class CompletedBy(models.TextChoices):
    PERSON = "person", "The person"
    CLINICIAN = "clinician", "A clinician"
    CARER = "carer", "A carer"


class Mode(models.TextChoices):
    PAPER = "paper", "On paper, entered by staff"
    WITH_PERSON = "with_person", "With the person, entered by staff"
    SELF = "self", "By the person on a tablet or phone"


class Status(models.TextChoices):
    COMPLETED = "completed", "Completed"


class MeasureQuerySet(models.QuerySet):
    def current(self):
        """Not replaced by a correction."""
        return self.filter(replaced_by__isnull=True)

    def in_order(self):
        return self.order_by("completed_on", "recorded_at", "pk")


class Measure(models.Model):
    person = models.ForeignKey("patients.Person", on_delete=models.PROTECT, related_name="measures")
    code = models.CharField("Measure", max_length=20)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.COMPLETED)
    timing = models.CharField("When in the care", max_length=20, choices=Timing.choices)
    completed_on = models.DateField("Date completed")
    completed_by_who = models.CharField("Who completed it", max_length=20, choices=CompletedBy.choices)
    mode = models.CharField("How it was completed", max_length=20, choices=Mode.choices)
    answers = models.JSONField(default=dict, blank=True)
    details = models.JSONField(default=dict, blank=True)  # e.g. the goals' words, HoNOS scale 8 type
    total = models.DecimalField(max_digits=7, decimal_places=2, null=True, blank=True)
    raw_total = models.DecimalField(max_digits=7, decimal_places=2, null=True, blank=True)
    subscales = models.JSONField(default=dict, blank=True)
    band = models.CharField(max_length=60, blank=True)
    prorated = models.BooleanField(default=False)
    replaces = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="replaced_by"
    )
    replacement_reason = models.TextField("Why it is being corrected", blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    objects = MeasureQuerySet.as_manager()

    class Meta:
        ordering = ["completed_on", "recorded_at"]
        indexes = [models.Index(fields=["person", "code", "completed_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(replaces__isnull=True) | ~Q(replacement_reason=""),
                name="measure_replacement_has_a_reason",
            ),
        ]

    def __str__(self):
        return f"Measure {self.code} {self.pk} for person {self.person_id}"

    @property
    def definition(self):
        from .licences import any_definition

        return any_definition(self.code)

    @property
    def replacement(self):
        try:
            return self.replaced_by
        except Measure.DoesNotExist:
            return None


class SelfCompletionStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", "Being filled in"
    FINISHED = "finished", "Finished by the person"


class SelfCompletion(models.Model):
    """A questionnaire the person fills in themselves on a tablet or phone.

    Staff start it and hand the device over; the device then shows only this questionnaire (the
    session is locked, see `handover.py`) until the member of staff takes it back and enters their
    password again. Each answer is saved as it is given, so nothing is lost if the person stops;
    when the person finishes, the answers become a completed `Measure` (mode "self") and this row
    links to it."""

    person = models.ForeignKey("patients.Person", on_delete=models.PROTECT, related_name="self_completions")
    code = models.CharField("Measure", max_length=20)
    timing = models.CharField("When in the care", max_length=20, choices=Timing.choices)
    status = models.CharField(
        max_length=20, choices=SelfCompletionStatus.choices, default=SelfCompletionStatus.IN_PROGRESS
    )
    answers = models.JSONField(default=dict, blank=True)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    handed_back_at = models.DateTimeField(null=True, blank=True)
    measure = models.OneToOneField(
        Measure, on_delete=models.PROTECT, null=True, blank=True, related_name="self_completion"
    )

    class Meta:
        ordering = ["-started_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="in_progress") | Q(measure__isnull=False),
                name="finished_self_completion_has_its_measure",
            ),
        ]

    def __str__(self):
        return f"Self-completion {self.code} {self.pk} for person {self.person_id}"

    @property
    def is_finished(self):
        return self.status == SelfCompletionStatus.FINISHED


FOUR_STEPS = (
    ("understanding", "Understanding", "Why is it like this? What is already working?"),
    ("looking_forward", "Looking forward", "What would a better situation be, in the person's own words?"),
    ("options", "Exploring options", "What could the person do, what could staff do, what could others do?"),
    ("actions", "Agreeing actions", "What will be done, by whom, how often?"),
)


class DialogPlusSession(models.Model):
    """A DIALOG+ session: the 11 DIALOG ratings (a `Measure` of code "dialog", recorded in the same
    step), the domains the person chose to talk about, and for each the four-step solution-focused
    conversation with the actions agreed. `discussion` is {domain item key: {"understanding",
    "looking_forward", "options", "actions": [{"what", "who", "how_often"}]}}. Once the
    conversation is recorded the session is read-only; its actions may go into the person's care
    plan (a draft revision, `plan_revision`) in the same step."""

    person = models.ForeignKey(
        "patients.Person", on_delete=models.PROTECT, related_name="dialog_plus_sessions"
    )
    measure = models.OneToOneField(Measure, on_delete=models.PROTECT, related_name="dialog_plus")
    domains = models.JSONField(default=list, blank=True)  # the DIALOG item keys chosen, in order
    discussion = models.JSONField(default=dict, blank=True)
    conversation_recorded_at = models.DateTimeField(null=True, blank=True)
    plan_revision = models.ForeignKey(
        "plans.PlanRevision", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-recorded_at"]

    def __str__(self):
        return f"DIALOG+ session {self.pk} for person {self.person_id}"

    @property
    def is_recorded(self):
        return self.conversation_recorded_at is not None


class TeamApproach(models.TextChoices):
    """The team's care approach: what its pages call the named worker (domain.md section 7)."""

    CPA = "cpa", "Care Programme Approach: the named worker is the care coordinator"
    KEYWORKER = "keyworker", "Community Mental Health Framework: the named worker is the keyworker"


class TeamMeasureSettings(models.Model):
    """A team's own choices for issue 10: its care approach (and so the wording "care coordinator"
    or "keyworker", and the care approach new episodes start with), and its outcome measure
    worklist windows. A team without a row has the defaults below. Kept in this app so that no
    shared app needs a migration; read through `team_settings.py` (cached, no query on a page)."""

    team = models.OneToOneField("accounts.Team", on_delete=models.PROTECT, related_name="measure_settings")
    care_approach = models.CharField(max_length=20, choices=TeamApproach.choices, default=TeamApproach.CPA)
    baseline_within_days = models.PositiveSmallIntegerField(
        "Baseline measure due this many days after the first attended contact", default=42
    )
    review_lookback_days = models.PositiveSmallIntegerField(
        "A measure this many days before a planned review counts for it", default=28
    )
    show_days_before = models.PositiveSmallIntegerField(
        "Show a measure on the worklist this many days before it is due", default=14
    )
    version = models.PositiveIntegerField(default=1)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(baseline_within_days__gte=1, baseline_within_days__lte=365)
                & Q(review_lookback_days__gte=1, review_lookback_days__lte=365)
                & Q(show_days_before__lte=90),
                name="team_measure_windows_in_range",
            )
        ]

    def __str__(self):
        return f"Measure settings for team {self.team_id}"
