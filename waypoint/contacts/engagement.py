"""Engagement monitoring: for many people at once, with a fixed number of queries.

For each person: the expected contact frequency (set for them, or their team's default), days
since the last attended face-to-face contact and NHS England's time-since-last-contact band, the
number of missed contacts in a row (did not attend or cancelled by the person, counting back from
the latest until an attended contact; cancellations by the service neither count nor break the
run), and, when the person is disengaged, the next step of the team's disengagement procedure.

A person is **disengaged** when the expected interval since the last attended face-to-face
contact has passed, or when the last 2 or more contacts were missed. Steps taken count towards
the current spell of disengagement when they were taken after the last attended contact; an
attended contact ends the spell, and the next one starts again at step 1.

Nothing here is a risk score: it counts days and contacts and names the next action.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.db.models import Count, F, Max, OuterRef, Q, Subquery
from django.utils import timezone

from waypoint.accounts.models import TeamType
from waypoint.core.memo import per_request
from waypoint.patients.models import TeamRegistration

from .models import (
    MISSED,
    Attendance,
    Contact,
    ContactFrequency,
    DisengagementStep,
    DisengagementStepTaken,
    Mechanism,
)

# The default procedure for a team that has not set its own (admin: Disengagement steps).
DEFAULT_STEPS = (
    (1, "Phone the person"),
    (2, "Visit at home"),
    (3, "Contact carer or GP"),
    (4, "Discuss at MDT"),
)
# Expected days between face-to-face contacts when none is set for the person, by team type.
DEFAULT_EVERY_DAYS = {TeamType.ASSERTIVE_OUTREACH: 7}
FALLBACK_EVERY_DAYS = 28
MISSED_IN_A_ROW_ALERT = 2

FREQUENCY_CHOICES = [
    (7, "Weekly"),
    (14, "Every 2 weeks"),
    (28, "Every 4 weeks"),
    (56, "Every 8 weeks"),
    (91, "Every 3 months"),
]

# NHS England's time since last contact bands (days).
BANDS = (
    (0, 6, "0 to 6 days"),
    (7, 13, "7 to 13 days"),
    (14, 27, "14 to 27 days"),
    (28, None, "28 days or more"),
)


def band_for(days: int | None) -> str:
    if days is None:
        return "No face-to-face contact recorded"
    for low, high, label in BANDS:
        if days >= low and (high is None or days <= high):
            return label
    return BANDS[0][2]  # a contact dated in the future (should not happen)


def default_every_days(team_type: str) -> int:
    defaults = getattr(settings, "WAYPOINT_CONTACT_FREQUENCY_DEFAULTS", None) or DEFAULT_EVERY_DAYS
    return defaults.get(team_type, FALLBACK_EVERY_DAYS)


def frequency_label(days: int) -> str:
    return dict(FREQUENCY_CHOICES).get(days, f"Every {days} days")


@dataclass(frozen=True)
class Step:
    number: int
    title: str


@dataclass
class Engagement:
    person_id: int
    today: date
    team_id: int | None = None
    team_name: str = ""
    every_days: int = FALLBACK_EVERY_DAYS
    frequency_set: bool = False  # False: the team's default applies
    last_face_to_face: date | None = None
    last_attended: date | None = None
    missed_in_a_row: int = 0
    procedure: list[Step] = field(default_factory=list)
    steps_taken: list = field(default_factory=list)  # this spell, oldest first

    @property
    def days_since_face_to_face(self) -> int | None:
        return (self.today - self.last_face_to_face).days if self.last_face_to_face else None

    @property
    def band(self) -> str:
        return band_for(self.days_since_face_to_face)

    @property
    def frequency_label(self) -> str:
        return frequency_label(self.every_days)

    @property
    def interval_passed(self) -> bool:
        days = self.days_since_face_to_face
        return days is not None and days > self.every_days

    @property
    def disengaged(self) -> bool:
        return self.interval_passed or self.missed_in_a_row >= MISSED_IN_A_ROW_ALERT

    @property
    def reasons(self) -> list[str]:
        found = []
        if self.interval_passed:
            found.append(
                f"No face-to-face contact for {self.days_since_face_to_face} days "
                f"(expected {self.frequency_label.lower()})"
            )
        if self.missed_in_a_row >= MISSED_IN_A_ROW_ALERT:
            found.append(f"{self.missed_in_a_row} missed contacts in a row")
        return found

    @property
    def next_step(self) -> Step | None:
        if not self.disengaged:
            return None
        taken = {step.step_number for step in self.steps_taken}
        for step in self.procedure:
            if step.number not in taken:
                return step
        return None

    @property
    def all_steps_taken(self) -> bool:
        return self.disengaged and self.next_step is None


def procedure_for_teams(team_ids) -> dict[int, list[Step]]:
    """Each team's steps in order (one query); teams with none get the default steps."""
    team_ids = set(team_ids)
    found = defaultdict(list)
    for step in DisengagementStep.objects.filter(team_id__in=team_ids).order_by("team_id", "number"):
        found[step.team_id].append(Step(step.number, step.title))
    default = [Step(number, title) for number, title in DEFAULT_STEPS]
    return {team_id: found.get(team_id) or default for team_id in team_ids} | {None: default}


