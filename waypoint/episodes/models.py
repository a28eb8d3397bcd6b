"""Episodes of care, transfers between teams, discharge, and allocation of workers.

- `Episode` (FHIR EpisodeOfCare; MHSDS care coordination): one team's period of care for a person.
- `Allocation` (MHSDS MHS006 care coordinator assignments, with start and end), linked to the episode.
- `Transfer`: step up / step down between teams. The sending episode stays open until the
  receiving team accepts, so the person never falls between teams.
- `Discharge`: how and why the episode ended, with the summary for the GP and the person.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class AllocationKind(models.TextChoices):
    ASSESSING = "assessing", "Assessing worker"
    CARE_COORDINATOR = "care_coordinator", "Care coordinator"


class AllocationQuerySet(models.QuerySet):
    def current(self, now=None):
        now = now or timezone.now()
        return self.filter(started_at__lte=now).filter(Q(ended_at__isnull=True) | Q(ended_at__gt=now))


class Allocation(models.Model):
    person = models.ForeignKey("patients.Person", on_delete=models.PROTECT, related_name="allocations")
    team = models.ForeignKey("accounts.Team", on_delete=models.PROTECT, related_name="allocations")
    referral = models.ForeignKey(
        "referrals.Referral", on_delete=models.PROTECT, null=True, blank=True, related_name="allocations"
    )
    worker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="allocations")
    kind = models.CharField(max_length=20, choices=AllocationKind.choices)
    weight = models.PositiveSmallIntegerField(
        default=1,
        help_text="Caseload weighting for this person (1 = standard), used if the team weights caseloads",
    )
    started_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)
    allocated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    episode = models.ForeignKey(
        "episodes.Episode", on_delete=models.PROTECT, null=True, blank=True, related_name="allocations"
    )

    objects = AllocationQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at"]
        indexes = [
            models.Index(fields=["worker", "kind", "ended_at"]),
            models.Index(fields=["team", "person"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True) | Q(ended_at__gte=models.F("started_at")),
                name="allocation_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(weight__gte=1) & Q(weight__lte=5), name="allocation_weight_1_to_5"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.worker_id} for person {self.person_id}"


class CareApproach(models.TextChoices):
    CPA = "cpa", "Care Programme Approach (CPA)"
    NON_CPA = "non_cpa", "Non-CPA"
    KEYWORKER = "keyworker", "Keyworker (Community Mental Health Framework)"


class EpisodeStatus(models.TextChoices):
    OPEN = "open", "Open"
    TRANSFER_PENDING = "transfer_pending", "Open – transfer pending"
    CLOSED = "closed", "Closed"


OPEN_EPISODE_STATUSES = (EpisodeStatus.OPEN, EpisodeStatus.TRANSFER_PENDING)


class EndReason(models.TextChoices):
    TRANSFERRED = "transferred", "Transferred to another team"
    DISCHARGED = "discharged", "Discharged"


class EpisodeQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=OPEN_EPISODE_STATUSES)

    def closed(self):
        return self.filter(status=EpisodeStatus.CLOSED)


class Episode(models.Model):
    """One team's episode of care for a person (FHIR EpisodeOfCare). Never deleted."""

    person = models.ForeignKey("patients.Person", on_delete=models.PROTECT, related_name="episodes")
    team = models.ForeignKey("accounts.Team", on_delete=models.PROTECT, related_name="episodes")
    referral = models.ForeignKey(
        "referrals.Referral", on_delete=models.PROTECT, null=True, blank=True, related_name="episodes"
    )
    care_approach = models.CharField("Care approach", max_length=20, choices=CareApproach.choices)
    status = models.CharField(max_length=20, choices=EpisodeStatus.choices, default=EpisodeStatus.OPEN)
    started_on = models.DateField("Start date", default=timezone.localdate)
    ended_on = models.DateField("End date", null=True, blank=True)
    end_reason = models.CharField(max_length=20, choices=EndReason.choices, blank=True)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField(default=timezone.now)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    # The date the team plans to discharge the person, when one is agreed (for example at the MDT
    # meeting); the MDT agenda lists it as it comes up. Set by services.plan_discharge.
    discharge_planned_on = models.DateField("Discharge planned for", null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    objects = EpisodeQuerySet.as_manager()

    class Meta:
        ordering = ["-started_on", "-pk"]
        indexes = [
            models.Index(fields=["team", "status"]),
            models.Index(fields=["person", "status"]),
            models.Index(fields=["team", "ended_on"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "team"],
                condition=Q(status__in=["open", "transfer_pending"]),
                name="one_open_episode_per_person_and_team",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="episode_ends_after_start",
            ),
            models.CheckConstraint(
                condition=(Q(status="closed") & Q(ended_on__isnull=False))
                | (~Q(status="closed") & Q(ended_on__isnull=True)),
                name="closed_episode_has_end_date",
            ),
        ]

    def __str__(self):
        return f"Episode {self.pk} of person {self.person_id} with team {self.team_id}"

    @property
    def is_open(self):
        return self.status in OPEN_EPISODE_STATUSES

    @property
    def worker_word(self) -> str:
        """What the pages call the named worker: "keyworker" under the Community Mental Health
        Framework (CPA is retired, NHS England 2021), "care coordinator" under CPA and non-CPA."""
        return "keyworker" if self.care_approach == CareApproach.KEYWORKER else "care coordinator"

    @property
    def worker_title(self) -> str:
        return self.worker_word[:1].upper() + self.worker_word[1:]

    @property
    def is_closed(self):
        return self.status == EpisodeStatus.CLOSED


class CareApproachChange(models.Model):
    """A change of care approach during an episode (for example CPA to keyworker), kept as history."""

    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, related_name="care_approach_changes")
    care_approach_before = models.CharField(max_length=20, choices=CareApproach.choices)
    care_approach = models.CharField(max_length=20, choices=CareApproach.choices)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-changed_at", "-pk"]

    def __str__(self):
        return f"Care approach of episode {self.episode_id} changed to {self.care_approach}"


