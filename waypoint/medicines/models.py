"""Medicines, allergies, long-acting injections (depot) and the physical health of people with
severe mental illness.

Nothing clinical is deleted or silently changed: a depot administration, a missed or refused dose
and a physical health check are written once and never updated (database triggers refuse it, see
migration 0002); a correction is a separate "entered in error" row with the reason, and the
original stays, crossed out. Medicines are stopped with a reason, never deleted.
"""

from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils import timezone


class MedicineReference(models.Model):
    """One medicine in the Trust's reference list (loaded from a CSV: `import_medicines`)."""

    code = models.CharField("dm+d code", max_length=20, unique=True)
    name = models.CharField(max_length=200)
    form = models.CharField(max_length=100, blank=True)
    strength = models.CharField(max_length=100, blank=True)
    route = models.CharField(max_length=50, blank=True)
    is_antipsychotic = models.BooleanField(default=False)
    is_long_acting_injection = models.BooleanField(default=False)
    post_injection_observation_minutes = models.PositiveIntegerField(default=0)
    synthetic = models.BooleanField(
        default=False, help_text="Synthetic reference data (the demo list): not for clinical use"
    )

    class Meta:
        ordering = ["name", "strength"]

    def __str__(self):
        return f"{self.name} {self.strength}".strip()


class PrescribedBy(models.TextChoices):
    TRUST = "trust", "The Trust"
    GP = "gp", "The GP"