@per_request
def engagement_for(person_ids, today: date | None = None) -> dict[int, Engagement]:
    """Engagement for every person in `person_ids`, in 5 queries however many there are."""
    today = today or timezone.localdate()
    ids = sorted({pk for pk in person_ids if pk is not None})
    if not ids:
        return {}
    result = {pk: Engagement(person_id=pk, today=today) for pk in ids}
    attended = Q(attendance=Attendance.ATTENDED)

    # 1. One aggregate per person: the last attended (face-to-face and any) contact, and the
    # missed contacts since the last attended one (a correlated subquery inside the count's filter).
    last_attended_at = (
        Contact.objects.current()
        .filter(person_id=OuterRef("person_id"), attendance=Attendance.ATTENDED)
        .order_by("-occurred_at")
        .values("occurred_at")[:1]
    )
    missed_since = Q(attendance__in=MISSED) & (Q(after__isnull=True) | Q(occurred_at__gt=F("after")))
    for row in (
        Contact.objects.current()
        .filter(person_id__in=ids)
        .annotate(after=Subquery(last_attended_at))
        .values("person_id")
        .annotate(
            last_f2f=Max("date", filter=attended & Q(mechanism=Mechanism.FACE_TO_FACE)),
            last_attended=Max("date", filter=attended),
            missed=Count("pk", filter=missed_since),
        )
    ):
        one = result[row["person_id"]]
        one.last_face_to_face = row["last_f2f"]
        one.last_attended = row["last_attended"]
        one.missed_in_a_row = row["missed"]

    # 2. The latest frequency set for each person.
    frequencies = {}
    for row in (
        ContactFrequency.objects.filter(person_id__in=ids)
        .order_by("person_id", "-set_at", "-pk")
        .values("person_id", "every_days", "team_id", "team__name")
    ):
        frequencies.setdefault(row["person_id"], row)

    # 3. The teams whose books the person is on, for the default frequency and the procedure.
    registrations = defaultdict(list)
    for row in (
        TeamRegistration.objects.current(today)
        .filter(person_id__in=ids)
        .values("person_id", "team_id", "team__name", "team__team_type")
        .order_by("team__name")
    ):
        registrations[row["person_id"]].append(row)

    for pk, one in result.items():
        chosen = frequencies.get(pk)
        if chosen:
            one.every_days, one.frequency_set = chosen["every_days"], True
            one.team_id, one.team_name = chosen["team_id"], chosen["team__name"]
        elif registrations[pk]:
            row = min(registrations[pk], key=lambda r: default_every_days(r["team__team_type"]))
            one.every_days = default_every_days(row["team__team_type"])
            one.team_id, one.team_name = row["team_id"], row["team__name"]

    # 4. The procedure of each person's team.
    procedures = procedure_for_teams(one.team_id for one in result.values() if one.team_id)
    for one in result.values():
        one.procedure = procedures[one.team_id]

    # 5. Steps taken since the last attended contact.
    for taken in DisengagementStepTaken.objects.filter(person_id__in=ids).order_by("taken_on", "pk"):
        one = result[taken.person_id]
        if one.last_attended is None or taken.taken_on > one.last_attended:
            one.steps_taken.append(taken)
    return result
