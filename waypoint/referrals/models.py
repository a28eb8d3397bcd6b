"""Referrals into a team: receipt, triage, the clock events, and closure."""

from django.conf import settings
from django.db import models
from django.db.models import Case, IntegerField, Q, Value, When
from django.utils import timezone


class Source(models.TextChoices):
    """Source of referral, grouped as in MHSDS SourceOfReferralMH.

    The stored values are Waypoint's own stable codes; `MHSDS_SOURCE_CODES` maps each to the
    MHSDS code used in the national return.
    """

    GP = "gp", "GP"
    SELF = "self", "Self-referral"
    CARER = "carer", "Carer or relative"
    AE_LIAISON = "ae_liaison", "A&E or liaison psychiatry"
    CRISIS_TEAM = "crisis_team", "Crisis team"
    INPATIENT = "inpatient", "Inpatient ward"
    POLICE = "police", "Police or criminal justice"
    SOCIAL_CARE = "social_care", "Social care"
    OTHER = "other", "Other"


# MHSDS SourceOfReferralMH codes (NHS Data Dictionary). Checked against the published list when
# the MHSDS return is built; kept here so the mapping lives next to the categories.
MHSDS_SOURCE_CODES = {
    Source.GP: "A1",
    Source.SELF: "B1",
    Source.CARER: "B2",
    Source.AE_LIAISON: "H1",
    Source.CRISIS_TEAM: "P1",
    Source.INPATIENT: "M6",
    Source.POLICE: "E1",
    Source.SOCIAL_CARE: "C1",
    Source.OTHER: "Q1",
}


class Urgency(models.TextChoices):
    VERY_URGENT = "very_urgent", "Very urgent"
    URGENT = "urgent", "Urgent"
    ROUTINE = "routine", "Routine"


URGENCY_ORDER = {Urgency.VERY_URGENT: 0, Urgency.URGENT: 1, Urgency.ROUTINE: 2}


class Decision(models.TextChoices):
    ACCEPT = "accept", "Accept for assessment"
    SIGNPOST = "signpost", "Signpost elsewhere"
    REJECT = "reject", "Reject"
    PASS_ON = "pass_on", "Pass to another team"


class RejectionReason(models.TextChoices):
    # MHSDS MHS102 ReasonForReferralRejection (subset): the stored value is the code; clinicians see
    # the words only (issue 18, item 12), the code is for the extract and docs/reports.md.
    DUPLICATE = "01", "Duplicate referral"
    ALTERNATIVE_SERVICE = "02", "Alternative service required"
    INCOMPLETE = "03", "Incomplete referral"


class Status(models.TextChoices):
    AWAITING_TRIAGE = "awaiting_triage", "Waiting for triage"
    WAITING = "waiting", "Accepted – waiting to be seen"
    IN_ASSESSMENT = "in_assessment", "Seen – in assessment"
    IN_CARE = "in_care", "Accepted – episode of care open"
    SIGNPOSTED = "signposted", "Signposted"
    REJECTED = "rejected", "Rejected"
    PASSED_ON = "passed_on", "Passed to another team"
    CLOSED = "closed", "Closed"


# A referral stays open while the episode of care it started is open (MHSDS counts the service
# request until discharge); only its status moves on from "in assessment".
OPEN_STATUSES = (Status.AWAITING_TRIAGE, Status.WAITING, Status.IN_ASSESSMENT, Status.IN_CARE)


class ReferralQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=OPEN_STATUSES)

    def awaiting_triage(self):
        return self.filter(status=Status.AWAITING_TRIAGE)

    def waiting_to_be_seen(self):
        return self.filter(status=Status.WAITING, first_contact_attended_at__isnull=True)

    def for_team(self, team):
        return self.filter(team=team)

    def with_urgency_rank(self, field="urgency"):
        """Very urgent first; referrals not yet triaged rank by the urgency the referrer asked for."""
        return self.annotate(
            urgency_rank=Case(
                *[When(**{field: value}, then=Value(rank)) for value, rank in URGENCY_ORDER.items()],
                default=Value(3),
                output_field=IntegerField(),
            )
        )

    def with_people(self):
        return self.select_related("person", "team", "triaged_by", "passed_to_team", "recorded_by")

    def visible_to(self, user, now=None):
        from waypoint.patients.models import Person

        return self.filter(person__in=Person.objects.visible_to(user, now))


