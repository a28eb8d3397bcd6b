"""Legal status: the rules as effective-dated data, and what happened under them.

The rules (`RuleSet`, `SectionRule`, `TermRule`) are data, not code (domain rule 6). Each rule set
is a framework version or a group of provisions that commence together (the Mental Health Act 1983
as amended; each Mental Health Act 2025 commencement). A rule set is in force from `commences_on`;
a blank date means "not in force", which is how the MHA 2025 provisions arrive: the Trust sets the
date in the admin when the commencement regulations say so. For any date, the rule for a section
is the one from the latest rule set in force on that date that defines the section.

A `MhaPeriod` keeps the `SectionRule` in force on the day it started: its expiry, its renewals
and its wording follow that rule for its whole life, whatever commences later.

Nothing here is deleted: a wrong entry is marked entered in error with a reason and stays.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class RuleSet(models.Model):
    code = models.SlugField(max_length=60, unique=True)
    title = models.CharField(max_length=200)
    commences_on = models.DateField(
        "In force from",
        null=True,
        blank=True,
        help_text="Leave blank until commencement regulations bring these provisions into force.",
    )
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["commences_on", "code"]

    def __str__(self):
        return self.title


class SectionKind(models.TextChoices):
    DETENTION = "detention", "Detention"
    HOLDING = "holding", "Holding power or place of safety"
    CTO = "cto", "Community treatment order"
    GUARDIANSHIP = "guardianship", "Guardianship"


class SectionRule(models.Model):
    """One section as one rule set defines it: how long it lasts and how it is renewed."""

    ruleset = models.ForeignKey(RuleSet, on_delete=models.PROTECT, related_name="sections")
    code = models.CharField(max_length=10)  # "3", "17A", "5(2)"
    label = models.CharField(max_length=120)  # "Section 3 (admission for treatment)"
    short = models.CharField(max_length=20)  # "s3", "CTO (s17A)"
    kind = models.CharField(max_length=20, choices=SectionKind.choices)
    first_months = models.PositiveIntegerField(default=0)
    first_days = models.PositiveIntegerField(default=0)
    first_hours = models.PositiveIntegerField(default=0)
    renewal_months = models.JSONField(
        default=list, blank=True, help_text="Length of each renewal in months, in order, e.g. [6, 12]"
    )
    then_every_months = models.PositiveIntegerField(
        null=True, blank=True, help_text="After the listed renewals, each further renewal (months)"
    )
    rights_section = models.CharField(max_length=10, default="132")  # "132" or "132A"
    rights_repeat_days = models.PositiveIntegerField(
        null=True, blank=True, help_text="Explain rights again after this many days (local policy)"
    )
    gives_aftercare = models.BooleanField(default=False, help_text="Section 117 aftercare follows")
    cto_can_follow = models.BooleanField(
        "A CTO can follow this section",
        default=False,
        help_text="A community treatment order can be made for a person detained under this section "
        "(s17A), and revoking the CTO detains them under it again (s17G)",
    )

    class Meta:
        ordering = ["ruleset", "code"]
        constraints = [models.UniqueConstraint(fields=["ruleset", "code"], name="one_rule_per_section")]

    def __str__(self):
        return f"{self.label} ({self.ruleset})"

    @property
    def renewable(self) -> bool:
        return bool(self.renewal_months) or self.then_every_months is not None


class TermRule(models.Model):
    """The words the pages use, as a rule set defines them ("nearest relative", "nominated person")."""

    ruleset = models.ForeignKey(RuleSet, on_delete=models.PROTECT, related_name="terms")
    key = models.CharField(max_length=40)  # "relative", "cto_clinician", "care_plan"
    wording = models.CharField(max_length=120)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["ruleset", "key"], name="one_term_per_ruleset")]

    def __str__(self):
        return f"{self.key}: {self.wording}"


class Discharger(models.TextChoices):
    RESPONSIBLE_CLINICIAN = "responsible_clinician", "Responsible clinician"
    HOSPITAL_MANAGERS = "hospital_managers", "Hospital managers"
    TRIBUNAL = "tribunal", "Mental Health Tribunal"
    RELATIVE = "relative", "Nearest relative or nominated person"
    COURT = "court", "Court"


class EndReason(models.TextChoices):
    DISCHARGED = "discharged", "Discharged"
    EXPIRED = "expired", "Expired without renewal"
    REGRADED = "regraded", "Replaced by another section"
    CTO_MADE = "cto_made", "Community treatment order made"
    REVOKED = "revoked", "CTO revoked"


class MhaPeriodQuerySet(models.QuerySet):
    def valid(self):
        return self.filter(entered_in_error=False)

    def open(self):
        """Not ended and not entered in error (an open period may have passed its expiry)."""
        return self.valid().filter(ended_on__isnull=True)


class MhaPeriod(models.Model):
    """One period under one section for one person: detention, CTO, guardianship or holding power."""

    person = models.ForeignKey("patients.Person", on_delete=models.PROTECT, related_name="mha_periods")
    rule = models.ForeignKey(SectionRule, on_delete=models.PROTECT, related_name="+")
    starts_on = models.DateField("Start date")
    start_time = models.TimeField("Start time", null=True, blank=True)
    expires_on = models.DateField("Expires at the end of", null=True, blank=True)
    expires_at = models.DateTimeField("Expires at", null=True, blank=True)  # holding powers (hours)
    renewals = models.PositiveIntegerField(default=0)
    responsible_clinician = models.CharField(max_length=200, blank=True)
    community_clinician = models.CharField(max_length=200, blank=True)  # CTO, once MHA 2025 applies
    hospital = models.CharField("Hospital or place", max_length=200, blank=True)
    guardian = models.CharField(max_length=200, blank=True)  # s7
    conditions = models.TextField("Conditions", blank=True)  # CTO, guardianship
    ended_on = models.DateField(null=True, blank=True)
    end_reason = models.CharField(max_length=20, choices=EndReason.choices, blank=True)
    discharged_by = models.CharField(max_length=30, choices=Discharger.choices, blank=True)
    end_detail = models.TextField(blank=True)
    entered_in_error = models.BooleanField(default=False)
    error_reason = models.TextField(blank=True)
    from_request = models.ForeignKey(
        "legal.AssessmentRequest", on_delete=models.PROTECT, null=True, blank=True, related_name="periods"
    )
    revives = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="revived_by",
        help_text="The CTO whose revocation (s17F, s17G) detained the person again under this section",
    )
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    objects = MhaPeriodQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on", "-pk"]
        indexes = [models.Index(fields=["person", "ended_on"])]

    def __str__(self):
        return f"{self.rule.short} from {self.starts_on}"

    @property
    def is_open(self) -> bool:
        return not self.entered_in_error and self.ended_on is None

    def has_expired(self, today) -> bool:
        if self.expires_at is not None:
            return self.expires_at < timezone.now()
        return self.expires_on is not None and self.expires_on < today


class EventKind(models.TextChoices):
    RENEWAL = "renewal", "Renewal"
    LEAVE = "leave", "Section 17 leave"
    RECALL = "recall", "Recall to hospital (s17E)"
    TRIBUNAL = "tribunal", "Mental Health Tribunal hearing"
    MANAGERS_HEARING = "managers_hearing", "Hospital managers' hearing"


class PeriodEvent(models.Model):
    """Something that happened during a period: a renewal, leave, a recall, a hearing."""

    period = models.ForeignKey(MhaPeriod, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(max_length=20, choices=EventKind.choices)
    on = models.DateField("Date")
    until = models.DateField("Until", null=True, blank=True)
    detail = models.TextField(blank=True)  # leave conditions, hearing outcome, recall reason
    previous_expires_on = models.DateField(null=True, blank=True)
    new_expires_on = models.DateField(null=True, blank=True)
    entered_in_error = models.BooleanField(default=False)
    error_reason = models.TextField(blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["on", "pk"]

    def __str__(self):
        return f"{self.get_kind_display()} on {self.on}"


class RightsMethod(models.TextChoices):
    SPOKEN = "spoken", "Spoken"
    WRITTEN = "written", "Written leaflet"
    SPOKEN_AND_WRITTEN = "spoken_and_written", "Spoken and written"
    EASY_READ = "easy_read", "Easy read"
    INTERPRETER = "interpreter", "With an interpreter"


class Understood(models.TextChoices):
    YES = "yes", "Understood"
    PARTLY = "partly", "Partly understood"
    NO = "no", "Not understood"


class RightsExplanation(models.Model):
    """Rights explained under section 132 (detention) or 132A (CTO)."""

    person = models.ForeignKey("patients.Person", on_delete=models.PROTECT, related_name="+")
    period = models.ForeignKey(MhaPeriod, on_delete=models.PROTECT, related_name="rights")
    given_on = models.DateField("Date explained")
    given_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    method = models.CharField("How", max_length=20, choices=RightsMethod.choices)
    understood = models.CharField(max_length=10, choices=Understood.choices)
    copy_to_relative = models.BooleanField(default=False)
    copy_to_relative_on = models.DateField(null=True, blank=True)
    next_on = models.DateField("Explain again by", null=True, blank=True)
    notes = models.TextField(blank=True)
    entered_in_error = models.BooleanField(default=False)
    error_reason = models.TextField(blank=True)
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-given_on", "-pk"]

    def __str__(self):
        return f"Rights explained on {self.given_on}"


class Aftercare(models.Model):
    """Section 117 aftercare: eligibility, who is responsible, and the joint decision to end it."""

    person = models.ForeignKey("patients.Person", on_delete=models.PROTECT, related_name="+")
    from_period = models.ForeignKey(
        MhaPeriod, on_delete=models.PROTECT, null=True, blank=True, related_name="aftercare"
    )
    from_section = models.CharField("Eligible because of section", max_length=10)
    eligible_from = models.DateField("Eligible from")
    icb = models.CharField("Responsible integrated care board", max_length=200)
    local_authority = models.CharField("Responsible local authority", max_length=200)
    services = models.TextField("Aftercare services", blank=True)
    review_on = models.DateField("Next review", null=True, blank=True)
    ended_on = models.DateField(null=True, blank=True)
    end_reasons = models.TextField(blank=True)
    ended_for_icb_by = models.CharField(max_length=200, blank=True)
    ended_for_local_authority_by = models.CharField(max_length=200, blank=True)
    entered_in_error = models.BooleanField(default=False)
    error_reason = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-eligible_from", "-pk"]

    def __str__(self):
        return f"Section 117 aftercare from {self.eligible_from}"


class AmhpShift(models.Model):
    """The AMHP rota (local authority staff), separate from the teams' duty rotas."""

    day = models.DateField()
    amhp = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    local_authority = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["day", "pk"]
        constraints = [models.UniqueConstraint(fields=["day", "amhp"], name="one_amhp_shift_a_day")]

    def __str__(self):
        return f"AMHP shift on {self.day}"


