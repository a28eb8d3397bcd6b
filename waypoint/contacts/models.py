"""The diary, care contacts (MHSDS MHS201), indirect activity (MHS204) and engagement monitoring.

Contacts are records: they are never deleted or changed. A correction is a new contact that
points at the one it corrects (`corrects`); a mistaken entry is marked "entered in error" with a
reason and kept. Only `is_current` contacts count for engagement.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class Mechanism(models.TextChoices):  # MHSDS ConsMechanismMH (the codes a CMHT uses)
    FACE_TO_FACE = "01", "Face to face"
    TELEPHONE = "02", "Telephone"
    VIDEO = "11", "Video"
    TEXT = "09", "Text message"


class LocationType(models.TextChoices):  # MHSDS ActLocTypeCode, grouped as a CMHT uses it
    HOME = "home", "Person's home"
    CLINIC = "clinic", "Clinic or team base"
    OTHER = "other", "Other place"


class Attendance(models.TextChoices):  # MHSDS AttendOrDNACode
    ATTENDED = "5", "Attended"
    DID_NOT_ATTEND = "3", "Did not attend"
    CANCELLED_BY_PERSON = "2", "Cancelled by the person"
    CANCELLED_BY_SERVICE = "4", "Cancelled by the service"


# Missed contacts for engagement: the person did not come, or called it off.
MISSED = (Attendance.DID_NOT_ATTEND, Attendance.CANCELLED_BY_PERSON)

# A contact that would fail MHSDS validation (reports/quality.py): an attendance or medium code
# that is not valid, or attended with no duration. One Q for the data quality check and the
# small partial index that finds those few contacts without reading the others.
FAILS_MHSDS = (
    ~Q(attendance__in=Attendance.values)
    | ~Q(mechanism__in=Mechanism.values)
    | (Q(attendance=Attendance.ATTENDED) & (Q(duration_minutes__isnull=True) | Q(duration_minutes=0)))
)


class Activity(models.TextChoices):
    ASSESSMENT = "assessment", "Assessment"
    CARE_COORDINATION = "care_coordination", "Care coordination"
    DEPOT_MEDICATION = "depot_medication", "Depot or medication"
    PSYCHOLOGICAL = "psychological", "Psychological intervention"
    PHYSICAL_HEALTH = "physical_health", "Physical health check"
    SOCIAL_SUPPORT = "social_support", "Social support"
    CARER_SUPPORT = "carer_support", "Carer support"
    OTHER = "other", "Other"


class AppointmentQuerySet(models.QuerySet):
    def for_staff(self, user):
        return self.filter(staff=user)

    def between(self, first, last):
        return self.filter(date__gte=first, date__lte=last)


class Appointment(models.Model):
    """A planned contact: who is seeing the person, when, where and how."""

    person = models.ForeignKey("patients.Person", on_delete=models.PROTECT, related_name="appointments")
    team = models.ForeignKey("accounts.Team", on_delete=models.PROTECT, related_name="appointments")
    date = models.DateField()
    start_time = models.TimeField()
    expected_minutes = models.PositiveSmallIntegerField("Expected length (minutes)")
    staff = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="appointments")
    location_type = models.CharField(max_length=10, choices=LocationType.choices)
    mechanism = models.CharField(max_length=2, choices=Mechanism.choices)
    purpose = models.CharField(max_length=200)
    booked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    booked_at = models.DateTimeField(default=timezone.now)

    objects = AppointmentQuerySet.as_manager()

    class Meta:
        ordering = ["date", "start_time"]
        indexes = [
            models.Index(fields=["team", "date"]),
            models.Index(fields=["person", "date"]),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(mechanism__in=Mechanism.values), name="appointment_mechanism"),
            models.CheckConstraint(
                condition=Q(location_type__in=LocationType.values), name="appointment_location_type"
            ),
        ]

    def __str__(self):
        return f"Appointment {self.pk} for person {self.person_id} on {self.date}"

    def current_contact(self):
        """The contact recorded for this appointment (uses the prefetched `contacts`)."""
        for contact in self.contacts.all():
            if contact.is_current:
                return contact
        return None


class ContactQuerySet(models.QuerySet):
    def current(self):
        return self.filter(is_current=True)

    def newest_first(self):
        return self.order_by("-occurred_at", "-pk")


class Contact(models.Model):
    """What happened (MHSDS MHS201 care contact), from an appointment or unplanned. Never changed."""

    person = models.ForeignKey("patients.Person", on_delete=models.PROTECT, related_name="contacts")
    team = models.ForeignKey("accounts.Team", on_delete=models.PROTECT, related_name="contacts")
    appointment = models.ForeignKey(
        Appointment, on_delete=models.PROTECT, null=True, blank=True, related_name="contacts"
    )
    date = models.DateField()
    occurred_at = models.DateTimeField(help_text="Date and start time, for ordering")
    attendance = models.CharField("What happened", max_length=1, choices=Attendance.choices)
    mechanism = models.CharField("How", max_length=2, choices=Mechanism.choices)
    location_type = models.CharField("Where", max_length=10, choices=LocationType.choices)
    duration_minutes = models.PositiveSmallIntegerField("Length (minutes)", null=True, blank=True)
    staff = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="contacts", blank=True)
    activities = models.JSONField(default=list, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    corrects = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="corrections"
    )
    correction_reason = models.TextField(blank=True)
    is_current = models.BooleanField(
        default=True, help_text="False once corrected by a later entry or marked entered in error"
    )
    entered_in_error_at = models.DateTimeField(null=True, blank=True)
    entered_in_error_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    entered_in_error_reason = models.TextField(blank=True)

    objects = ContactQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_at", "-pk"]
        indexes = [
            models.Index(fields=["person", "is_current", "occurred_at"]),
            # The reports (docs/reports.md "Speed"). Contacts per month: the current contacts of
            # the period, read from the index alone. Engagement: a person's last attended
            # (face-to-face) contact by date. Data quality: the contacts that fail validation.
            models.Index(
                fields=["date", "mechanism", "attendance", "team"],
                condition=Q(is_current=True),
                name="contact_current_by_date",
            ),
            models.Index(
                fields=["person", "attendance", "date"],
                condition=Q(is_current=True),
                name="contact_current_attendance",
            ),
            models.Index(fields=["date"], condition=FAILS_MHSDS, name="contact_fails_mhsds"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(attendance__in=Attendance.values), name="contact_attendance"),
            models.CheckConstraint(condition=Q(mechanism__in=Mechanism.values), name="contact_mechanism"),
            models.CheckConstraint(
                condition=Q(location_type__in=LocationType.values), name="contact_location_type"
            ),
        ]

    def __str__(self):
        return f"Contact {self.pk} for person {self.person_id} on {self.date}"

    @property
    def entered_in_error(self):
        return self.entered_in_error_at is not None

    def activity_labels(self):
        labels = dict(Activity.choices)
        return [labels.get(code, code) for code in self.activities]


class IndirectMethod(models.TextChoices):
    TELEPHONE = "telephone", "Telephone"
    EMAIL = "email", "Email"
    MEETING = "meeting", "Meeting"
    LETTER = "letter", "Letter"


class IndirectActivity(models.Model):
    """Work about the person with someone else (MHSDS MHS204): calls, emails, meetings with agencies."""

    person = models.ForeignKey(
        "patients.Person", on_delete=models.PROTECT, related_name="indirect_activities"
    )
    team = models.ForeignKey("accounts.Team", on_delete=models.PROTECT, related_name="+")
    date = models.DateField()
    contact_with = models.CharField("Who", max_length=120)
    organisation = models.CharField("Organisation", max_length=160)
    method = models.CharField("How", max_length=10, choices=IndirectMethod.choices)
    duration_minutes = models.PositiveSmallIntegerField("Length (minutes)")
    summary = models.TextField("Summary")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    entered_in_error_at = models.DateTimeField(null=True, blank=True)
    entered_in_error_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    entered_in_error_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name_plural = "indirect activities"

    def __str__(self):
        return f"Indirect activity {self.pk} for person {self.person_id}"

    @property
    def entered_in_error(self):
        return self.entered_in_error_at is not None


class ContactFrequency(models.Model):
    """How often the team expects to see the person. Each change is a new row; the latest applies."""

    person = models.ForeignKey(
        "patients.Person", on_delete=models.PROTECT, related_name="contact_frequencies"
    )
    team = models.ForeignKey("accounts.Team", on_delete=models.PROTECT, related_name="+")
    every_days = models.PositiveSmallIntegerField()
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    set_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-set_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(every_days__gte=1) & Q(every_days__lte=365), name="contact_frequency_1_to_365"
            )
        ]

    def __str__(self):
        return f"Every {self.every_days} days for person {self.person_id}"


class DisengagementStep(models.Model):
    """One step of a team's disengagement procedure, in order. Teams without steps use the defaults."""

    team = models.ForeignKey("accounts.Team", on_delete=models.PROTECT, related_name="disengagement_steps")
    number = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=120)

    class Meta:
        ordering = ["team", "number"]
        constraints = [
            models.UniqueConstraint(fields=["team", "number"], name="one_disengagement_step_per_number")
        ]

    def __str__(self):
        return f"{self.number}. {self.title}"


