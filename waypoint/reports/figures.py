"""The service reports: each a fixed number of aggregate queries for a `Scope` (teams, dates).

No figure names a person. Dates are inclusive; a referral "in the period" was received in it.
"""

from datetime import UTC, date, datetime, time, timedelta

from django.db.models import (
    Case,
    Count,
    DateField,
    DateTimeField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, TruncMonth
from django.utils import timezone

from waypoint.accounts.models import TeamType
from waypoint.contacts.models import Attendance, Contact, Mechanism
from waypoint.episodes.models import Allocation, AllocationKind
from waypoint.patients.models import Carer, CarerAssessmentStatus, TeamRegistration
from waypoint.plans.models import PlanKind, PlanRevision
from waypoint.referrals.clock import FOUR_WEEK_STANDARD
from waypoint.referrals.models import Decision, Referral, Source
from waypoint.reviews.models import Review

from .registry import Chart, ClockStopPart, Scope, Table, clock_stop_parts

# Before any contact (a missed contact counts when there is no attended one before it).
EARLIEST = datetime(1900, 1, 1, tzinfo=UTC)

# NHS England's bands for referral to first and second attended contact.
BANDS = (
    ("Under 1 week", 0, 1),
    ("1 to 2 weeks", 1, 2),
    ("2 to 4 weeks", 2, 4),
    ("4 to 12 weeks", 4, 12),
    ("Over 12 weeks", 12, None),
)


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _end_of(day: date) -> datetime:
    return _start_of(day + timedelta(days=1))


def referrals_in(scope: Scope):
    return Referral.objects.filter(
        received_at__gte=_start_of(scope.start), received_at__lt=_end_of(scope.end), **scope.teams_q()
    )


def percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "–"


def referrals_by_source(scope: Scope) -> Table:
    counts = dict(referrals_in(scope).values_list("source").annotate(n=Count("pk")).order_by())
    total = sum(counts.values())
    rows = [
        [label, counts.get(code, 0), percent(counts.get(code, 0), total)] for code, label in Source.choices
    ]
    rows.append(["All sources", total, percent(total, total)])
    return Table(
        ["Source of referral", "Referrals", "Share"],
        rows,
        chart=Chart("bar", ["Referrals"], "Referrals", leave_out_last_row=True),
        summary=f"{total} referrals received.",
    )


def _band_filters(field_name: str):
    out = []
    for label, low, high in BANDS:
        q = Q(**{f"{field_name}__isnull": False})
        if low:
            q &= Q(**{f"{field_name}__gte": F("received_at") + timedelta(weeks=low)})
        if high is not None:
            q &= Q(**{f"{field_name}__lt": F("received_at") + timedelta(weeks=high)})
        out.append((label, q))
    return out


def contact_waits(scope: Scope) -> Table:
    """Referral to first and second attended contact, in NHS England's bands (one query)."""
    aggregates = {"total": Count("pk")}
    for which in ("first", "second"):
        field_name = f"{which}_contact_attended_at"
        for index, (_label, q) in enumerate(_band_filters(field_name)):
            aggregates[f"{which}_{index}"] = Count("pk", filter=q)
        aggregates[f"{which}_none"] = Count("pk", filter=Q(**{f"{field_name}__isnull": True}))
    row = referrals_in(scope).filter(decision=Decision.ACCEPT).aggregate(**aggregates)
    rows = [
        [label, row[f"first_{i}"], percent(row[f"first_{i}"], row["total"]), row[f"second_{i}"]]
        for i, (label, _low, _high) in enumerate(BANDS)
    ]
    rows.append(
        ["Not yet seen", row["first_none"], percent(row["first_none"], row["total"]), row["second_none"]]
    )
    return Table(
        ["Wait", "First attended contact", "Share (first)", "Second attended contact"],
        rows,
        chart=Chart("bar", ["First attended contact", "Second attended contact"], "Referrals"),
        summary=f"{row['total']} referrals accepted in the period.",
        notes=["Referrals accepted for assessment, by when they were received."],
    )


def _agreed_care_plan_by(due):
    """A care plan with the referral's team first agreed on or after receipt, by the due date."""
    due_day = Cast(
        ExpressionWrapper(OuterRef("received_at") + FOUR_WEEK_STANDARD, DateTimeField()), DateField()
    )
    agreed = PlanRevision.objects.filter(
        plan__person_id=OuterRef("person_id"),
        plan__team_id=OuterRef("team_id"),
        plan__kind=PlanKind.CARE,
        agreed_on__isnull=False,
        agreed_on__gte=Cast(OuterRef("received_at"), DateField()),
    ).filter(agreed_on__lte=due_day)
    return Q(Exists(agreed))


def register_default_clock_parts(register) -> None:
    """The parts of the clock-stop that Waypoint records now (called from extensions.py)."""
    register(
        ClockStopPart(
            "attended_contact",
            "First attended contact",
            lambda due: Q(first_contact_attended_at__isnull=False, first_contact_attended_at__lte=due),
        )
    )
    # The measures module registers the real outcome measure part (measures/four_week.measured_by);
    # this placeholder never replaces it (registry.register_clock_stop_part).
    register(ClockStopPart("outcome_measure", "First baseline outcome measure", None))
    register(
        ClockStopPart(
            "coded_assessment",
            "First coded assessment",
            lambda due: Q(first_assessment_at__isnull=False, first_assessment_at__lte=due),
        )
    )
    register(ClockStopPart("agreed_care_plan", "First agreed care plan", _agreed_care_plan_by))


def four_week_standard(scope: Scope) -> Table:
    """The share of referrals whose 4-week clock stopped within 28 days (one query).

    The clock stops at the LATEST of its parts (referrals/clock.py), so it stopped within 28 days
    when every part was recorded within 28 days. While a part is not recorded by any module yet,
    no clock can stop, as on the referral's own page.
    """
    due = ExpressionDue()
    parts = clock_stop_parts()
    aggregates = {"total": Count("pk")}
    for part in parts:
        if part.recorded_by is not None:
            aggregates[part.key] = Count("pk", filter=part.recorded_by(due.value))
    every = [p for p in parts if p.recorded_by is not None]
    can_stop = len(every) == len(parts)
    if can_stop and every:
        all_q = Q()
        for part in every:
            all_q &= part.recorded_by(due.value)
        aggregates["all"] = Count("pk", filter=all_q)
    row = referrals_in(scope).filter(decision=Decision.ACCEPT).aggregate(**aggregates)
    total = row["total"]
    rows = []
    for part in parts:
        if part.recorded_by is None:
            rows.append([part.label + " (not yet recorded in Waypoint)", None, "–"])
        else:
            rows.append([part.label, row[part.key], percent(row[part.key], total)])
    stopped = row.get("all") if can_stop else None
    rows.append(
        [
            "Clock stopped within 28 days (every part)",
            stopped,
            percent(stopped or 0, total) if can_stop else "–",
        ]
    )
    notes = [f"Of {total} referrals accepted in the period: each part recorded within 28 days of receipt."]
    if not can_stop:
        notes.append(
            "The clock stops at the latest of all its parts. While a part is not yet recorded in "
            "Waypoint, no clock can stop, so the share cannot be counted yet."
        )
    return Table(
        ["Part of the clock-stop", "Within 28 days", "Share"],
        rows,
        chart=Chart("bar", ["Within 28 days"], "Referrals"),
        notes=notes,
        summary=f"{percent(stopped or 0, total) if can_stop else 'Not yet counted'}: clock stopped within 28 days.",
    )


class ExpressionDue:
    """received_at + 28 days, as an expression."""

    def __init__(self):
        self.value = F("received_at") + FOUR_WEEK_STANDARD


def _points(scope: Scope) -> list[date]:
    """Dates to sample: each week's end for up to 13 weeks, else each month's end (and the end)."""
    days = (scope.end - scope.start).days
    points = []
    if days <= 92:
        day = scope.start + timedelta(days=6)
        while day < scope.end:
            points.append(day)
            day += timedelta(days=7)
    else:
        day = scope.start
        while day < scope.end:
            nxt = (day.replace(day=1) + timedelta(days=32)).replace(day=1)
            last = nxt - timedelta(days=1)
            if last < scope.end:
                points.append(last)
            day = nxt
    points.append(scope.end)
    return points[-27:]


def waiting_list_over_time(scope: Scope) -> Table:
    """People accepted and waiting to be seen at each date (one query, one count per date)."""
    aggregates = {}
    points = _points(scope)
    for index, day in enumerate(points):
        moment = _end_of(day)
        aggregates[f"p{index}"] = Count(
            "pk",
            filter=Q(triaged_at__lt=moment)
            & (Q(first_contact_attended_at__isnull=True) | Q(first_contact_attended_at__gte=moment))
            & (Q(closed_at__isnull=True) | Q(closed_at__gte=moment)),
        )
    row = Referral.objects.filter(
        decision=Decision.ACCEPT, received_at__lt=_end_of(scope.end), **scope.teams_q()
    ).aggregate(**aggregates)
    rows = [[day.isoformat(), row[f"p{i}"]] for i, day in enumerate(points)]
    return Table(
        ["Date", "Waiting to be seen"],
        rows,
        chart=Chart("line", ["Waiting to be seen"], "People waiting"),
        notes=["Referrals accepted for assessment and not yet seen at the end of each date."],
        summary=f"{rows[-1][1]} waiting at {scope.end:%-d %B %Y}.",
    )


def caseloads(scope: Scope) -> Table:
    """Care coordinators' caseloads at the end of the period: count and weight (one query)."""
    moment = _end_of(scope.end)
    found = (
        Allocation.objects.current(moment)
        .filter(kind=AllocationKind.CARE_COORDINATOR, **scope.teams_q())
        .values("worker_id", "worker__first_name", "worker__last_name", "team__name")
        .annotate(people=Count("person_id", distinct=True), weight=Sum("weight"))
        .order_by("team__name", "worker__last_name", "worker__first_name")
    )
    rows = [
        [
            f"{r['worker__first_name']} {r['worker__last_name']}".strip(),
            r["team__name"],
            r["people"],
            r["weight"],
        ]
        for r in found
    ]
    return Table(
        ["Care coordinator", "Team", "People", "Weighted caseload"],
        rows,
        chart=Chart("bar", ["People", "Weighted caseload"], "People"),
        summary=f"{sum(r[2] for r in rows)} people allocated to {len(rows)} care coordinators.",
    )


def contacts_by_month(scope: Scope) -> Table:
    """Care contacts per month and medium, with did-not-attend and cancellation rates (one query)."""
    found = (
        Contact.objects.current()
        .filter(date__gte=scope.start, date__lte=scope.end, **scope.teams_q())
        .annotate(month=TruncMonth("date"))
        .values("month", "mechanism")
        .annotate(
            total=Count("pk"),
            attended=Count("pk", filter=Q(attendance=Attendance.ATTENDED)),
            dna=Count("pk", filter=Q(attendance=Attendance.DID_NOT_ATTEND)),
            cancelled=Count(
                "pk",
                filter=Q(attendance__in=[Attendance.CANCELLED_BY_PERSON, Attendance.CANCELLED_BY_SERVICE]),
            ),
        )
        .order_by("month", "mechanism")
    )
    labels = dict(Mechanism.choices)
    rows = []
    for r in found:
        month = r["month"]
        month = month.date() if isinstance(month, datetime) else month
        rows.append(
            [
                f"{month:%B %Y}",
                labels.get(r["mechanism"], r["mechanism"]),
                r["total"],
                r["attended"],
                r["dna"],
                percent(r["dna"], r["total"]),
                r["cancelled"],
                percent(r["cancelled"], r["total"]),
            ]
        )
    return Table(
        [
            "Month",
            "How",
            "Contacts",
            "Attended",
            "Did not attend",
            "Did not attend rate",
            "Cancelled",
            "Cancellation rate",
        ],
        rows,
        chart=Chart("bar", ["Attended", "Did not attend", "Cancelled"], "Contacts", label_columns=2),
        summary=f"{sum(r[2] for r in rows)} contacts in the period.",
    )


def _registered(scope: Scope):
    return TeamRegistration.objects.current(scope.end).filter(**scope.teams_q())


def _care_plan_subqueries(scope: Scope):
    """For a registration (the outer row): its team's care plan revisions agreed by the end of the
    period, and its team's reviews in the 12 months before; and that year's first day."""
    year_before = scope.end - timedelta(days=365)
    agreed = PlanRevision.objects.filter(
        plan__person_id=OuterRef("person_id"),
        plan__team_id=OuterRef("team_id"),
        plan__kind=PlanKind.CARE,
        agreed_on__isnull=False,
        agreed_on__lte=scope.end,
    )
    reviewed = Review.objects.filter(
        person_id=OuterRef("person_id"),
        team_id=OuterRef("team_id"),
        held_on__gt=year_before,
        held_on__lte=scope.end,
    )
    return year_before, agreed, reviewed


def care_plans(scope: Scope) -> Table:
    """People on the teams' books at the end of the period with a care plan agreed, and agreed or
    reviewed within the 12 months before (one query)."""
    year_before, agreed, reviewed = _care_plan_subqueries(scope)
    row = (
        _registered(scope)
        .annotate(
            has_agreed=Exists(agreed),
            has_recent=Exists(agreed.filter(agreed_on__gt=year_before)),
            has_review=Exists(reviewed),
        )
        .aggregate(
            total=Count("pk"),
            agreed=Count("pk", filter=Q(has_agreed=True)),
            agreed_in_period=Count("pk", filter=Q(has_recent=True)),
            reviewed=Count("pk", filter=Q(has_review=True)),
            current=Count("pk", filter=Q(has_recent=True) | Q(has_review=True, has_agreed=True)),
        )
    )
    total = row["total"]
    rows = [
        ["On the team's books", total, percent(total, total)],
        ["With an agreed care plan", row["agreed"], percent(row["agreed"], total)],
        [
            "Care plan agreed in the last 12 months",
            row["agreed_in_period"],
            percent(row["agreed_in_period"], total),
        ],
        ["Care plan reviewed in the last 12 months", row["reviewed"], percent(row["reviewed"], total)],
        ["Agreed or reviewed in the last 12 months", row["current"], percent(row["current"], total)],
    ]
    return Table(
        ["People", "Number", "Share"],
        rows,
        chart=Chart("bar", ["Number"], "People"),
        notes=[f"People on the team's books on {scope.end:%-d %B %Y}, one row per team they are on."],
        summary=f"{percent(row['current'], total)} have a care plan agreed or reviewed in the last 12 months.",
    )


def without_a_current_care_plan(scope: Scope):
    """Drill-down: people on the books with no care plan agreed or reviewed in the last 12 months."""
    year_before, agreed, reviewed = _care_plan_subqueries(scope)
    current = Q(Exists(agreed.filter(agreed_on__gt=year_before))) | (Q(Exists(reviewed)) & Q(Exists(agreed)))
    return _registered(scope).exclude(current).values("person_id")


def carers(scope: Scope) -> Table:
    """Carers of people on the teams' books, and carers' assessments offered (one query)."""
    people = _registered(scope).values("person_id")
    row = Carer.objects.filter(person_id__in=people, is_carer=True).aggregate(
        carers=Count("pk"),
        people=Count("person_id", distinct=True),
        **{status: Count("pk", filter=Q(carer_assessment=status)) for status in CarerAssessmentStatus.values},
    )
    offered = row["carers"] - row[CarerAssessmentStatus.NOT_OFFERED]
    rows = [
        ["People with a carer identified", row["people"], ""],
        ["Carers identified", row["carers"], percent(row["carers"], row["carers"])],
        ["Assessment offered (offered, declined or completed)", offered, percent(offered, row["carers"])],
    ]
    rows += [
        [f"Assessment: {label.lower()}", row[code], percent(row[code], row["carers"])]
        for code, label in CarerAssessmentStatus.choices
    ]
    return Table(
        ["Carers", "Number", "Share of carers"],
        rows,
        chart=Chart("bar", ["Number"], "Carers"),
        notes=["Carers of people on the team's books at the end of the period (as recorded now)."],
        summary=f"{percent(offered, row['carers'])} of carers offered an assessment.",
    )


def _engagement_at_end(scope: Scope):
    """The teams' registrations at the end of the period, annotated with the contacts module's
    engagement rule (contacts/engagement.py) as at that day, in SQL; and the Q for "disengaged".

    Disengaged: the expected interval (the frequency set for the person, else the team type's
    default) since the last attended face-to-face contact has passed, or the last 2 or more
    contacts were missed. Every step taken: as many of the team's procedure steps (or the default
    ones) taken since the last attended contact. `test_disengagement_report_agrees_with_engagement`
    keeps this and engagement_for in step.
    """
    from waypoint.contacts.engagement import (
        DEFAULT_STEPS,
        MISSED_IN_A_ROW_ALERT,
        default_every_days,
    )
    from waypoint.contacts.models import MISSED, ContactFrequency, DisengagementStep, DisengagementStepTaken

    from .module_figures import AddDays

    end = _end_of(scope.end)
    contacts = Contact.objects.current().filter(person_id=OuterRef("person_id"), occurred_at__lt=end)
    attended = contacts.filter(attendance=Attendance.ATTENDED)
    last_f2f = attended.filter(mechanism=Mechanism.FACE_TO_FACE).order_by("-date").values("date")[:1]
    last_attended_at = attended.order_by("-occurred_at").values("occurred_at")[:1]
    last_attended_on = attended.order_by("-date").values("date")[:1]
    missed = (
        contacts.filter(attendance__in=MISSED)
        .filter(occurred_at__gt=Coalesce(OuterRef("last_attended_at"), Value(EARLIEST)))
        .order_by()
        .values("person_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    frequency = (
        ContactFrequency.objects.filter(person_id=OuterRef("person_id"), set_at__lt=end)
        .order_by("-set_at", "-pk")
        .values("every_days")[:1]
    )
    default_days = Case(
        *[When(team__team_type=code, then=Value(default_every_days(code))) for code in TeamType.values],
        default=Value(default_every_days("")),
        output_field=IntegerField(),
    )
    steps_taken = (
        DisengagementStepTaken.objects.filter(person_id=OuterRef("person_id"), taken_on__lte=scope.end)
        .filter(taken_on__gt=Coalesce(OuterRef("last_attended_on"), Value(EARLIEST.date())))
        .order_by()
        .values("person_id")
        .annotate(n=Count("step_number", distinct=True))
        .values("n")
    )
    procedure = (
        DisengagementStep.objects.filter(team_id=OuterRef("team_id"))
        .order_by()
        .values("team_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    annotated = (
        _registered(scope)
        .annotate(
            last_f2f=Subquery(last_f2f),
            last_attended_at=Subquery(last_attended_at),
            last_attended_on=Subquery(last_attended_on),
        )
        .annotate(
            missed=Coalesce(Subquery(missed), 0),
            every_days=Coalesce(Subquery(frequency), default_days),
            taken=Coalesce(Subquery(steps_taken), 0),
            steps=Coalesce(Subquery(procedure), len(DEFAULT_STEPS)),
        )
        .annotate(expected_by=AddDays(F("last_f2f"), F("every_days")))
    )
    disengaged = Q(expected_by__lt=scope.end) | Q(missed__gte=MISSED_IN_A_ROW_ALERT)
    return annotated, disengaged


def disengaged_people(scope: Scope):
    """Drill-down: the people with a disengagement alert at the end of the period (ids)."""
    annotated, disengaged = _engagement_at_end(scope)
    return annotated.filter(disengaged).values("person_id")


def disengagement(scope: Scope) -> Table:
    """People on the teams' books with a disengagement alert at the end of the period (one query)."""
    annotated, disengaged = _engagement_at_end(scope)
    rows = [
        [r["team__name"], r["total"], r["disengaged"], percent(r["disengaged"], r["total"]), r["all_steps"]]
        for r in annotated.order_by()
        .values("team__name")
        .annotate(
            total=Count("pk"),
            disengaged=Count("pk", filter=disengaged),
            all_steps=Count("pk", filter=disengaged & Q(taken__gte=F("steps"))),
        )
        .order_by("team__name")
    ]
    return Table(
        ["Team", "On the books", "Disengagement alert", "Share", "Every step of the procedure taken"],
        rows,
        chart=Chart("bar", ["Disengagement alert"], "People"),
        notes=[
            "Disengaged: no face-to-face contact for longer than expected, or 2 or more missed "
            "contacts in a row (the contacts module's rule). Counted as at the end of the period."
        ],
        summary=f"{sum(r[2] for r in rows)} people with a disengagement alert.",
    )