class Urgency(models.TextChoices):
    EMERGENCY = "emergency", "Emergency (today)"
    URGENT = "urgent", "Urgent (within 24 hours)"
    ROUTINE = "routine", "Routine"


class RequestStatus(models.TextChoices):
    WAITING = "waiting", "Waiting for an AMHP"
    ALLOCATED = "allocated", "Allocated"
    CLOSED = "closed", "Closed"


class AssessmentRequest(models.Model):
    """A request for a Mental Health Act assessment, on the AMHP board until closed."""

    person = models.ForeignKey("patients.Person", on_delete=models.PROTECT, related_name="+")
    requested_by = models.CharField("Who asked", max_length=200)
    requester_role = models.CharField("Their role or relationship", max_length=200, blank=True)
    urgency = models.CharField(max_length=20, choices=Urgency.choices)
    reason = models.TextField()
    received_at = models.DateTimeField("Received")
    status = models.CharField(max_length=20, choices=RequestStatus.choices, default=RequestStatus.WAITING)
    amhp = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    allocated_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    logged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["received_at", "pk"]
        indexes = [models.Index(fields=["status", "amhp"])]

    def __str__(self):
        return f"Request for assessment received {self.received_at:%Y-%m-%d %H:%M}"

    @property
    def is_open(self) -> bool:
        return self.status != RequestStatus.CLOSED