class DisengagementStepTaken(models.Model):
    """A step of the procedure taken for a person, with what came of it."""

    person = models.ForeignKey(
        "patients.Person", on_delete=models.PROTECT, related_name="disengagement_steps"
    )
    team = models.ForeignKey("accounts.Team", on_delete=models.PROTECT, related_name="+")
    step_number = models.PositiveSmallIntegerField()
    step_title = models.CharField(max_length=120, help_text="As the procedure named it when taken")
    taken_on = models.DateField()
    outcome = models.TextField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-taken_on", "-pk"]

    def __str__(self):
        return f"Step {self.step_number} for person {self.person_id} on {self.taken_on}"


class CodedIntervention(models.Model):
    """A coded psychological intervention delivered at a care contact (MHSDS MHS202 care activity,
    CodeProcAndProcStatus). The earlier of the first one and the first agreed care plan is part 4
    of NHS England's 4-week clock-stop. Never deleted: a mistaken entry is marked entered in error."""

    person = models.ForeignKey(
        "patients.Person", on_delete=models.PROTECT, related_name="coded_interventions"
    )
    team = models.ForeignKey("accounts.Team", on_delete=models.PROTECT, related_name="+")
    contact = models.ForeignKey(
        Contact, on_delete=models.PROTECT, null=True, blank=True, related_name="coded_interventions"
    )
    date = models.DateField("Date delivered")
    code = models.CharField("Intervention", max_length=18)  # SNOMED CT concept id (procedure)
    term = models.CharField(max_length=200)  # the term shown when it was recorded
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    entered_in_error_at = models.DateTimeField(null=True, blank=True)
    entered_in_error_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    entered_in_error_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-date", "-pk"]
        indexes = [models.Index(fields=["person", "date"])]

    def __str__(self):
        return f"Coded intervention {self.pk} for person {self.person_id}"

    @property
    def entered_in_error(self):
        return self.entered_in_error_at is not None
