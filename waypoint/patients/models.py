"""The person index: people the Trust works with, their GP practice, carers, alerts, and teams."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class GPPractice(models.Model):
    ods_code = models.CharField("ODS code", max_length=10, unique=True)
    name = models.CharField(max_length=200)
    address = models.CharField(max_length=300, blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    phone = models.CharField(max_length=30, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = "GP practice"

    def __str__(self):
        return f"{self.name} ({self.ods_code})"


class Sex(models.TextChoices):  # NHS Data Dictionary: Person Stated Sex Code
    MALE = "1", "Male"
    FEMALE = "2", "Female"
    INDETERMINATE = "9", "Indeterminate (unable to be classified as either male or female)"
    NOT_KNOWN = "X", "Not known"


class GenderIdentity(models.TextChoices):  # NHS Data Dictionary: Gender Identity Code
    MALE = "1", "Male (including trans man)"
    FEMALE = "2", "Female (including trans woman)"
    NON_BINARY = "3", "Non-binary"
    OTHER = "4", "Other (not listed)"
    NOT_KNOWN = "X", "Not known"
    NOT_STATED = "Z", "Not stated (person asked but declined to answer)"


class EthnicCategory(models.TextChoices):  # NHS Data Dictionary: Ethnic Category
    WHITE_BRITISH = "A", "White – British"
    WHITE_IRISH = "B", "White – Irish"
    WHITE_OTHER = "C", "White – any other White background"
    MIXED_WHITE_BLACK_CARIBBEAN = "D", "Mixed – White and Black Caribbean"
    MIXED_WHITE_BLACK_AFRICAN = "E", "Mixed – White and Black African"
    MIXED_WHITE_ASIAN = "F", "Mixed – White and Asian"
    MIXED_OTHER = "G", "Mixed – any other mixed background"
    ASIAN_INDIAN = "H", "Asian or Asian British – Indian"
    ASIAN_PAKISTANI = "J", "Asian or Asian British – Pakistani"
    ASIAN_BANGLADESHI = "K", "Asian or Asian British – Bangladeshi"
    ASIAN_OTHER = "L", "Asian or Asian British – any other Asian background"
    BLACK_CARIBBEAN = "M", "Black or Black British – Caribbean"
    BLACK_AFRICAN = "N", "Black or Black British – African"
    BLACK_OTHER = "P", "Black or Black British – any other Black background"
    CHINESE = "R", "Other ethnic groups – Chinese"
    OTHER = "S", "Other ethnic groups – any other ethnic group"
    NOT_STATED = "Z", "Not stated"
    NOT_KNOWN = "99", "Not known"


class AccommodationStatus(models.TextChoices):
    OWNER_OCCUPIER = "owner", "Owner occupier"
    SOCIAL_TENANT = "social_tenant", "Tenant – council or housing association"
    PRIVATE_TENANT = "private_tenant", "Tenant – private landlord"
    WITH_FAMILY = "with_family", "Living with family or friends"
    SUPPORTED = "supported", "Supported accommodation"
    TEMPORARY = "temporary", "Temporary accommodation"
    HOMELESS = "homeless", "Homeless or rough sleeping"
    OTHER = "other", "Other"
    NOT_KNOWN = "not_known", "Not known"


class EmploymentStatus(models.TextChoices):  # MHSDS EmployStatus
    EMPLOYED = "01", "Employed"
    UNEMPLOYED = "02", "Unemployed and seeking work"
    STUDENT = "03", "Student"
    LONG_TERM_SICK = "04", "Long-term sick or disabled"
    HOMEMAKER = "05", "Looking after the family or home"
    NOT_WORKING = "06", "Not working and not seeking work"
    VOLUNTEER = "07", "Unpaid voluntary work"
    RETIRED = "08", "Retired"
    NOT_STATED = "ZZ", "Not stated"


# How "who may see whom" is answered: the access policy plugs itself in (access/extensions.py), so
# the person index does not import the policy that imports it (the access <-> patients circle).
_visible_person_ids = None
_visible_condition = None


def set_visibility_policy(visible_person_ids, visible_condition=None) -> None:
    """`visible_person_ids(user, now)` -> a subquery of person ids the user may see now;
    `visible_condition(user, now)` -> the same as a filter on people (what `visible_to` uses)."""
    global _visible_person_ids, _visible_condition
    _visible_person_ids = visible_person_ids
    _visible_condition = visible_condition


class PersonQuerySet(models.QuerySet):
    def visible_to(self, user, now=None):
        """People this member of staff may see now: every patient-scoped query starts here."""
        if _visible_person_ids is None:
            raise RuntimeError("No access policy is installed (waypoint.access sets it when ready)")
        if _visible_condition is not None:
            return self.filter(_visible_condition(user, now))
        return self.filter(pk__in=_visible_person_ids(user, now))

    def search(self, query: str):
        """Partial name (any part, case-insensitive), NHS number (with or without spaces) or date of birth."""
        from .search import person_search_filter

        return self.filter(person_search_filter(query))


class Person(models.Model):
    """A person the Trust works with (a patient or service user)."""

    nhs_number = models.CharField("NHS number", max_length=10, unique=True, null=True, blank=True)
    local_id = models.CharField("Local ID", max_length=20, unique=True, editable=False)
    given_name = models.CharField("First name", max_length=100)
    family_name = models.CharField("Last name", max_length=100)
    preferred_name = models.CharField("Preferred name", max_length=100, blank=True)
    date_of_birth = models.DateField("Date of birth")
    sex = models.CharField("Sex", max_length=2, choices=Sex.choices, default=Sex.NOT_KNOWN)
    gender_identity = models.CharField(
        "Gender identity", max_length=2, choices=GenderIdentity.choices, default=GenderIdentity.NOT_KNOWN
    )
    ethnicity = models.CharField(
        "Ethnicity", max_length=2, choices=EthnicCategory.choices, default=EthnicCategory.NOT_KNOWN
    )
    address = models.CharField("Address", max_length=300, blank=True)
    postcode = models.CharField("Postcode", max_length=10, blank=True)
    phone = models.CharField("Phone", max_length=30, blank=True)
    email = models.EmailField("Email", blank=True)
    gp_practice = models.ForeignKey(
        GPPractice,
        verbose_name="GP practice",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    preferred_language = models.CharField("Preferred language", max_length=60, default="English")
    interpreter_needed = models.BooleanField("Needs an interpreter", default=False)
    communication_needs = models.TextField(
        "Communication and accessibility needs",
        blank=True,
        help_text="Accessible Information Standard: how the person needs information given to them",
    )
    accommodation_status = models.CharField(
        "Accommodation",
        max_length=20,
        choices=AccommodationStatus.choices,
        default=AccommodationStatus.NOT_KNOWN,
    )
    employment_status = models.CharField(
        "Employment", max_length=2, choices=EmploymentStatus.choices, default=EmploymentStatus.NOT_STATED
    )
    religion = models.CharField("Religion or belief", max_length=60, blank=True)
    deceased_on = models.DateField("Date of death", null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = PersonQuerySet.as_manager()

    class Meta:
        ordering = ["family_name", "given_name", "date_of_birth"]
        indexes = [
            models.Index(fields=["family_name", "given_name"]),
            models.Index(fields=["date_of_birth"]),
        ]

    def __str__(self):
        return self.full_name

    @property
    def full_name(self):
        return f"{self.given_name} {self.family_name}"

    @property
    def listing_name(self):
        return f"{self.family_name.upper()}, {self.given_name}"

    def age(self, on=None):
        on = on or timezone.localdate()
        end = self.deceased_on or on
        born = self.date_of_birth
        return end.year - born.year - ((end.month, end.day) < (born.month, born.day))


class CarerConsent(models.TextChoices):
    NOT_ASKED = "not_asked", "Not yet asked"
    EVERYTHING = "everything", "Care, crisis and safety plans, appointments and medication"
    CRISIS_ONLY = "crisis_only", "Crisis plan and appointments only"
    NOTHING = "nothing", "Nothing without asking the person first"


class CarerAssessmentStatus(models.TextChoices):
    NOT_OFFERED = "not_offered", "Not yet offered"
    OFFERED = "offered", "Offered"
    DECLINED = "declined", "Declined"
    COMPLETED = "completed", "Completed"


class Carer(models.Model):
    """A carer, relative or friend of the person, and what the person consents to share with them."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="carers")
    name = models.CharField(max_length=200)
    relationship = models.CharField(max_length=80, help_text="For example mother, partner, friend")
    phone = models.CharField(max_length=30, blank=True)
    email = models.EmailField(blank=True)
    address = models.CharField(max_length=300, blank=True)
    is_carer = models.BooleanField("Provides care", default=True)
    is_nearest_relative = models.BooleanField("Nearest relative (Mental Health Act 1983)", default=False)
    is_nominated_person = models.BooleanField("Nominated person (Mental Health Act 2025)", default=False)
    consent_to_share = models.CharField(
        "What the person agrees we share",
        max_length=20,
        choices=CarerConsent.choices,
        default=CarerConsent.NOT_ASKED,
    )
    consent_notes = models.TextField("Anything the person asked about sharing", blank=True)
    consent_recorded_on = models.DateField("Date consent was recorded", null=True, blank=True)
    carer_assessment = models.CharField(
        "Carer's assessment",
        max_length=20,
        choices=CarerAssessmentStatus.choices,
        default=CarerAssessmentStatus.NOT_OFFERED,
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return f"{self.name} ({self.relationship})"


class Alert(models.Model):
    """Something everyone opening the record must see first, such as 'do not visit alone'."""

    class Category(models.TextChoices):
        STAFF_SAFETY = "staff_safety", "Staff safety"
        SAFEGUARDING = "safeguarding", "Safeguarding"
        ALLERGY = "allergy", "Allergy"
        COMMUNICATION = "communication", "Communication"
        LEGAL = "legal", "Legal"
        OTHER = "other", "Other"

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="alerts")
    category = models.CharField(max_length=20, choices=Category.choices)
    summary = models.CharField(max_length=200, help_text="For example: Do not visit alone")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return self.summary


class TeamRegistrationQuerySet(models.QuerySet):
    def current(self, on=None):
        on = on or timezone.localdate()
        return self.filter(started_on__lte=on).filter(Q(ended_on__isnull=True) | Q(ended_on__gte=on))


class TeamRegistration(models.Model):
    """The person is on this team's books. Referrals and episodes will add further relationships."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="team_registrations")
    team = models.ForeignKey("accounts.Team", on_delete=models.PROTECT, related_name="registrations")
    started_on = models.DateField(default=timezone.localdate)
    ended_on = models.DateField(null=True, blank=True)

    objects = TeamRegistrationQuerySet.as_manager()

    class Meta:
        ordering = ["-started_on"]
        indexes = [models.Index(fields=["team", "person"])]

    def __str__(self):
        return f"{self.person} on {self.team}'s books"
