"""NHS England's 4-week clock for many referrals at once: each part done (with its date) or still
to do, the stop, and spells of overlapping referrals. A fixed number of queries however many
referrals: one for the people's referrals (spells, with their ends and scope), one for measures,
one for care plans, one for coded interventions. The pages read it through `clocks_for`; the
service report through `report_spells`, the same calculation on lighter rows (the days worked
out in SQL, no model instances: docs/reports.md "Speed").

Written from NHS England's published code (`NHSDigital/mental-health-monthly-statistics`,
`menh_bbrb/notebooks/02_Specific_Prepare/02_4w_waits/4w_waits_prep.py`, adult community branch,
read at commit 7b4d742; docs/measures.md lists where Waypoint still differs).

The clock stops at the LATEST of four parts, once all four are recorded (domain.md section 7):
1. first attended contact;
2. first (baseline) outcome measure: a current, scored measure;
3. first coded assessment;
4. the EARLIER of: the first agreed care plan with one of the spell's teams, and the first coded
   intervention (contacts.CodedIntervention, not entered in error).
Every part counts by its date (NHS England compares dates, not times), between the spell's start
and its end, both days included. Measures, care plans and interventions count from the start of
the day they were done.

**Scope.** As NHS England: only referrals of people aged 18 or over on the day the referral was
received (whole years), to a core community mental health team type (ServTeamTypeRefToMH A05,
A06, A08, A09, A12, A13, A16, C03, C10; here CMHT, assertive outreach and complex
rehabilitation; early intervention and crisis teams are out). A referral out of scope joins no
spell; it is timed on its own and marked as not counted.

**Spells.** Each referral runs from the day it was received to its end: the day it was rejected,
signposted, passed on or closed, else the day the episode of care it led to was closed (the
discharge), else it is still open. A person's referrals join one spell when one is received on
or before the 5th day after the spell's latest end so far (NHS England adds 5 days' grace to each
end, so touching or nearly touching referrals join; rejected and passed-on referrals take part
too). The spell starts on its first referral's day and ends on its latest end (the grace days
are taken back off); a re-referral more than 5 days after the spell ended starts a new spell. A
part done under any referral of the spell counts for all of them.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import BooleanField, Exists, ExpressionWrapper, F, OuterRef, Q, Subquery
from django.db.models.functions import TruncDate
from django.utils import timezone

from waypoint.referrals.models import Referral

FOUR_WEEKS = timedelta(days=28)
GRACE = timedelta(days=5)  # NHS England: "allow up to 5 days between referrals"
ADULT = 18
# NHS England's core community mental health team types for the adult 4-week wait (C03 is read
# as C10 there).
TEAM_CODES_IN_SCOPE = frozenset({"A05", "A06", "A08", "A09", "A12", "A13", "A16", "C03", "C10"})
PARTS = (
    ("attended_contact", "First attended contact"),
    ("outcome_measure", "First baseline outcome measure"),
    ("coded_assessment", "First coded assessment"),
    ("agreed_care_plan", "First agreed care plan or coded intervention"),
)
NOT_COUNTED_AGE = "Not counted: NHS England's 4-week standard is for people aged 18 or over when referred"
NOT_COUNTED_TEAM = "Not counted: NHS England's 4-week standard is for core community mental health teams"


def team_types_in_scope() -> frozenset[str]:
    """Waypoint's team types whose MHSDS code (reports/mhsds.py) is in NHS England's list."""
    from waypoint.reports.mhsds import TEAM_TYPE_CODES

    return frozenset(kind for kind, code in TEAM_TYPE_CODES.items() if code in TEAM_CODES_IN_SCOPE)


@dataclass(frozen=True)
class Part:
    key: str
    label: str
    done_at: datetime | None


@dataclass
class FourWeekClock:
    referral: Referral
    spell: list[Referral]  # the referrals of its spell, oldest first (just this one if none join)
    parts: list[Part] = field(default_factory=list)
    ends_on: date | None = None  # the spell's end (None while it is open)
    not_counted: str = ""  # why NHS England's standard does not count it (age, team type), if so

    @property
    def in_scope(self) -> bool:
        return not self.not_counted

    @property
    def starts_at(self) -> datetime:
        return self.spell[0].received_at

    @property
    def starts_on(self) -> date:
        return _day(self.starts_at)

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
        return max(p.done_at for p in self.parts) if not self.remaining else None  # type: ignore[type-var]

    @property
    def due_at(self) -> datetime:
        return self.starts_at + FOUR_WEEKS

    @property
    def due_on(self) -> date:
        """The last day within 4 weeks (NHS England: within when the days to the stop are 28 or fewer)."""
        return self.starts_on + FOUR_WEEKS

    @property
    def days_to_stop(self) -> int | None:
        stopped = self.stopped_at
        if stopped is None:
            return None
        return (_day(stopped) - self.starts_on).days

    @property
    def within_four_weeks(self) -> bool | None:
        days = self.days_to_stop
        return None if days is None else days <= FOUR_WEEKS.days

    @property
    def days_waited(self) -> int:
        """Days from the spell's start to the stop, or to its end or today while it has not stopped."""
        days = self.days_to_stop
        if days is None:
            days = ((self.ends_on or timezone.localdate()) - self.starts_on).days
        return days

    @property
    def over_four_weeks(self) -> bool:
        """Stopped after 28 days, or not stopped and more than 28 days since the spell began (NHS
        England's waits compare days: the stop's or today's date minus the start's)."""
        return self.days_waited > FOUR_WEEKS.days


