"""The duty system: who is on duty, every enquiry until it is closed, and the end-of-day handover."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class DutyRole(models.TextChoices):
    DUTY = "duty", "Duty worker"
    BACKUP = "backup", "Back-up"


class DutyShiftQuerySet(models.QuerySet):
    def on(self, day):
        return self.filter(date=day)

    def for_team(self, team):
        return self.filter(team=team)

    def for_worker(self, user):
        return self.filter(worker=user)

    def between(self, first, after_last):
        """Shifts from `first` up to, not including, `after_last`."""
        return self.filter(date__gte=first, date__lt=after_last)


class DutyShift(models.Model):
    """One worker's duty (or back-up) for a team on one working day."""

    team = models.ForeignKey("accounts.Team", on_delete=models.PROTECT, related_name="duty_shifts")
    date = models.DateField()
    worker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="duty_shifts")
    role = models.CharField(max_length=10, choices=DutyRole.choices)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    set_at = models.DateTimeField(default=timezone.now)

    objects = DutyShiftQuerySet.as_manager()

    class Meta:
        ordering = ["date", "role"]
        constraints = [
            models.UniqueConstraint(fields=["team", "date", "role"], name="one_worker_per_duty_role_per_day"),
            models.CheckConstraint(condition=Q(role__in=DutyRole.values), name="duty_shift_role_valid"),
        ]
        indexes = [models.Index(fields=["worker", "date"])]

    def __str__(self):
        return f"{self.get_role_display()} {self.team_id} {self.date}"


class CallerType(models.TextChoices):
    PERSON = "person", "The person"
    CARER = "carer", "Carer or relative"
    GP = "gp", "GP"
    POLICE = "police", "Police"
    OTHER_AGENCY = "other_agency", "Other agency"
    PROFESSIONAL = "professional", "Professional"


class Escalation(models.TextChoices):
    CRISIS_TEAM = "crisis_team", "Crisis team"
    AMHP = "amhp", "AMHP"
    AMBULANCE = "ambulance", "Ambulance"
    POLICE = "police", "Police"


class EnquiryStatus(models.TextChoices):
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


class DutyEnquiryQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status=EnquiryStatus.OPEN)

    def closed(self):
        return self.filter(status=EnquiryStatus.CLOSED)

    def for_team(self, team):
        return self.filter(team=team)

    def for_team_member(self, user):
        """Only enquiries to teams the user is a current member of: the duty log is the team's."""
        return self.filter(team_id__in=user.current_team_ids())

    def board_order(self):
        """Crises first, then the oldest."""
        return self.order_by("-is_crisis", "received_at", "pk")

    def with_people(self):
        return self.select_related("person", "logged_by", "closed_by", "team")


# What a duty worker may record or change on an open enquiry; everything else is set by services.
LOGGED_FIELDS = (
    "received_at",
    "caller_type",
    "caller_name",
    "caller_contact",
    "person",
    "person_description",
    "what_was_asked",
    "safety_concerns",
    "action_taken",
    "is_crisis",
)
CRISIS_FIELDS = (
    "is_crisis",
    "crisis_what_happened",
    "escalations",
    "conveyed_by",
    "conveyed_at",
    "conveyed_to",
)
UPDATABLE_FIELDS = ("safety_concerns", "action_taken", *CRISIS_FIELDS)
# On an open enquiry these are added to its log as timestamped entries, never written over
# (issue 18, item 10); the enquiry's own fields keep what was recorded when the call was logged.
LOG_FIELDS = ("safety_concerns", "action_taken", "crisis_what_happened")


