"""Staff, their professional roles, teams and team memberships."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils import timezone

from waypoint.core.fields import CodeField


class RoleCode(models.TextChoices):
    CARE_COORDINATOR = "care_coordinator", "Care coordinator"
    SUPPORT_WORKER = "support_worker", "Support worker"
    STUDENT = "student", "Student"
    PSYCHIATRIST = "psychiatrist", "Psychiatrist"
    PSYCHOLOGIST = "psychologist", "Psychologist"
    TEAM_MANAGER = "team_manager", "Team manager"
    RECORDS_OFFICER = "records_officer", "Admin and records officer"
    AMHP = "amhp", "Approved Mental Health Professional (AMHP)"
    BIA = "bia", "Best Interests Assessor (BIA)"
    PRIVACY_OFFICER = "privacy_officer", "Privacy officer"
    SYSTEM_ADMINISTRATOR = "system_administrator", "System administrator"
    WORKFORCE_ADMINISTRATOR = "workforce_administrator", "Workforce administrator"
    SYSTEM_CLIENT = "system_client", "System client (service account for the FHIR API)"
    SERVICE_MANAGER = "service_manager", "Service manager"
    INFORMATION_ANALYST = "information_analyst", "Information analyst"


class Profession(models.TextChoices):
    SOCIAL_WORKER = "social_worker", "Social worker"
    NURSE = "nurse", "Nurse"
    OCCUPATIONAL_THERAPIST = "occupational_therapist", "Occupational therapist"
    DOCTOR = "doctor", "Doctor"
    PSYCHOLOGIST = "psychologist", "Psychologist"
    OTHER = "other", "Other"


class Role(models.Model):
    """A professional role. A member of staff can hold several."""

    code = CodeField(max_length=40, choices=RoleCode.choices, unique=True)

    class Meta:
        ordering = ["code"]

    def __str__(self):
        return self.get_code_display()


class TeamType(models.TextChoices):
    CMHT = "cmht", "Community Mental Health Team"
    ASSERTIVE_OUTREACH = "assertive_outreach", "Assertive Outreach"
    COMPLEX_REHABILITATION = "complex_rehabilitation", "Complex Rehabilitation"
    EARLY_INTERVENTION = "early_intervention", "Early Intervention"
    CRISIS = "crisis", "Crisis"


class Team(models.Model):
    name = models.CharField(max_length=120, unique=True)
    team_type = models.CharField(max_length=40, choices=TeamType.choices)
    base = models.CharField("Base", max_length=200, help_text="Where the team works from")
    is_active = models.BooleanField(default=True)
    weights_caseloads = models.BooleanField(
        "Weights caseloads",
        default=False,
        help_text="Allocation shows each worker's weighted caseload as well as the count",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class User(AbstractUser):
    """A member of staff. Signs in with a username; roles say what they may do."""

    profession = models.CharField(max_length=40, choices=Profession.choices, blank=True)
    job_title = models.CharField(max_length=120, blank=True)
    roles = models.ManyToManyField(Role, blank=True, related_name="users")
    teams = models.ManyToManyField(Team, through="Membership", related_name="members", blank=True)
    must_change_password = models.BooleanField(
        "Must change password at next sign-in",
        default=False,
        help_text="Set when a password is given by the staff import or an administrator",
    )
    session_generation = models.PositiveIntegerField(
        default=0,
        editable=False,
        help_text="Sessions signed in under an older number are ended; raised when the account is "
        "disabled or its sessions are ended",
    )

    class Meta:
        ordering = ["last_name", "first_name"]

    def save(self, *args, **kwargs):
        """Disabling an account ends its sessions for good: re-enabling it later does not bring
        them back, because they were signed in under an older session generation."""
        if not self.is_active and self.pk is not None:
            if type(self)._default_manager.filter(pk=self.pk, is_active=True).exists():
                self.session_generation += 1
                update_fields = kwargs.get("update_fields")
                if update_fields is not None:
                    kwargs["update_fields"] = {*update_fields, "session_generation"}
        super().save(*args, **kwargs)

    def __str__(self):
        return self.display_name

    @property
    def display_name(self):
        return self.get_full_name() or self.username

    def role_codes(self) -> set[str]:
        if not hasattr(self, "_role_codes"):
            self._role_codes = set(self.roles.values_list("code", flat=True))
        return self._role_codes

    def has_role(self, code: str) -> bool:
        return code in self.role_codes()

    def current_memberships(self):
        return Membership.objects.current().filter(user=self).select_related("team")

    def _current_memberships_cached(self) -> list:
        """The current memberships with their teams, read once for this user object (one request)."""
        if not hasattr(self, "_memberships"):
            self._memberships = list(self.current_memberships())
        return self._memberships

    def current_team_ids(self) -> list[int]:
        if not hasattr(self, "_team_ids"):
            self._team_ids = [membership.team_id for membership in self._current_memberships_cached()]
        return self._team_ids

    def primary_team(self):
        # The same read as current_team_ids (the access check and the header share one query).
        memberships = sorted(
            self._current_memberships_cached(), key=lambda m: (not m.is_primary, m.started_on)
        )
        return memberships[0].team if memberships else None


class MembershipQuerySet(models.QuerySet):
    def current(self, on=None):
        on = on or timezone.localdate()
        return self.filter(started_on__lte=on).filter(Q(ended_on__isnull=True) | Q(ended_on__gte=on))


class Membership(models.Model):
    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="memberships")
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="memberships")
    is_primary = models.BooleanField(default=True)
    started_on = models.DateField(default=timezone.localdate)
    ended_on = models.DateField(null=True, blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["team__name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="membership_ends_after_start",
            )
        ]

    def __str__(self):
        return f"{self.user} in {self.team}"


class RoleGrantRequest(models.Model):
    """A privacy officer or system administrator role asked for by one administrator.

    The role is not given until a second, different administrator approves (two-person rule);
    neither the one who asked nor the account holder can approve. See accounts/services.py.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Awaiting a second administrator"
        APPROVED = "approved", "Approved"
        REFUSED = "refused", "Refused"

    account = models.ForeignKey(User, on_delete=models.PROTECT, related_name="role_grant_requests")
    role = models.ForeignKey(Role, on_delete=models.PROTECT, related_name="+")
    requested_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["account", "role"],
                condition=Q(status="pending"),
                name="one_pending_grant_per_account_and_role",
            ),
            models.CheckConstraint(
                condition=~Q(status="approved")
                | (
                    Q(decided_by__isnull=False)
                    & ~Q(decided_by=models.F("requested_by"))
                    & ~Q(decided_by=models.F("account"))
                ),
                name="grant_approved_by_a_second_person",
            ),
        ]

    def __str__(self):
        return f"{self.role} for {self.account}"