def _day(moment: datetime) -> date:
    return timezone.localtime(moment).date()


def _start_of(day: date, tz=None) -> datetime:
    """The start of the day in the current time zone (`tz`, when given, is that zone: read once
    for many days)."""
    return timezone.make_aware(datetime.combine(day, time.min), tz)


def _age_on(born: date, day: date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def _ends_on(referral) -> date | None:
    """The referral's end (NHS England's coalesce of discharge, rejection and closure dates)."""
    if referral.closed_on is not None:  # rejected, signposted, passed on or closed
        end = referral.closed_on
    elif referral.care_ended_on is not None and not referral.care_open:  # its episode was closed
        end = referral.care_ended_on
    else:
        return None
    return max(end, referral.received_on)


def _not_counted(referral, team_types) -> str:
    if referral.team_type not in team_types:
        return NOT_COUNTED_TEAM
    if _age_on(referral.born, referral.received_on) < ADULT:
        return NOT_COUNTED_AGE
    return ""


# What the clock reads of each referral, with its local dates worked out in SQL (TruncDate, in the
# current time zone: the same day as `_day`), so no row is converted in Python.
ROW_FIELDS = (
    "pk",
    "person_id",
    "team_id",
    "received_at",
    "received_on",
    "closed_on",
    "care_open",
    "care_ended_on",
    "first_contact_attended_at",
    "contact_on",
    "first_assessment_at",
    "assessment_on",
    "born",
    "team_type",
)


# The report's rows: the days only (no moments: loading a time costs more than the day), and
# whether the report asked for the referral.
_ROW_DAYS = (*(name for name in ROW_FIELDS if not name.endswith("_at")), "asked")


class _Row:
    """One referral as the report's clock reads it: no model instance is built."""

    __slots__ = _ROW_DAYS

    def __init__(self, *values):
        for name, value in zip(_ROW_DAYS, values, strict=True):
            setattr(self, name, value)


def _referrals_of(person_ids, as_models: bool, asked: Q | None = None) -> list:
    """Every referral of the people (a list of ids or a subquery), oldest first, each with what
    the clock reads: Referral instances for the pages, lighter rows for the report (with `asked`:
    whether the referral matches that Q). One query."""
    from waypoint.episodes.models import Episode

    episodes = Episode.objects.filter(referral=OuterRef("pk"))
    found = (
        Referral.objects.filter(person_id__in=person_ids)
        .annotate(
            born=F("person__date_of_birth"),
            team_type=F("team__team_type"),
            received_on=TruncDate("received_at"),
            closed_on=TruncDate("closed_at"),
            contact_on=TruncDate("first_contact_attended_at"),
            assessment_on=TruncDate("first_assessment_at"),
            care_open=Exists(episodes.open()),
            care_ended_on=Subquery(episodes.closed().order_by("-ended_on").values("ended_on")[:1]),
        )
        .order_by("person_id", "received_at", "pk")
    )
    if as_models:
        return list(
            found.only(
                "pk",
                "person_id",
                "team_id",
                "status",
                "received_at",
                "closed_at",
                "first_contact_attended_at",
                "first_assessment_at",
            )
        )
    found = found.annotate(asked=ExpressionWrapper(asked or Q(pk__isnull=False), output_field=BooleanField()))
    return [_Row(*values) for values in found.values_list(*_ROW_DAYS)]


@dataclass
class Spell:
    referrals: list  # Referral instances (the pages) or rows (the report), oldest first
    ends_on: date | None  # None while any of its referrals is open
    not_counted: str = ""
    # Each part's moment (PARTS order; None: not yet done) and its date, once worked out.
    done: list[datetime | None] = field(default_factory=list)
    done_on: list[date | None] = field(default_factory=list)

    @property
    def starts_on(self) -> date:
        return self.referrals[0].received_on

    @property
    def days_to_stop(self) -> int | None:
        if not self.done_on or None in self.done_on:
            return None
        return (max(self.done_on) - self.starts_on).days  # type: ignore[type-var]


def _join(everyone: list) -> dict[int, Spell]:
    """referral pk -> its spell, from every referral of the people, oldest first (NHS England's
    joining: see the module's docstring)."""
    team_types = team_types_in_scope()
    found: dict[int, Spell] = {}
    current: dict[int, tuple[Spell, date | None]] = {}  # person -> their latest spell, and its reach
    for referral in everyone:
        ends_on = _ends_on(referral)
        reason = _not_counted(referral, team_types)
        if reason:  # out of NHS England's scope: joins no spell, timed on its own
            found[referral.pk] = Spell([referral], ends_on, reason)
            continue
        received = referral.received_on
        reach = None if ends_on is None else ends_on + GRACE
        latest = current.get(referral.person_id)
        if latest is not None and (latest[1] is None or received <= latest[1]):
            spell, so_far = latest
            spell.referrals.append(referral)
            spell.ends_on = None if ends_on is None or spell.ends_on is None else max(spell.ends_on, ends_on)
            reach = None if reach is None or so_far is None else max(reach, so_far)
        else:
            spell = Spell([referral], ends_on)
        current[referral.person_id] = (spell, reach)
        found[referral.pk] = spell
    return found


def spells_of(referrals: list[Referral]) -> dict[int, Spell]:
    """referral pk -> its spell. One query, however many referrals."""
    person_ids = sorted({r.person_id for r in referrals})
    if not person_ids:
        return {}
    return _join(_referrals_of(person_ids, as_models=True))


def _time_spells(spells: list[Spell], person_ids, moments: bool = True) -> None:
    """Work out each spell's parts: `done_on` and, with `moments`, `done` (the report needs only
    the days). Three queries, however many spells: measures, care plans, coded interventions of
    the people (a list of ids or a subquery)."""
    from waypoint.contacts.models import CodedIntervention
    from waypoint.plans.models import PlanKind, PlanRevision

    from .models import Measure

    if not spells:
        return
    earliest = min(spell.starts_on for spell in spells)
    measure_days: dict[int, list[date]] = defaultdict(list)
    for person_id, day in (
        # Current (not replaced by a correction), as Measure.objects.current(), written as NOT
        # EXISTS: PostgreSQL plans that as an anti-join, where it misjudges the outer join's.
        Measure.objects.filter(~Exists(Measure.objects.filter(replaces=OuterRef("pk"))))
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
    intervention_days: dict[int, list[date]] = defaultdict(list)
    for person_id, day in (
        CodedIntervention.objects.filter(
            person_id__in=person_ids, entered_in_error_at__isnull=True, date__gte=earliest
        )
        .order_by("date")
        .values_list("person_id", "date")
    ):
        intervention_days[person_id].append(day)

    tz = timezone.get_current_timezone()
    for spell in spells:
        members = spell.referrals
        person_id = members[0].person_id
        start, end = spell.starts_on, spell.ends_on

        def within(day: date, start=start, end=end) -> bool:
            return start <= day and (end is None or day <= end)

        contacts = [r for r in members if r.contact_on is not None and within(r.contact_on)]
        assessments = [r for r in members if r.assessment_on is not None and within(r.assessment_on)]
        measure = next((d for d in measure_days.get(person_id, ()) if within(d)), None)
        plans = [
            d
            for team_id in {r.team_id for r in members}
            for d in plan_days.get((person_id, team_id), ())
            if within(d)
        ]
        intervention = next((d for d in intervention_days.get(person_id, ()) if within(d)), None)
        plan_or_intervention = [d for d in (min(plans) if plans else None, intervention) if d]
        first_plan = min(plan_or_intervention) if plan_or_intervention else None
        spell.done_on = [
            min(r.contact_on for r in contacts) if contacts else None,
            measure,
            min(r.assessment_on for r in assessments) if assessments else None,
            first_plan,
        ]
        if moments:
            spell.done = [
                min(r.first_contact_attended_at for r in contacts) if contacts else None,
                _start_of(measure, tz) if measure else None,
                min(r.first_assessment_at for r in assessments) if assessments else None,
                _start_of(first_plan, tz) if first_plan else None,
            ]


def clocks_for(referrals) -> dict[int, FourWeekClock]:
    """referral pk -> its 4-week clock. Four queries, however many referrals."""
    referrals = list(referrals)
    if not referrals:
        return {}
    spells = spells_of(referrals)
    person_ids = sorted({r.person_id for r in referrals})
    _time_spells(list({id(s): s for s in spells.values()}.values()), person_ids)
    clocks = {}
    for referral in referrals:
        spell = spells[referral.pk]
        clocks[referral.pk] = FourWeekClock(
            referral,
            spell.referrals,
            [Part(key, label, spell.done[index]) for index, (key, label) in enumerate(PARTS)],
            ends_on=spell.ends_on,
            not_counted=spell.not_counted,
        )
    return clocks


def report_spells(asked: Q) -> tuple[list[Spell], int]:
    """For the service report: the spells in NHS England's scope of the referrals that match
    `asked` (a Q on Referral), each spell once, with its parts worked out by the same clock as
    `clocks_for`; and how many of those referrals are out of scope. Four queries, however many
    referrals; no model instance is built."""
    person_ids = Referral.objects.filter(asked).values("person_id")
    everyone = _referrals_of(person_ids, as_models=False, asked=asked)
    spells = _join(everyone)
    counted: dict[int, Spell] = {}
    not_counted = 0
    for row in everyone:
        if not row.asked:
            continue
        spell = spells[row.pk]
        if spell.not_counted:
            not_counted += 1
        else:
            counted.setdefault(id(spell), spell)
    timed = list(counted.values())
    _time_spells(timed, person_ids, moments=False)
    return timed, not_counted


def clock_for(referral) -> FourWeekClock:
    return clocks_for([referral])[referral.pk]


@dataclass(frozen=True)
class TeamFigures:
    referrals: int
    stopped: int
    within_four_weeks: int
    median_days: float | None
    part_counts: list[tuple[str, int]]  # each part: how many referrals have it done
    not_counted: int = 0  # referrals out of NHS England's scope (age, team type), left out above

    @property
    def share_within(self) -> str:
        return f"{round(100 * self.within_four_weeks / self.referrals)}%" if self.referrals else "–"


def team_figures(clocks: list[FourWeekClock]) -> TeamFigures:
    """The figures of the clocks in NHS England's scope (the others are only counted)."""
    counted = [c for c in clocks if c.in_scope]
    days = sorted(c.days_to_stop for c in counted if c.days_to_stop is not None)
    median = None
    if days:
        middle = len(days) // 2
        median = float(days[middle]) if len(days) % 2 else (days[middle - 1] + days[middle]) / 2
    return TeamFigures(
        referrals=len(counted),
        stopped=len(days),
        within_four_weeks=sum(1 for c in counted if c.within_four_weeks),
        median_days=median,
        part_counts=[
            (label, sum(1 for c in counted if c.parts[i].done_at)) for i, (_, label) in enumerate(PARTS)
        ],
        not_counted=len(clocks) - len(counted),
    )
