"""Team meetings: the weekly MDT meeting and reflective practice sessions.

An MDT meeting has a date, a chair, attendees from the team and guests. Its agenda is built from
what is already in Waypoint (selectors.agenda_for) plus people added by any team member with a
reason (`AgendaAddition`). Each person discussed gets a `Discussion`: the discussion, decisions
and actions, saved in the same step as a signed MDT note in the person's record (signed by the
chair), as delegated tasks and as an allocation (care coordinator or assessing worker). A reflective practice session holds no person's details at all.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone


class MeetingKind(models.TextChoices):
    MDT = "mdt", "MDT meeting"
    REFLECTIVE = "reflective", "Reflective practice session"


class Meeting(models.Model):
    team = models.ForeignKey("accounts.Team", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(
        "Type of meeting", max_length=20, choices=MeetingKind.choices, default=MeetingKind.MDT
    )
    held_on = models.DateField("Date")
    starts_at = models.TimeField("Start time", null=True, blank=True)
    chair = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    attendees = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")
    guests = models.TextField("Guests", blank=True, help_text="Name and role, one a line")
    topic = models.CharField("Topic", max_length=200, blank=True)
    notes = models.TextField("Notes", blank=True)
    planned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    planned_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["team", "held_on"])]

    def __str__(self):
        return f"{self.get_kind_display()} {self.held_on}"

    @property
    def is_reflective(self) -> bool:
        return self.kind == MeetingKind.REFLECTIVE


class AgendaAddition(models.Model):
    """A person a team member asked to discuss, with the reason."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="additions")
    person = models.ForeignKey("patients.Person", on_delete=models.PROTECT, related_name="+")
    reason = models.TextField("Why discuss them")
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["added_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "person"], name="meeting_person_added_once")
        ]

    def __str__(self):
        return f"Person {self.person_id} on the agenda of meeting {self.meeting_id}"


class Discussion(models.Model):
    """What the MDT said about one person. Never changed: the MDT note carries any addenda."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="discussions")
    person = models.ForeignKey("patients.Person", on_delete=models.PROTECT, related_name="mdt_discussions")
    discussion = models.TextField("Discussion")
    decisions = models.TextField("Decisions")
    note = models.OneToOneField("notes.Note", on_delete=models.PROTECT, related_name="+")
    tasks = models.ManyToManyField("tasks.Task", blank=True, related_name="+")
    # An allocation decided at the meeting (a care coordinator, or an assessing worker such as the
    # team's psychologist), made by episodes.services in the same step.
    allocations = models.ManyToManyField("episodes.Allocation", blank=True, related_name="+")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["recorded_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "person"], name="meeting_person_discussed_once")
        ]

    def __str__(self):
        return f"Discussion of person {self.person_id} at meeting {self.meeting_id}"
