"""Plans made with the person: care, crisis and contingency, relapse prevention, safety, wellness and recovery.

A `Plan` is one plan of one kind for one person, owned by a team. Its content lives in
`PlanRevision`s: every revision is kept. At most one revision is a draft (editable, with a
version number for concurrent edits); recording agreement makes it read-only, and the revision
agreed before it becomes "superseded". Changing an agreed plan starts a new draft copied from
the latest revision. Each revision has its own sharing log (`PlanShare`).

Content is JSON, one key per section of the kind (see `sections.py`), validated by the forms of
each kind; a care plan holds a list of needs, each with the person's goal in their own words
and interventions (what, who, how often).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class PlanKind(models.TextChoices):
    CARE = "care", "Care plan"
    CRISIS = "crisis", "Crisis and contingency plan"
    RELAPSE_PREVENTION = "relapse_prevention", "Relapse prevention plan"
    SAFETY = "safety", "Safety plan"
    WELLNESS = "wellness", "Wellness and recovery plan"


# MHSDS CarePlanTypeMH (MHS008). The other kinds are part of the care plan in MHSDS terms.
MHSDS_CARE_PLAN_TYPE = {PlanKind.CARE: "10", PlanKind.CRISIS: "12"}

# Plain English names used in the letter to the person.
KIND_FOR_PERSON = {
    PlanKind.CARE: "Your care plan",
    PlanKind.CRISIS: "Your crisis plan",
    PlanKind.RELAPSE_PREVENTION: "Staying well: your relapse prevention plan",
    PlanKind.SAFETY: "Your safety plan",
    PlanKind.WELLNESS: "Your wellness and recovery plan",
}


class RevisionStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    AGREED = "agreed", "Agreed"
    SUPERSEDED = "superseded", "Superseded"


class Plan(models.Model):
    person = models.ForeignKey("patients.Person", on_delete=models.PROTECT, related_name="plans")
    team = models.ForeignKey("accounts.Team", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20, choices=PlanKind.choices)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["person", "kind"]
        constraints = [models.UniqueConstraint(fields=["person", "kind"], name="one_plan_of_each_kind")]

    def __str__(self):
        return f"{self.get_kind_display()} for person {self.person_id}"

    @property
    def mhsds_care_plan_type(self):
        return MHSDS_CARE_PLAN_TYPE.get(self.kind, "")


class PlanRevision(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="revisions")
    number = models.PositiveIntegerField()
    status = models.CharField(max_length=20, choices=RevisionStatus.choices, default=RevisionStatus.DRAFT)
    content = models.JSONField(default=dict, blank=True)
    review_on = models.DateField("Review date", null=True, blank=True)
    version = models.PositiveIntegerField(default=1, help_text="Bumped on every save of the draft")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)
    # Agreement (MHSDS MHS009 CarePlanAgreement)
    agreed_on = models.DateField("Date agreed", null=True, blank=True)
    agreed_with_person = models.BooleanField("Agreed with the person", null=True, blank=True)
    not_agreed_reason = models.TextField("Why the person did not agree", blank=True)
    carers_involved = models.ManyToManyField("patients.Carer", blank=True, related_name="+")
    carer_involvement = models.TextField("Carer involvement", blank=True)
    agreement_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    agreement_recorded_at = models.DateTimeField(null=True, blank=True)
    superseded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["plan", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="plan_revision_number_unique"),
            models.UniqueConstraint(
                fields=["plan"], condition=Q(status="draft"), name="one_draft_revision_per_plan"
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(agreed_on__isnull=False),
                name="agreed_revision_has_a_date",
            ),
        ]

    def __str__(self):
        return f"Revision {self.number} of plan {self.plan_id} ({self.status})"

    @property
    def is_draft(self):
        return self.status == RevisionStatus.DRAFT


class Recipient(models.TextChoices):
    PERSON = "person", "The person"
    CARER = "carer", "A carer or relative"
    GP = "gp", "Their GP"
    OTHER = "other", "Someone else"


class ShareMethod(models.TextChoices):
    IN_PERSON = "in_person", "Given in person"
    POST = "post", "Post"
    EMAIL = "email", "Email"
    SECURE_EMAIL = "secure_email", "Secure email (for example NHSmail)"
    OTHER = "other", "Other"


class PlanShare(models.Model):
    """Who a revision was given to, how, when and by whom. Append-only: nothing here is edited."""

    revision = models.ForeignKey(PlanRevision, on_delete=models.PROTECT, related_name="shares")
    recipient = models.CharField(max_length=10, choices=Recipient.choices)
    carer = models.ForeignKey(
        "patients.Carer", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recipient_name = models.CharField(max_length=200)
    method = models.CharField(max_length=20, choices=ShareMethod.choices)
    method_detail = models.CharField(max_length=200, blank=True)
    shared_on = models.DateField()
    shared_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    carer_consent_at_the_time = models.CharField(max_length=20, blank=True)
    shared_without_recorded_consent = models.BooleanField(default=False)

    class Meta:
        ordering = ["-shared_on", "-recorded_at"]

    def __str__(self):
        return f"Revision {self.revision_id} shared with {self.recipient}"


class TeamContactNumbers(models.Model):
    """The numbers printed on a person's plan. Set in the admin pages (teams have no phone number yet)."""

    team = models.OneToOneField(
        "accounts.Team", on_delete=models.CASCADE, related_name="plan_contact_numbers"
    )
    working_hours_phone = models.CharField("Team phone (09:00 to 17:00, Monday to Friday)", max_length=30)
    crisis_team_name = models.CharField("Crisis team", max_length=120, default="the crisis team")
    crisis_team_phone = models.CharField("Crisis team phone (out of hours)", max_length=30, blank=True)

    class Meta:
        verbose_name = "team contact numbers for plans"
        verbose_name_plural = "team contact numbers for plans"

    def __str__(self):
        return f"Numbers for {self.team}"