class Medicine(models.Model):
    """A current or past medicine of the person. Stopped with a date and a reason, never deleted."""

    person = models.ForeignKey("patients.Person", on_delete=models.PROTECT, related_name="medicines")
    reference = models.ForeignKey(
        MedicineReference, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    name = models.CharField(max_length=200)
    form = models.CharField(max_length=100, blank=True)
    strength = models.CharField(max_length=100, blank=True)
    dose = models.DecimalField(max_digits=9, decimal_places=3)
    dose_unit = models.CharField(max_length=30)
    route = models.CharField(max_length=50)
    frequency = models.CharField(max_length=100)
    started_on = models.DateField()
    stopped_on = models.DateField(null=True, blank=True)
    reason_stopped = models.TextField(blank=True)
    prescriber = models.CharField(max_length=200)
    prescribed_by = models.CharField(max_length=10, choices=PrescribedBy.choices)
    is_antipsychotic = models.BooleanField(default=False)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-started_on", "name", "pk"]
        indexes = [models.Index(fields=["person", "stopped_on"])]

    def __str__(self):
        return f"Medicine {self.pk} for person {self.person_id}"

    def is_current(self, today: date | None = None) -> bool:
        return self.stopped_on is None or self.stopped_on > (today or timezone.localdate())

    @property
    def dose_text(self):
        return f"{_number(self.dose)} {self.dose_unit}"


def number_text(value: Decimal | None) -> str:
    """100.000 -> "100", 2.500 -> "2.5" (never "1E+2")."""
    return _number(value)


def _number(value: Decimal | None) -> str:
    if value is None:
        return ""
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


class Severity(models.TextChoices):
    MILD = "mild", "Mild"
    MODERATE = "moderate", "Moderate"
    SEVERE = "severe", "Severe"
    UNKNOWN = "unknown", "Not known"


class AllergyKind(models.TextChoices):
    ALLERGY = "allergy", "Allergy"
    ADVERSE_REACTION = "adverse_reaction", "Adverse reaction"
    NO_KNOWN_ALLERGIES = "none_known", "No known allergies"


class Allergy(models.Model):
    """An allergy or adverse reaction, or the explicit statement "No known allergies"."""

    person = models.ForeignKey("patients.Person", on_delete=models.PROTECT, related_name="allergies")
    kind = models.CharField(max_length=20, choices=AllergyKind.choices)
    substance = models.CharField(max_length=200, blank=True)
    reaction = models.CharField(max_length=300, blank=True)
    severity = models.CharField(max_length=10, choices=Severity.choices, blank=True)
    recorded_on = models.DateField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    entered_in_error_at = models.DateTimeField(null=True, blank=True)
    entered_in_error_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    entered_in_error_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-recorded_on", "-pk"]
        indexes = [models.Index(fields=["person", "entered_in_error_at"])]

    def __str__(self):
        return f"Allergy {self.pk} for person {self.person_id}"

    @property
    def is_current(self):
        return self.entered_in_error_at is None


class Side(models.TextChoices):
    LEFT = "left", "Left"
    RIGHT = "right", "Right"


class InjectionSite(models.TextChoices):
    DELTOID = "deltoid", "Deltoid"
    DORSOGLUTEAL = "dorsogluteal", "Dorsogluteal"
    VENTROGLUTEAL = "ventrogluteal", "Ventrogluteal"
    VASTUS_LATERALIS = "vastus_lateralis", "Vastus lateralis"


# The rotation the suggestion follows: each site on the left, then the right, in this order.
ROTATION = [(site, side) for site in InjectionSite.values for side in Side.values]


class DepotPrescription(models.Model):
    """A long-acting injection: what, how much, how often, and which team's clinic gives it."""

    person = models.ForeignKey("patients.Person", on_delete=models.PROTECT, related_name="depots")
    team = models.ForeignKey("accounts.Team", on_delete=models.PROTECT, related_name="depots")
    reference = models.ForeignKey(
        MedicineReference, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    drug = models.CharField(max_length=200)
    dose = models.DecimalField(max_digits=9, decimal_places=3)
    dose_unit = models.CharField(max_length=30)
    interval_days = models.PositiveIntegerField()
    tolerance_days = models.PositiveIntegerField(
        default=3, help_text="How many days either side of the due date the dose may be given"
    )
    route = models.CharField(max_length=50, default="Intramuscular")
    started_on = models.DateField()
    stopped_on = models.DateField(null=True, blank=True)
    reason_stopped = models.TextField(blank=True)
    prescriber = models.CharField(max_length=200)
    post_injection_observation_minutes = models.PositiveIntegerField(default=0)
    nurse = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="Given by (clinic nurse)",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The nurse who gives the injection: it is in their My diary on the days it is due",
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-started_on", "pk"]
        indexes = [models.Index(fields=["team", "stopped_on"]), models.Index(fields=["nurse", "stopped_on"])]

    def __str__(self):
        return f"Depot {self.pk} for person {self.person_id}"

    @property
    def dose_text(self):
        return f"{_number(self.dose)} {self.dose_unit}"

    @property
    def needs_observation(self):
        return self.post_injection_observation_minutes > 0

    def is_current(self, today: date | None = None) -> bool:
        return self.stopped_on is None or self.stopped_on > (today or timezone.localdate())


class Outcome(models.TextChoices):
    GIVEN = "given", "Given"
    MISSED = "missed", "Missed (not seen)"
    REFUSED = "refused", "Refused"


class DepotAdministrationQuerySet(models.QuerySet):
    def current(self):
        return self.filter(correction__isnull=True)


class DepotAdministration(models.Model):
    """One dose given, missed or refused. Written once, never changed (service and trigger); a
    mistake is corrected by an `AdministrationEnteredInError` row."""

    prescription = models.ForeignKey(
        DepotPrescription, on_delete=models.PROTECT, related_name="administrations"
    )
    person = models.ForeignKey("patients.Person", on_delete=models.PROTECT, related_name="+")
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    at = models.DateTimeField("Date and time")
    dose = models.DecimalField(max_digits=9, decimal_places=3, null=True, blank=True)
    dose_unit = models.CharField(max_length=30, blank=True)
    site = models.CharField(max_length=20, choices=InjectionSite.choices, blank=True)
    side = models.CharField(max_length=10, choices=Side.choices, blank=True)
    batch_number = models.CharField(max_length=50, blank=True)
    batch_expiry = models.DateField(null=True, blank=True)
    consent = models.BooleanField(default=False)
    side_effects = models.TextField("Side-effect check", blank=True)
    observation_ends_at = models.DateTimeField(null=True, blank=True)
    follow_up = models.TextField("Follow-up", blank=True)
    given_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    objects = DepotAdministrationQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["prescription", "at"])]

    def __str__(self):
        return f"Administration {self.pk} for person {self.person_id}"

    @property
    def entered_in_error(self):
        """The entered-in-error record, or None (select_related("correction") to avoid a query)."""
        return getattr(self, "correction", None)

    @property
    def dose_text(self):
        return f"{_number(self.dose)} {self.dose_unit}" if self.dose is not None else ""


