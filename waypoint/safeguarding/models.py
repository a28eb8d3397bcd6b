"""Safeguarding concerns about an adult (the person, or another adult) or a child in the household.

A concern is raised in a minute (who it is about, the category, what was seen or disclosed, what
was done straight away); consent, the safeguarding lead consulted and the referral to the local
authority (adults: section 42 enquiry, Care Act 2014; children: the children's front door / MASH)
are added later, then the decision and outcome when they come back. A concern is never deleted:
corrections are addenda, and a concern raised on the wrong record is marked entered in error with
the reason (it stays, marked with the reason).
"""

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.db.models import Q
from django.utils import timezone


class About(models.TextChoices):
    PERSON = "person", "The person"
    OTHER_ADULT = "other_adult", "Another adult"
    CHILD = "child", "A child or young person (under 18)"


class Category(models.TextChoices):
    # Care Act 2014 statutory guidance, section 14.17: types of abuse and neglect of adults.
    ADULT_PHYSICAL = "adult_physical", "Physical abuse"
    ADULT_DOMESTIC = "adult_domestic", "Domestic abuse"
    ADULT_SEXUAL = "adult_sexual", "Sexual abuse"
    ADULT_PSYCHOLOGICAL = "adult_psychological", "Psychological or emotional abuse"
    ADULT_FINANCIAL = "adult_financial", "Financial or material abuse"
    ADULT_MODERN_SLAVERY = "adult_modern_slavery", "Modern slavery"
    ADULT_DISCRIMINATORY = "adult_discriminatory", "Discriminatory abuse"
    ADULT_ORGANISATIONAL = "adult_organisational", "Organisational or institutional abuse"
    ADULT_NEGLECT = "adult_neglect", "Neglect and acts of omission"
    ADULT_SELF_NEGLECT = "adult_self_neglect", "Self-neglect"
    # Working Together to Safeguard Children (2023): categories of harm.
    CHILD_PHYSICAL = "child_physical", "Physical abuse"
    CHILD_EMOTIONAL = "child_emotional", "Emotional abuse"
    CHILD_SEXUAL = "child_sexual", "Sexual abuse (including exploitation)"
    CHILD_NEGLECT = "child_neglect", "Neglect"


ADULT_CATEGORIES = [(value, label) for value, label in Category.choices if value.startswith("adult_")]
CHILD_CATEGORIES = [(value, label) for value, label in Category.choices if value.startswith("child_")]


class Consent(models.TextChoices):
    CONSENTS = "consents", "Consents to a referral"
    DECLINES = "declines", "Does not consent"
    LACKS_CAPACITY = "lacks_capacity", "Lacks capacity to decide (MCA 2005)"
    NOT_ASKED = "not_asked", "Not asked (it would put someone at risk, or not yet possible)"


WITHOUT_CONSENT = {Consent.DECLINES, Consent.LACKS_CAPACITY, Consent.NOT_ASKED}


class Decision(models.TextChoices):
    ADULT_S42 = "adult_s42", "Section 42 enquiry"
    ADULT_OTHER_ENQUIRY = "adult_other_enquiry", "Other safeguarding enquiry (non-statutory)"
    ADULT_ADVICE = "adult_advice", "Information and advice"
    CHILD_STRATEGY = "child_strategy", "Strategy discussion (section 47 enquiry)"
    CHILD_IN_NEED = "child_in_need", "Child in need assessment (section 17)"
    CHILD_EARLY_HELP = "child_early_help", "Early help"
    NO_FURTHER_ACTION = "no_further_action", "No further action"


class Status(models.TextChoices):
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


class ConcernQuerySet(models.QuerySet):
    def current(self):
        """Not entered in error."""
        return self.filter(entered_in_error_at__isnull=True)

    def open(self):
        return self.current().filter(status=Status.OPEN)