class Referral(models.Model):
    person = models.ForeignKey("patients.Person", on_delete=models.PROTECT, related_name="referrals")
    team = models.ForeignKey("accounts.Team", on_delete=models.PROTECT, related_name="referrals")
    received_at = models.DateTimeField("Received", default=timezone.now)
    source = models.CharField("Source of referral", max_length=20, choices=Source.choices)
    referrer_name = models.CharField("Referrer's name", max_length=200)
    referrer_organisation = models.CharField("Referrer's organisation", max_length=200, blank=True)
    referrer_address = models.TextField("Referrer's address (for letters)", blank=True)
    referrer_contact = models.CharField("Referrer's phone or email", max_length=200, blank=True)
    reason = models.TextField("Reason for referral")
    presenting_needs = models.TextField("Presenting needs", blank=True)
    urgency_requested = models.CharField(
        "Urgency the referrer asked for", max_length=20, choices=Urgency.choices
    )
    letter_text = models.TextField("Referral letter", blank=True)
    possible_duplicate_of = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    # Triage
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.AWAITING_TRIAGE)
    urgency = models.CharField("Urgency", max_length=20, choices=Urgency.choices, blank=True)
    decision = models.CharField("Decision", max_length=20, choices=Decision.choices, blank=True)
    signposted_to = models.CharField("Signposted to", max_length=200, blank=True)
    rejection_reason = models.CharField(
        "Reason for rejection", max_length=2, choices=RejectionReason.choices, blank=True
    )
    passed_to_team = models.ForeignKey(
        "accounts.Team", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    triage_notes = models.TextField("Triage notes", blank=True)
    triaged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    triaged_at = models.DateTimeField(null=True, blank=True)

    # Clock events
    first_contact_offered_at = models.DateTimeField("First contact offered for", null=True, blank=True)
    first_contact_attended_at = models.DateTimeField("First contact attended", null=True, blank=True)
    second_contact_attended_at = models.DateTimeField("Second contact attended", null=True, blank=True)
    first_assessment_at = models.DateTimeField("First assessment", null=True, blank=True)

    closed_at = models.DateTimeField(null=True, blank=True)
    closure_reason = models.CharField(max_length=200, blank=True)
    version = models.PositiveIntegerField(default=1)

    objects = ReferralQuerySet.as_manager()

    class Meta:
        ordering = ["-received_at"]
        indexes = [
            models.Index(fields=["team", "status", "received_at"]),
            models.Index(fields=["person", "status"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(decision="reject") | ~Q(rejection_reason=""), name="rejection_needs_reason"
            ),
        ]

    def __str__(self):
        return f"Referral {self.pk} to {self.team_id}"

    @property
    def is_open(self):
        return self.status in OPEN_STATUSES

    @property
    def mhsds_source_code(self):
        return MHSDS_SOURCE_CODES.get(self.source, "")


class TargetUnit(models.TextChoices):
    WORKING_HOURS = "working_hours", "working hours"
    WORKING_DAYS = "working_days", "working days"
    CALENDAR_DAYS = "calendar_days", "calendar days"


DEFAULT_TARGETS = {
    # The "4 hours, 24 hours, 28 days", measured on the team's working calendar:
    # 4 working hours; 24 hours = by the same time on the next working day; 28 days = 4 weeks = 20 working days.
    Urgency.VERY_URGENT: (4, TargetUnit.WORKING_HOURS),
    Urgency.URGENT: (1, TargetUnit.WORKING_DAYS),
    Urgency.ROUTINE: (20, TargetUnit.WORKING_DAYS),
}


class TeamTargets(models.Model):
    """A team's local triage targets. Without a row, DEFAULT_TARGETS apply."""

    team = models.OneToOneField("accounts.Team", on_delete=models.PROTECT, related_name="triage_targets")
    very_urgent_amount = models.PositiveIntegerField(default=4)
    very_urgent_unit = models.CharField(
        max_length=20, choices=TargetUnit.choices, default=TargetUnit.WORKING_HOURS
    )
    urgent_amount = models.PositiveIntegerField(default=1)
    urgent_unit = models.CharField(max_length=20, choices=TargetUnit.choices, default=TargetUnit.WORKING_DAYS)
    routine_amount = models.PositiveIntegerField(default=20)
    routine_unit = models.CharField(
        max_length=20, choices=TargetUnit.choices, default=TargetUnit.WORKING_DAYS
    )

    class Meta:
        verbose_name = "team triage targets"
        verbose_name_plural = "team triage targets"

    def __str__(self):
        return f"Triage targets for {self.team}"

    def as_dict(self):
        return {
            Urgency.VERY_URGENT: (self.very_urgent_amount, self.very_urgent_unit),
            Urgency.URGENT: (self.urgent_amount, self.urgent_unit),
            Urgency.ROUTINE: (self.routine_amount, self.routine_unit),
        }


class ReferralClaimQuerySet(models.QuerySet):
    def awaiting_review(self):
        return self.filter(reviewed_at__isnull=True)


class ReferralClaim(models.Model):
    """A referral recorded for a person the recorder had no relationship with: a self-claimed relationship.

    Until the referral is triaged, it gives access only to the receiving team's intake staff (the
    duty worker on the rota today, its team manager and its admin and records officers), not to the
    whole team (hazard H2). The privacy officer reviews every claim, as they review break-glass.
    """

    referral = models.OneToOneField(Referral, on_delete=models.PROTECT, related_name="claim")
    claimed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    claimed_at = models.DateTimeField(default=timezone.now)
    reason = models.TextField()
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_comment = models.TextField(blank=True)

    objects = ReferralClaimQuerySet.as_manager()

    class Meta:
        ordering = ["-claimed_at"]
        indexes = [models.Index(fields=["reviewed_at", "claimed_at"])]

    def __str__(self):
        return f"Self-claimed referral {self.referral_id} by {self.claimed_by_id}"