class AdministrationEnteredInError(models.Model):
    administration = models.OneToOneField(
        DepotAdministration, on_delete=models.PROTECT, related_name="correction"
    )
    reason = models.TextField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"Entered in error: administration {self.administration_id}"


# --- Physical health ---


class Element(models.TextChoices):
    """What a physical health check measures: the six core checks first, then the usual extras."""

    ALCOHOL = "alcohol", "Alcohol (units a week)"
    SMOKING = "smoking", "Smoking status"
    WEIGHT = "weight", "Weight (kg)"
    HEIGHT = "height", "Height (cm)"
    BMI = "bmi", "BMI"
    BLOOD_PRESSURE = "blood_pressure", "Blood pressure (mmHg)"
    HBA1C = "hba1c", "HbA1c (mmol/mol)"
    FASTING_GLUCOSE = "fasting_glucose", "Fasting glucose (mmol/L)"
    TOTAL_CHOLESTEROL = "total_cholesterol", "Total cholesterol (mmol/L)"
    WAIST = "waist", "Waist (cm)"
    PULSE = "pulse", "Pulse (beats a minute)"
    QRISK = "qrisk", "QRISK (%)"
    ECG = "ecg", "ECG"


# The six core checks, each met by any of its elements.
CORE_CHECKS = {
    "alcohol": (Element.ALCOHOL,),
    "smoking": (Element.SMOKING,),
    "bmi": (Element.BMI,),
    "blood_pressure": (Element.BLOOD_PRESSURE,),
    "glucose": (Element.HBA1C, Element.FASTING_GLUCOSE),
    "lipids": (Element.TOTAL_CHOLESTEROL,),
}


class Source(models.TextChoices):
    HERE = "here", "Measured here"
    GP = "gp", "From the GP"
    HOSPITAL = "hospital", "From a hospital"


class SmokingStatus(models.TextChoices):
    NEVER = "never", "Never smoked"
    EX = "ex", "Ex-smoker"
    SMOKER = "smoker", "Smokes"
    VAPES = "vapes", "Vapes only"


class PhysicalHealthCheckQuerySet(models.QuerySet):
    def current(self):
        return self.filter(correction__isnull=True)


