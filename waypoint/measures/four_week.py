"""NHS England's 4-week clock for many referrals at once: each part done (with its date) or still
to do, the stop, and spells of overlapping referrals. A fixed number of queries however many
referrals: one for the people's other referrals (spells), one for measures, one for care plans.

The clock stops at the LATEST of four parts, once all four are recorded (domain.md section 7;
`referrals/clock.py` times one referral on its own):
1. first attended contact;
2. first (baseline) outcome measure: a current, scored measure completed on or after the start;
3. first coded assessment;
4. first agreed care plan with one of the spell's teams, on or after the start.
Measures and care plans count from the start of the day they were done (dates, not times).

**Spells.** NHS England's published code (menh_bbrb, 4-week waits) joins a person's overlapping
referrals into one spell: a referral received while an earlier one is still open (not closed)
belongs to that earlier referral's spell. The spell's clock starts when its first referral was
received, and a part done under any referral of the spell counts for all of them. Referrals that
were rejected, signposted or passed on start no spell and join none. Written from the description
in domain.md section 7 and the issue; PARTIAL: "a coded intervention" as an alternative to an
agreed care plan is not recorded in Waypoint yet.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from waypoint.referrals.models import Referral, Status

FOUR_WEEKS = timedelta(days=28)
NOT_CARE = (Status.REJECTED, Status.SIGNPOSTED, Status.PASSED_ON)
PARTS = (
    ("attended_contact", "First attended contact"),
    ("outcome_measure", "First baseline outcome measure"),
    ("coded_assessment", "First coded assessment"),
    ("agreed_care_plan", "First agreed care plan"),
)


@dataclass(frozen=True)
class Part:
    key: str
    label: str
    done_at: datetime | None


@dataclass
class FourWeekClock:
    referral: Referral
    spell: list[Referral]  # the referrals of its spell, oldest first (just this one if none overlap)
    parts: list[Part] = field(default_factory=list)

    @property
    def starts_at(self) -> datetime:
        return self.spell[0].received_at

    @property
    def in_a_spell(self) -> bool:
        return len(self.spell) > 1

    @property
    def done(self) -> list[Part]:
        return [p for p in self.parts if p.done_at is not None]

    @property
    def remaining(self) -> list[Part]:
        return [p for p in self.parts if p.done_at is None]

    @property
    def stopped_at(self) -> datetime | None:
        return max(p.done_at for p in self.parts) if not self.remaining else None

    @property
    def due_at(self) -> datetime:
        return self.starts_at + FOUR_WEEKS

    @property
    def days_to_stop(self) -> int | None:
        stopped = self.stopped_at
        if stopped is None:
            return None
        return (timezone.localtime(stopped).date() - timezone.localtime(self.starts_at).date()).days

    @property
    def within_four_weeks(self) -> bool | None:
        days = self.days_to_stop
        return None if days is None else days <= FOUR_WEEKS.days


def _day(moment: datetime) -> date:
    return timezone.localtime(moment).date()


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def spells_of(referrals: list[Referral]) -> dict[int, list[Referral]]:
    """referral pk -> the referrals of its spell, oldest first. One query."""
    person_ids = sorted({r.person_id for r in referrals})
    if not person_ids:
        return {}
    everyone = list(
        Referral.objects.filter(person_id__in=person_ids)
        .exclude(status__in=NOT_CARE)
        .only(
            "pk",
            "person_id",
            "team_id",
            "received_at",
            "closed_at",
            "first_contact_attended_at",
            "first_assessment_at",
        )
        .order_by("person_id", "received_at", "pk")
    )
    by_person: dict[int, list[list[Referral]]] = defaultdict(list)
    for referral in everyone:
        groups = by_person[referral.person_id]
        if groups:
            open_until = [r.closed_at for r in groups[-1]]
            still_open = any(end is None or end >= referral.received_at for end in open_until)
            if still_open:
                groups[-1].append(referral)
                continue
        groups.append([referral])
    found = {}
    for groups in by_person.values():
        for group in groups:
            for member in group:
                found[member.pk] = group
    # A referral that starts no spell (rejected, say) is timed on its own.
    for referral in referrals:
        found.setdefault(referral.pk, [referral])
    return found


def clocks_for(referrals) -> dict[int, FourWeekClock]:
    """referral pk -> its 4-week clock. Three queries, however many referrals."""
    from waypoint.plans.models import PlanKind, PlanRevision

    from .models import Measure

    referrals = list(referrals)
    spells = spells_of(referrals)
    if not referrals:
        return {}
    person_ids = sorted({r.person_id for r in referrals})
    earliest = min(_day(spell[0].received_at) for spell in spells.values())
    measure_days: dict[int, list[date]] = defaultdict(list)
    for person_id, day in (
        Measure.objects.current()
        .filter(person_id__in=person_ids, total__isnull=False, completed_on__gte=earliest)
        .order_by("completed_on")
        .values_list("person_id", "completed_on")
    ):
        measure_days[person_id].append(day)
    plan_days: dict[tuple[int, int], list[date]] = defaultdict(list)
    for person_id, team_id, day in (
        PlanRevision.objects.filter(
            plan__person_id__in=person_ids,
            plan__kind=PlanKind.CARE,
            agreed_on__isnull=False,
            agreed_on__gte=earliest,
        )
        .order_by("agreed_on")
        .values_list("plan__person_id", "plan__team_id", "agreed_on")
    ):
        plan_days[(person_id, team_id)].append(day)

    clocks = {}
    for referral in referrals:
        spell = spells[referral.pk]
        start = _day(spell[0].received_at)
        contacts = [r.first_contact_attended_at for r in spell if r.first_contact_attended_at]
        assessments = [r.first_assessment_at for r in spell if r.first_assessment_at]
        measure = next((d for d in measure_days.get(referral.person_id, ()) if d >= start), None)
        plans = [
            d
            for team_id in {r.team_id for r in spell}
            for d in plan_days.get((referral.person_id, team_id), ())
            if d >= start
        ]
        done = {
            "attended_contact": min(contacts) if contacts else None,
            "outcome_measure": _start_of(measure) if measure else None,
            "coded_assessment": min(assessments) if assessments else None,
            "agreed_care_plan": _start_of(min(plans)) if plans else None,
        }
        clocks[referral.pk] = FourWeekClock(
            referral, spell, [Part(key, label, done[key]) for key, label in PARTS]
        )
    return clocks


def clock_for(referral) -> FourWeekClock:
    return clocks_for([referral])[referral.pk]


@dataclass(frozen=True)
class TeamFigures:
    referrals: int
    stopped: int
    within_four_weeks: int
    median_days: float | None
    part_counts: list[tuple[str, int]]  # each part: how many referrals have it done

    @property
    def share_within(self) -> str:
        return f"{round(100 * self.within_four_weeks / self.referrals)}%" if self.referrals else "–"


def team_figures(clocks: list[FourWeekClock]) -> TeamFigures:
    days = sorted(c.days_to_stop for c in clocks if c.days_to_stop is not None)
    median = None
    if days:
        middle = len(days) // 2
        median = float(days[middle]) if len(days) % 2 else (days[middle - 1] + days[middle]) / 2
    return TeamFigures(
        referrals=len(clocks),
        stopped=len(days),
        within_four_weeks=sum(1 for c in clocks if c.within_four_weeks),
        median_days=median,
        part_counts=[
            (label, sum(1 for c in clocks if c.parts[i].done_at)) for i, (_, label) in enumerate(PARTS)
        ],
    )


def measured_by(due):
    """For the reports' 4-week figures (reports/registry.py `ClockStopPart`): a current, scored
    measure completed on or after the referral's receipt and by the due date, as a Q on Referral.
    (Per referral, as the report counts; the pages above also join spells.)"""
    from django.db.models import DateField, DateTimeField, Exists, ExpressionWrapper, OuterRef, Q
    from django.db.models.functions import Cast

    from .models import Measure

    due_day = Cast(ExpressionWrapper(OuterRef("received_at") + FOUR_WEEKS, DateTimeField()), DateField())
    done = (
        Measure.objects.current()
        .filter(
            person_id=OuterRef("person_id"),
            total__isnull=False,
            completed_on__gte=Cast(OuterRef("received_at"), DateField()),
        )
        .filter(completed_on__lte=due_day)
    )
    return Q(Exists(done))