class TransferStatus(models.TextChoices):
    PENDING = "pending", "Awaiting decision"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"
    WITHDRAWN = "withdrawn", "Withdrawn"


class TransferDirection(models.TextChoices):
    STEP_UP = "step_up", "Step up (more support)"
    STEP_DOWN = "step_down", "Step down (less support)"
    SIDEWAYS = "sideways", "Another team at the same level (for example, a move of area)"


class TransferQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(status=TransferStatus.PENDING)


class Transfer(models.Model):
    """A request from the sending team to hand the person's care to another team."""

    person = models.ForeignKey("patients.Person", on_delete=models.PROTECT, related_name="transfers")
    from_episode = models.ForeignKey(Episode, on_delete=models.PROTECT, related_name="transfers_out")
    to_team = models.ForeignKey("accounts.Team", on_delete=models.PROTECT, related_name="transfers_in")
    direction = models.CharField("Kind of transfer", max_length=20, choices=TransferDirection.choices)
    reason = models.TextField("Reason for the transfer")
    handover_summary = models.TextField("Handover summary")
    care_approach = models.CharField(
        "Care approach with the receiving team", max_length=20, choices=CareApproach.choices
    )
    status = models.CharField(max_length=20, choices=TransferStatus.choices, default=TransferStatus.PENDING)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField("Reason for the decision", blank=True)
    to_episode = models.OneToOneField(
        Episode, on_delete=models.PROTECT, null=True, blank=True, related_name="transfer_in"
    )

    objects = TransferQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_at", "-pk"]
        indexes = [
            models.Index(fields=["to_team", "status"]),
            models.Index(fields=["person", "status"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["from_episode"],
                condition=Q(status="pending"),
                name="one_pending_transfer_per_episode",
            ),
            models.CheckConstraint(
                condition=~Q(status="declined") | ~Q(decision_reason=""),
                name="declined_transfer_needs_reason",
            ),
        ]

    def __str__(self):
        return f"Transfer {self.pk} of person {self.person_id} to team {self.to_team_id}"

    @property
    def is_pending(self):
        return self.status == TransferStatus.PENDING


class DischargeKind(models.TextChoices):
    PLANNED = "planned", "Planned and agreed"
    UNPLANNED = "unplanned", "Unplanned"


class UnplannedReason(models.TextChoices):
    MOVED_AWAY = "moved_away", "Moved out of the area"
    DIED = "died", "Died"
    DISENGAGED = "disengaged", "Disengaged from the service"
    DECLINED = "declined", "Declined further contact"
    OTHER_PROVIDER = "other_provider", "Transferred to another provider"
    OTHER = "other", "Other"


class Discharge(models.Model):
    """How and why an episode ended, and the summary written for the GP and the person. Read-only."""

    episode = models.OneToOneField(Episode, on_delete=models.PROTECT, related_name="discharge")
    person = models.ForeignKey("patients.Person", on_delete=models.PROTECT, related_name="discharges")
    kind = models.CharField("Kind of discharge", max_length=20, choices=DischargeKind.choices)
    unplanned_reason = models.CharField("Reason", max_length=20, choices=UnplannedReason.choices, blank=True)
    reason_detail = models.TextField("More about the reason", blank=True)
    disengagement_procedure_followed = models.BooleanField(default=False)
    discharged_on = models.DateField("Date of discharge")
    what_happened = models.TextField("What happened during the episode")
    current_medication = models.TextField("Current medication", blank=True)
    relapse_signs = models.TextField("Signs that things may be getting worse", blank=True)
    getting_back_in_touch = models.TextField("How to get back in touch")
    crisis_numbers = models.TextField("Crisis numbers")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="planned", unplanned_reason="")
                | (Q(kind="unplanned") & ~Q(unplanned_reason="")),
                name="unplanned_discharge_needs_reason",
            ),
        ]

    def __str__(self):
        return f"Discharge from episode {self.episode_id}"

    @property
    def reason_text(self):
        if self.kind == DischargeKind.PLANNED:
            return self.get_kind_display()
        return f"Unplanned – {self.get_unplanned_reason_display().lower()}"