class Concern(models.Model):
    person = models.ForeignKey(
        "patients.Person", on_delete=models.PROTECT, related_name="safeguarding_concerns"
    )
    team = models.ForeignKey("accounts.Team", on_delete=models.PROTECT, related_name="+")
    about = models.CharField("Who is the concern about?", max_length=20, choices=About.choices)
    subject_name = models.CharField("Their name", max_length=200, blank=True)
    subject_details = models.TextField(
        "About them",
        blank=True,
        help_text="Age or date of birth, relationship to the person, where they live",
    )
    category = models.CharField("Category", max_length=40, choices=Category.choices)
    account = models.TextField("What was seen or disclosed")
    immediate_actions = models.TextField("What has been done to keep people safe")
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    raised_at = models.DateTimeField(default=timezone.now)

    # Added later.
    consent = models.CharField("Consent to a referral", max_length=20, choices=Consent.choices, blank=True)
    share_without_consent_reason = models.TextField("Reason to share without consent", blank=True)
    lead_consulted = models.CharField("Safeguarding lead consulted", max_length=200, blank=True)
    lead_consulted_on = models.DateField("Date consulted", null=True, blank=True)
    referred_on = models.DateField("Date referred to the local authority", null=True, blank=True)
    referral_reference = models.CharField("Local authority reference", max_length=100, blank=True)
    decision = models.CharField(
        "Local authority decision", max_length=30, choices=Decision.choices, blank=True
    )
    decision_on = models.DateField("Date of the decision", null=True, blank=True)
    outcome = models.TextField("Outcome", blank=True)
    outcome_on = models.DateField("Date of the outcome", null=True, blank=True)

    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    closing_summary = models.TextField("Why it is being closed", blank=True)

    entered_in_error_reason = models.TextField(blank=True)
    entered_in_error_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    entered_in_error_at = models.DateTimeField(null=True, blank=True)

    version = models.PositiveIntegerField(default=1)

    objects = ConcernQuerySet.as_manager()

    class Meta:
        ordering = ["-raised_at", "-id"]
        indexes = [models.Index(fields=["person", "status"]), models.Index(fields=["team", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="open") | Q(closed_by__isnull=False), name="safeguarding_closed_by_someone"
            ),
            models.CheckConstraint(
                condition=Q(entered_in_error_at__isnull=True) | ~Q(entered_in_error_reason=""),
                name="safeguarding_entered_in_error_has_reason",
            ),
        ]

    def __str__(self):
        return f"Safeguarding concern {self.pk} on person {self.person_id}"

    @property
    def is_child(self) -> bool:
        return self.about == About.CHILD

    @property
    def is_open(self) -> bool:
        return self.status == Status.OPEN and self.entered_in_error_at is None

    @property
    def entered_in_error(self) -> bool:
        return self.entered_in_error_at is not None

    @property
    def household_member(self):
        """The household member the concern is about, when one was picked (else None)."""
        try:
            return self.household_link.member
        except ObjectDoesNotExist:
            return None

    @property
    def referral_route(self) -> str:
        if self.is_child:
            return "Children's front door (MASH)"
        return "Adult social care (section 42, Care Act 2014)"

    @property
    def subject_label(self) -> str:
        if self.about == About.PERSON:
            return "The person"
        kind = "Child" if self.is_child else "Adult"
        return f"{kind}: {self.subject_name}" if self.subject_name else kind


class ConcernAddendum(models.Model):
    """A correction or later information added to a concern. Never changed or deleted."""

    concern = models.ForeignKey(Concern, on_delete=models.PROTECT, related_name="addenda")
    text = models.TextField("Addendum")
    written_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    written_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["written_at", "id"]
        verbose_name_plural = "concern addenda"

    def __str__(self):
        return f"Addendum to concern {self.concern_id}"


class HouseholdMemberQuerySet(models.QuerySet):
    def current(self):
        """Not entered in error and still in the household."""
        return self.filter(entered_in_error_at__isnull=True, ended_on__isnull=True)


class HouseholdMember(models.Model):
    """A child or other dependant in the person's household, recorded on the person's record so
    that a concern about a child can name them. Never deleted: ended (no longer in the household,
    with the date) or entered in error with the reason."""

    person = models.ForeignKey("patients.Person", on_delete=models.PROTECT, related_name="household_members")
    name = models.CharField("Name", max_length=200)
    date_of_birth = models.DateField("Date of birth", null=True, blank=True)
    age = models.CharField("Age (if the date of birth is not known)", max_length=50, blank=True)
    relationship = models.CharField("Relationship to the person", max_length=100)
    parental_responsibility = models.BooleanField("The person has parental responsibility", default=False)
    is_carer = models.BooleanField("The person is a carer for them", default=False)
    lives_with_person = models.BooleanField("Lives with the person", default=True)
    agencies = models.TextField("School or other agency known", blank=True)
    notes = models.TextField("Notes", blank=True)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(default=timezone.now)

    ended_on = models.DateField("No longer in the household from", null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    entered_in_error_reason = models.TextField(blank=True)
    entered_in_error_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    entered_in_error_at = models.DateTimeField(null=True, blank=True)

    version = models.PositiveIntegerField(default=1)

    objects = HouseholdMemberQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["person"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(entered_in_error_at__isnull=True) | ~Q(entered_in_error_reason=""),
                name="safeguarding_household_entered_in_error_has_reason",
            ),
        ]

    def __str__(self):
        return f"Household member {self.pk} of person {self.person_id}"

    @property
    def entered_in_error(self) -> bool:
        return self.entered_in_error_at is not None

    @property
    def is_current(self) -> bool:
        return self.entered_in_error_at is None and self.ended_on is None

    def age_on(self, day) -> str:
        if self.date_of_birth is None:
            return self.age
        years = (
            day.year
            - self.date_of_birth.year
            - ((day.month, day.day) < (self.date_of_birth.month, self.date_of_birth.day))
        )
        return f"{years}"

    def summary(self, day) -> str:
        """One line for a concern's 'About them': age, relationship, where they live, agencies."""
        parts = []
        age = self.age_on(day)
        if self.date_of_birth:
            parts.append(f"Born {self.date_of_birth:%-d %B %Y} (aged {age})")
        elif age:
            parts.append(f"Aged {age}")
        parts.append(self.relationship)
        parts.append("lives with the person" if self.lives_with_person else "does not live with the person")
        if self.agencies:
            parts.append(f"known to: {self.agencies}")
        return ", ".join(parts)


class ConcernHouseholdLink(models.Model):
    """The household member a concern is about, when the coordinator picked one (kept apart from
    the concern so that the concern's read-only trigger and its column list stay as they are).
    Written once when the concern is raised; never changed."""

    concern = models.OneToOneField(Concern, on_delete=models.PROTECT, related_name="household_link")
    member = models.ForeignKey(HouseholdMember, on_delete=models.PROTECT, related_name="concern_links")

    def __str__(self):
        return f"Concern {self.concern_id} about household member {self.member_id}"