class Outcome(models.TextChoices):
    SECTION_2 = "2", "Application for admission under section 2"
    SECTION_3 = "3", "Application for admission under section 3"
    SECTION_4 = "4", "Emergency application under section 4"
    SECTION_7 = "7", "Guardianship application (section 7)"
    INFORMAL = "informal", "Informal admission agreed"
    COMMUNITY = "community", "Support in the community"
    NO_ACTION = "no_action", "No further action under the Act"


class AmhpAssessment(models.Model):
    """The AMHP's record of the assessment. Read-only once completed."""

    request = models.OneToOneField(AssessmentRequest, on_delete=models.PROTECT, related_name="assessment")
    interviewed_on = models.DateField("Date of interview", null=True, blank=True)
    interview = models.TextField("Interview in a suitable manner", blank=True)
    doctor_1 = models.CharField("First doctor", max_length=200, blank=True)
    doctor_1_s12 = models.BooleanField("First doctor is section 12 approved", default=False)
    doctor_1_examined_on = models.DateField("First doctor examined on", null=True, blank=True)
    doctor_2 = models.CharField("Second doctor", max_length=200, blank=True)
    doctor_2_s12 = models.BooleanField("Second doctor is section 12 approved", default=False)
    doctor_2_examined_on = models.DateField("Second doctor examined on", null=True, blank=True)
    relative_name = models.CharField(max_length=200, blank=True)
    relative_informed = models.BooleanField(default=False)
    relative_consulted = models.BooleanField(default=False)
    relative_objected = models.BooleanField(default=False)
    relative_notes = models.TextField(blank=True)
    alternatives = models.TextField("Less restrictive alternatives considered", blank=True)
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    reasons = models.TextField("Reasons for the outcome", blank=True)
    conveyance = models.TextField(blank=True)
    police = models.TextField("Police involvement", blank=True)
    dependants = models.TextField("Care of dependants and pets", blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"AMHP assessment for request {self.request_id}"

    @property
    def is_complete(self) -> bool:
        return self.completed_at is not None


class LibertyKind(models.TextChoices):
    URGENT = "urgent", "DoLS urgent authorisation"
    STANDARD = "standard", "DoLS standard authorisation"
    COURT = "court", "Court of Protection order"


class LibertyAuthorisation(models.Model):
    """A deprivation of liberty authorisation of some kind (DoLS urgent or standard, a court order)."""

    person = models.ForeignKey("patients.Person", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20, choices=LibertyKind.choices)
    managing_authority = models.CharField("Care home or hospital", max_length=200)
    requested_on = models.DateField(null=True, blank=True)
    starts_on = models.DateField("Start date")
    expires_on = models.DateField("Expiry date")
    extended_to = models.DateField(null=True, blank=True)  # urgent: once, by up to 7 days
    conditions = models.TextField(blank=True)
    representative = models.CharField("Relevant person's representative", max_length=200, blank=True)
    bia = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    bia_allocated_at = models.DateTimeField(null=True, blank=True)
    bia_allocated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    review_on = models.DateField("Review by", null=True, blank=True)
    ended_on = models.DateField("Date ended", null=True, blank=True)
    end_reason = models.TextField("Why it ended", blank=True)
    entered_in_error = models.BooleanField(default=False)
    error_reason = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["expires_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_on__gte=models.F("starts_on")), name="liberty_ends_after"
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} from {self.starts_on}"

    @property
    def ends_on(self):
        return self.extended_to or self.expires_on


class Requirement(models.TextChoices):
    AGE = "age", "Age"
    MENTAL_HEALTH = "mental_health", "Mental health"
    MENTAL_CAPACITY = "mental_capacity", "Mental capacity"
    BEST_INTERESTS = "best_interests", "Best interests"
    ELIGIBILITY = "eligibility", "Eligibility"
    NO_REFUSALS = "no_refusals", "No refusals"


class LibertyAssessment(models.Model):
    """One of the six DoLS assessments, with its assessor."""

    authorisation = models.ForeignKey(
        LibertyAuthorisation, on_delete=models.PROTECT, related_name="assessments"
    )
    requirement = models.CharField(max_length=20, choices=Requirement.choices)
    assessor = models.CharField(max_length=200)
    completed_on = models.DateField()
    met = models.BooleanField()

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return f"{self.get_requirement_display()} assessment"


class ReviewOutcome(models.TextChoices):
    NO_CHANGE = "no_change", "No change"
    CONDITIONS_VARIED = "conditions_varied", "Conditions varied"
    NO_LONGER_MEETS = "no_longer_meets", "No longer meets the qualifying requirements: the authorisation ends"
    NEW_REQUEST = "new_request", "A new request for a standard authorisation is needed"


class LibertyReview(models.Model):
    """A review of a standard authorisation (DoLS Part 8): what was reviewed, the outcome and the
    next review. Never edited: a mistaken one is marked entered in error; never deleted (legal 0008
    trigger, `NEVER_DELETED`). "Conditions varied" replaces the authorisation's conditions; "no
    longer meets the requirements" ends the authorisation through `services.end_liberty`."""

    person = models.ForeignKey("patients.Person", on_delete=models.PROTECT, related_name="+")
    authorisation = models.ForeignKey(LibertyAuthorisation, on_delete=models.PROTECT, related_name="reviews")
    reviewed_on = models.DateField("Date of the review")
    reviewer = models.CharField("Reviewed by (the BIA or reviewer)", max_length=200)
    reviewed_conditions = models.BooleanField("The conditions", default=False)
    reviewed_requirements = models.BooleanField(
        "Whether the person still meets the qualifying requirements", default=False
    )
    outcome = models.CharField(max_length=30, choices=ReviewOutcome.choices)
    previous_conditions = models.TextField(blank=True)
    new_conditions = models.TextField("The new conditions", blank=True)
    notes = models.TextField(blank=True)
    next_review_on = models.DateField("Next review by", null=True, blank=True)
    entered_in_error = models.BooleanField(default=False)
    error_reason = models.TextField(blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-reviewed_on", "-pk"]

    def __str__(self):
        return f"DoLS review on {self.reviewed_on:%-d %B %Y}"


# --- Nearest relative / nominated person ----------------------------------------------------------


class RelativeRole(models.TextChoices):
    NEAREST_RELATIVE = "nearest_relative", "Nearest relative"
    NOMINATED_PERSON = "nominated_person", "Nominated person"


class RelativeEventKind(models.TextChoices):
    """What happened. Which kinds apply depends on the role the rules in force give on the date:
    `RELATIVE_KINDS` (MHA 1983: nearest relative) and `NOMINATED_KINDS` (MHA 2025: nominated person)."""

    IDENTIFIED = "identified", "Identified as nearest relative (section 26)"
    DISPLACED = "displaced", "Displaced by the county court (section 29)"
    DELEGATED = "delegated", "Functions delegated to someone else"
    NOMINATED = "nominated", "Nominated by the person"
    COURT_APPOINTED = "court_appointed", "Appointed or replaced by the court"
    CONSULTED = "consulted", "Consulted"
    INFORMED = "informed", "Informed"
    ENDED = "ended", "No longer in the role"


RELATIVE_KINDS = {
    RelativeEventKind.IDENTIFIED,
    RelativeEventKind.DISPLACED,
    RelativeEventKind.DELEGATED,
    RelativeEventKind.CONSULTED,
    RelativeEventKind.INFORMED,
    RelativeEventKind.ENDED,
}
NOMINATED_KINDS = {
    RelativeEventKind.NOMINATED,
    RelativeEventKind.COURT_APPOINTED,
    RelativeEventKind.CONSULTED,
    RelativeEventKind.INFORMED,
    RelativeEventKind.ENDED,
}
# The kinds that name who holds the role from their date (the latest one wins until ended).
NAMING_KINDS = {
    RelativeEventKind.IDENTIFIED,
    RelativeEventKind.DISPLACED,
    RelativeEventKind.NOMINATED,
    RelativeEventKind.COURT_APPOINTED,
}


class RelativeEvent(models.Model):
    """Effective-dated: who is the person's nearest relative or nominated person, and what was done.

    The role follows the rules in force on `on` (`TermRule` "relative"): before the nominated person
    provisions commence it is the nearest relative; from that date, the nominated person. Corrected
    by a new entry or by marking this one entered in error, never edited."""

    person = models.ForeignKey("patients.Person", on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=20, choices=RelativeRole.choices)
    term = models.CharField(max_length=60)  # the wording in force on `on`, as the pages showed it
    kind = models.CharField(max_length=20, choices=RelativeEventKind.choices)
    on = models.DateField("Date")
    name = models.CharField(max_length=200, blank=True)
    relationship = models.CharField(max_length=80, blank=True)
    carer = models.ForeignKey(
        "patients.Carer", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    court = models.CharField(max_length=200, blank=True)  # displacement, court appointment
    detail = models.TextField(blank=True)
    entered_in_error = models.BooleanField(default=False)
    error_reason = models.TextField(blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["on", "pk"]
        indexes = [models.Index(fields=["person", "on"])]

    def __str__(self):
        return f"{self.get_kind_display()} on {self.on}"


# --- Statutory care and treatment plans (Mental Health Act 2025) ---------------------------------


class CareTreatmentPlan(models.Model):
    """A statutory care and treatment plan for a detained or CTO patient (Mental Health Act 2025).

    It can be recorded only from the commencement of those provisions (rule set
    "mha-2025-care-and-treatment-plans", `TermRule` "care_treatment_plan"), for a period that had
    started and not ended on the day it was prepared. Never changed: a new plan replaces it (the
    latest current one is the plan in force) and a mistaken one is marked entered in error.
    The time limits for preparing and reviewing a plan wait for regulations: none is assumed."""

    person = models.ForeignKey("patients.Person", on_delete=models.PROTECT, related_name="+")
    period = models.ForeignKey(MhaPeriod, on_delete=models.PROTECT, related_name="care_treatment_plans")
    prepared_on = models.DateField("Date prepared")
    prepared_by = models.CharField("Prepared by (responsible clinician)", max_length=200)
    treatment = models.TextField("The medical treatment and what it is for")
    person_views = models.TextField("The person's views and wishes, and how they were taken into account")
    advance_choice_considered = models.BooleanField(
        "Any advance choice document or advance statement was considered", default=False
    )
    others_consulted = models.TextField("Who else was consulted", blank=True)
    discharge_plan = models.TextField("Planning for discharge or for ending the order", blank=True)
    review_on = models.DateField("Review by", null=True, blank=True)
    entered_in_error = models.BooleanField(default=False)
    error_reason = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-prepared_on", "-pk"]

    def __str__(self):
        return f"Care and treatment plan prepared {self.prepared_on:%-d %B %Y}"


# --- Advance statements, advance decisions, advance choice documents -----------------------------


class AdvanceKind(models.TextChoices):
    STATEMENT = "statement", "Advance statement (wishes and preferences)"
    ADRT = "adrt", "Advance decision to refuse treatment (Mental Capacity Act s24-26)"
    CHOICE = "choice", "Advance choice document (Mental Health Act 2025)"


class AdvanceDecision(models.Model):
    """What the person wants and refuses, made when, held where, reviewed when.

    An advance choice document can be recorded only from the commencement of those MHA 2025
    provisions (rule set "mha-2025-advance-choice-documents", `TermRule` "advance_choice")."""

    person = models.ForeignKey("patients.Person", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20, choices=AdvanceKind.choices)
    made_on = models.DateField("Made on")
    wishes = models.TextField("What the person wants", blank=True)
    refuses = models.TextField("Treatment the person refuses", blank=True)
    life_sustaining = models.BooleanField("Refuses life-sustaining treatment", default=False)
    in_writing_signed_witnessed = models.BooleanField("In writing, signed and witnessed", default=False)
    held_where = models.CharField("Where the document is held", max_length=300, blank=True)
    review_on = models.DateField("Review by", null=True, blank=True)
    withdrawn_on = models.DateField(null=True, blank=True)
    entered_in_error = models.BooleanField(default=False)
    error_reason = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-made_on", "-pk"]

    def __str__(self):
        return f"{self.get_kind_display()} made {self.made_on}"


# --- The Mental Capacity Act 2005 ------------------------------------------------------------------


class CapacityAssessment(models.Model):
    """Capacity for one specific decision at one time: the two-stage test (MCA s2-3).

    Stage 1: an impairment of, or a disturbance in the functioning of, the mind or brain. Stage 2:
    because of it, the person cannot understand, retain, use or weigh the information, or
    communicate the decision. `lacks_capacity` is computed by the service from the answers."""

    person = models.ForeignKey("patients.Person", on_delete=models.PROTECT, related_name="+")
    decision = models.CharField("The specific decision", max_length=300)
    assessed_on = models.DateField("Date assessed")
    assessor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    support_given = models.TextField("Practicable steps taken to help the person decide")
    impairment = models.BooleanField("Stage 1: impairment or disturbance of the mind or brain")
    impairment_detail = models.TextField(blank=True)
    understands = models.BooleanField("Can understand the information relevant to the decision")
    retains = models.BooleanField("Can retain that information long enough to decide")
    uses_or_weighs = models.BooleanField("Can use or weigh that information")
    communicates = models.BooleanField("Can communicate the decision (by any means)")
    because_of_impairment = models.BooleanField(
        "The inability is because of the impairment or disturbance", default=False
    )
    reasons = models.TextField("Evidence and reasons")
    lacks_capacity = models.BooleanField()
    entered_in_error = models.BooleanField(default=False)
    error_reason = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-assessed_on", "-pk"]

    def __str__(self):
        return f"Capacity to decide: {self.decision}"


class BestInterestsDecision(models.Model):
    """A decision made in the person's best interests (MCA s4): the checklist, who was consulted."""

    person = models.ForeignKey("patients.Person", on_delete=models.PROTECT, related_name="+")
    capacity_assessment = models.ForeignKey(
        CapacityAssessment, on_delete=models.PROTECT, null=True, blank=True, related_name="decisions"
    )
    decision = models.CharField("The decision to be made", max_length=300)
    decided_on = models.DateField("Date decided")
    decision_maker = models.CharField(max_length=200)
    wishes = models.TextField("The person's past and present wishes, feelings, beliefs and values")
    involvement = models.TextField("How the person was helped to take part", blank=True)
    consulted = models.TextField("Who was consulted, and their views")
    less_restrictive = models.TextField("Less restrictive options considered")
    could_wait = models.TextField("Could the decision wait until the person may have capacity?", blank=True)
    outcome = models.TextField("The decision")
    reasons = models.TextField("Reasons")
    entered_in_error = models.BooleanField(default=False)
    error_reason = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-decided_on", "-pk"]

    def __str__(self):
        return f"Best interests: {self.decision}"


class AttorneyKind(models.TextChoices):
    LPA_HEALTH = "lpa_health", "Lasting power of attorney: health and welfare"
    LPA_PROPERTY = "lpa_property", "Lasting power of attorney: property and financial affairs"
    EPA = "epa", "Enduring power of attorney (property and affairs, made before October 2007)"
    DEPUTY_HEALTH = "deputy_health", "Court-appointed deputy: personal welfare"
    DEPUTY_PROPERTY = "deputy_property", "Court-appointed deputy: property and financial affairs"


class PowerOfAttorney(models.Model):
    """A lasting power of attorney or a deputyship: who decides what for the person."""

    person = models.ForeignKey("patients.Person", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20, choices=AttorneyKind.choices)
    attorney = models.CharField("Attorney or deputy (names)", max_length=300)
    acting = models.CharField("How they act", max_length=200, blank=True)  # jointly, jointly and severally
    registered_on = models.DateField(
        "Registered with the Office of the Public Guardian on", null=True, blank=True
    )
    life_sustaining = models.BooleanField("Can decide about life-sustaining treatment", default=False)
    copy_seen = models.BooleanField("We have seen the registered document", default=False)
    notes = models.TextField(blank=True)
    ended_on = models.DateField(null=True, blank=True)
    entered_in_error = models.BooleanField(default=False)
    error_reason = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["kind", "-pk"]

    def __str__(self):
        return self.get_kind_display()


class ImcaReason(models.TextChoices):
    SERIOUS_MEDICAL = "serious_medical", "Serious medical treatment"
    ACCOMMODATION = "accommodation", "A change of accommodation"
    CARE_REVIEW = "care_review", "A care review"
    SAFEGUARDING = "safeguarding", "Adult safeguarding"
    DOLS = "dols", "Deprivation of liberty (section 39A, 39C or 39D)"


class ImcaReferral(models.Model):
    """A referral to an Independent Mental Capacity Advocate."""

    person = models.ForeignKey("patients.Person", on_delete=models.PROTECT, related_name="+")
    referred_on = models.DateField("Date referred")
    reason = models.CharField(max_length=20, choices=ImcaReason.choices)
    decision = models.CharField("The decision the advocate is for", max_length=300)
    service = models.CharField("Advocacy service", max_length=200)
    advocate = models.CharField("Advocate", max_length=200, blank=True)
    report_on = models.DateField("Advocate's report received on", null=True, blank=True)
    notes = models.TextField(blank=True)
    entered_in_error = models.BooleanField(default=False)
    error_reason = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-referred_on", "-pk"]

    def __str__(self):
        return f"IMCA referral on {self.referred_on}"