class PhysicalHealthCheck(models.Model):
    """A physical health check, recorded complete and then read-only (service and trigger)."""

    person = models.ForeignKey("patients.Person", on_delete=models.PROTECT, related_name="health_checks")
    checked_on = models.DateField()
    south_asian_or_chinese = models.BooleanField(default=False, help_text="Uses the lower BMI threshold (23)")
    comments = models.TextField(blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    objects = PhysicalHealthCheckQuerySet.as_manager()

    class Meta:
        ordering = ["-checked_on", "-pk"]
        indexes = [models.Index(fields=["person", "checked_on"])]

    def __str__(self):
        return f"Physical health check {self.pk} for person {self.person_id}"

    @property
    def entered_in_error(self):
        """The entered-in-error record, or None (select_related("correction") to avoid a query)."""
        return getattr(self, "correction", None)


class Measurement(models.Model):
    """One value of a check, with its own date and where it came from. Never changed."""

    check_record = models.ForeignKey(
        PhysicalHealthCheck, on_delete=models.PROTECT, related_name="measurements"
    )
    person = models.ForeignKey("patients.Person", on_delete=models.PROTECT, related_name="+")
    element = models.CharField(max_length=20, choices=Element.choices)
    value = models.DecimalField(max_digits=7, decimal_places=2, null=True, blank=True)
    value_2 = models.DecimalField(max_digits=7, decimal_places=2, null=True, blank=True)  # diastolic
    text = models.CharField(max_length=200, blank=True)  # smoking status, ECG finding
    measured_on = models.DateField()
    source = models.CharField(max_length=10, choices=Source.choices)

    class Meta:
        ordering = ["measured_on", "pk"]
        indexes = [models.Index(fields=["person", "element", "measured_on"])]

    def __str__(self):
        return f"{self.element} for person {self.person_id}"

    @property
    def display(self):
        if self.element == Element.BLOOD_PRESSURE:
            return f"{_number(self.value)}/{_number(self.value_2)}"
        if self.element == Element.SMOKING:
            return SmokingStatus(self.text).label if self.text in SmokingStatus.values else self.text
        if self.value is not None:
            return _number(self.value)
        return self.text


class CheckEnteredInError(models.Model):
    check_record = models.OneToOneField(
        PhysicalHealthCheck, on_delete=models.PROTECT, related_name="correction"
    )
    reason = models.TextField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"Entered in error: check {self.check_record_id}"


class HealthFlag(models.Model):
    """A result in the red zone of the Lester resource, raised when the check was recorded."""

    check_record = models.ForeignKey(PhysicalHealthCheck, on_delete=models.PROTECT, related_name="flags")
    person = models.ForeignKey("patients.Person", on_delete=models.PROTECT, related_name="+")
    element = models.CharField(max_length=20, choices=Element.choices)
    reason = models.CharField(max_length=300)

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return f"Flag {self.pk} for person {self.person_id}"


class Intervention(models.TextChoices):
    STOP_SMOKING = "stop_smoking", "Referred to stop smoking service"
    WEIGHT = "weight_management", "Referred to weight management"
    GP = "gp", "Referred to the GP"
    DIABETES = "diabetes", "Referred to diabetes care"
    MEDICATION_REVIEW = "medication_review", "Medication review"
    LIFESTYLE = "lifestyle", "Lifestyle advice given"
    DECLINED = "declined", "Offered and declined"
    OTHER = "other", "Other"


class FlagAction(models.Model):
    """What was done about a flag ("don't just screen, intervene"). Appended, never changed."""

    flag = models.ForeignKey(HealthFlag, on_delete=models.PROTECT, related_name="actions")
    intervention = models.CharField(max_length=30, choices=Intervention.choices)
    detail = models.TextField(blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"Action {self.pk} on flag {self.flag_id}"


class Topic(models.TextChoices):
    SMOKING = "smoking", "Smoking"
    ALCOHOL = "alcohol", "Alcohol"
    PHYSICAL_ACTIVITY = "physical_activity", "Physical activity"
    DIET = "diet", "Diet"
    SEXUAL_HEALTH = "sexual_health", "Sexual health"


class BriefInterventionQuerySet(models.QuerySet):
    def current(self):
        return self.filter(correction__isnull=True)


class BriefIntervention(models.Model):
    """Health promotion (making every contact count): a brief intervention and any referral,
    recorded on its own or while recording the contact it was given at. Read-only (trigger);
    corrected by `BriefInterventionEnteredInError`."""

    person = models.ForeignKey("patients.Person", on_delete=models.PROTECT, related_name="+")
    topic = models.CharField(max_length=20, choices=Topic.choices)
    given_on = models.DateField()
    discussed = models.TextField("What was discussed")
    referral = models.CharField("Referral made", max_length=300, blank=True)
    contact = models.ForeignKey(
        "contacts.Contact", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    objects = BriefInterventionQuerySet.as_manager()

    class Meta:
        ordering = ["-given_on", "-pk"]

    def __str__(self):
        return f"Brief intervention {self.pk} for person {self.person_id}"

    @property
    def entered_in_error(self):
        try:
            return self.correction
        except BriefInterventionEnteredInError.DoesNotExist:
            return None


class BriefInterventionEnteredInError(models.Model):
    intervention = models.OneToOneField(
        BriefIntervention, on_delete=models.PROTECT, related_name="correction"
    )
    reason = models.TextField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"Entered in error: brief intervention {self.intervention_id}"


def next_due_after(last: date, interval_days: int) -> date:
    return last + timedelta(days=interval_days)