class DutyEnquiry(models.Model):
    """Every enquiry to the duty line, open until it is closed with an outcome.

    Crisis responses are recorded on the enquiry itself: what happened, who it was escalated to
    (a list of `Escalation` values) and any conveyance to an urgent appointment.
    """

    team = models.ForeignKey("accounts.Team", on_delete=models.PROTECT, related_name="duty_enquiries")
    received_at = models.DateTimeField("Received", default=timezone.now)
    caller_type = models.CharField("Who called", max_length=20, choices=CallerType.choices)
    caller_name = models.CharField("Caller's name", max_length=200, blank=True)
    caller_contact = models.CharField("Caller's phone or email", max_length=200, blank=True)
    person = models.ForeignKey(
        "patients.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="duty_enquiries"
    )
    person_description = models.CharField(
        "Who the call is about, if not on Waypoint", max_length=200, blank=True
    )
    what_was_asked = models.TextField("What was asked")
    safety_concerns = models.TextField("Concerns about safety", blank=True)
    action_taken = models.TextField("Action taken", blank=True)
    is_crisis = models.BooleanField("This is a crisis", default=False)
    crisis_what_happened = models.TextField("What happened", blank=True)
    escalations = models.JSONField("Escalated to", default=list, blank=True)
    conveyed_by = models.CharField("Conveyed by", max_length=200, blank=True)
    conveyed_at = models.DateTimeField("Conveyed at", null=True, blank=True)
    conveyed_to = models.CharField("Conveyed to (urgent appointment: where)", max_length=200, blank=True)
    outcome = models.TextField("Outcome", blank=True)
    status = models.CharField(max_length=10, choices=EnquiryStatus.choices, default=EnquiryStatus.OPEN)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    logged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    logged_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)

    objects = DutyEnquiryQuerySet.as_manager()

    class Meta:
        ordering = ["-received_at"]
        indexes = [models.Index(fields=["team", "status", "received_at"])]
        verbose_name_plural = "duty enquiries"
        constraints = [
            # Open until closed, and never closed without an outcome, a time and who closed it.
            models.CheckConstraint(
                condition=(
                    Q(status=EnquiryStatus.OPEN, closed_at__isnull=True, closed_by__isnull=True)
                    | (
                        Q(status=EnquiryStatus.CLOSED, closed_at__isnull=False, closed_by__isnull=False)
                        & ~Q(outcome="")
                    )
                ),
                name="duty_enquiry_closed_with_outcome",
            ),
        ]

    def __str__(self):
        return f"Duty enquiry {self.pk}"

    @property
    def is_open(self):
        return self.status == EnquiryStatus.OPEN

    def escalation_labels(self):
        return [Escalation(value).label for value in self.escalations if value in Escalation.values]

    def open_since(self, today=None):
        """The local date the enquiry came in, if that was before today (it has been carried over)."""
        received_on = timezone.localtime(self.received_at).date()
        return received_on if received_on < (today or timezone.localdate()) else None


class LogKind(models.TextChoices):
    SAFETY_CONCERNS = "safety_concerns", "Concerns about safety"
    ACTION_TAKEN = "action_taken", "Action taken"
    CRISIS_WHAT_HAPPENED = "crisis_what_happened", "What happened (crisis)"


class DutyLogEntry(models.Model):
    """One timestamped entry in a duty call's log: added, never changed or removed."""

    enquiry = models.ForeignKey(DutyEnquiry, on_delete=models.PROTECT, related_name="log_entries")
    kind = models.CharField(max_length=30, choices=LogKind.choices)
    text = models.TextField()
    written_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    written_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["written_at", "pk"]
        verbose_name_plural = "duty log entries"
        constraints = [models.CheckConstraint(condition=~Q(text=""), name="duty_log_entry_has_text")]

    def __str__(self):
        return f"Duty log entry {self.pk} on enquiry {self.enquiry_id}"


class HandoverQuerySet(models.QuerySet):
    def for_team(self, team):
        return self.filter(team=team)

    def latest_first(self):
        return self.select_related("written_by").order_by("-written_at", "-pk")


class Handover(models.Model):
    """The duty worker's end-of-day note for the next duty worker.

    `for_date` is the duty day being handed over (the local date it was written on).
    """

    team = models.ForeignKey("accounts.Team", on_delete=models.PROTECT, related_name="handovers")
    for_date = models.DateField("Duty day handed over")
    note = models.TextField("Handover note")
    written_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    written_at = models.DateTimeField(default=timezone.now)

    objects = HandoverQuerySet.as_manager()

    class Meta:
        ordering = ["-written_at"]
        indexes = [models.Index(fields=["team", "written_at"])]

    def __str__(self):
        return f"Handover {self.team_id} {self.for_date}"
