"""The service reports: each a fixed number of aggregate queries for a `Scope` (teams, dates).

No figure names a person. Dates are inclusive; a referral "in the period" was received in it.
"""

from datetime import UTC, date, datetime, time, timedelta

from django.db.models import (
    BooleanField,
    Case,
    Count,
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
from django.db.models.functions import Coalesce
from django.utils import timezone

from waypoint.accounts.models import TeamType
from waypoint.contacts.models import Attendance, Contact, Mechanism
from waypoint.episodes.models import Allocation, AllocationKind
from waypoint.patients.models import Carer, CarerAssessmentStatus, TeamRegistration
from waypoint.plans.models import PlanKind, PlanRevision
from waypoint.referrals.models import Decision, Referral, Source
from waypoint.reviews.models import Review

from .registry import Chart, Scope, Table

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


def counted(n: int, one: str, many: str) -> str:
    """ "1 referral", "2 referrals": a summary line reads as a sentence whatever the number."""
    return f"{n:,} {one if n == 1 else many}"


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
        summary=f"{counted(total, 'referral', 'referrals')} received.",
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
        summary=f"{counted(row['total'], 'referral', 'referrals')} accepted in the period.",
        notes=["Referrals accepted for assessment, by when they were received."],
    )


def four_week_standard(scope: Scope) -> Table:
    """NHS England's 4-week standard for the referrals accepted in the period: how many of their
    clocks stopped within 28 days, and each part done within 28 days.

    The same clock as the waiting list, the referral page and the team's 4-week clock page
    (`measures/four_week.py`: spells joined as NHS England joins them, dates not times, parts up
    to the spell's end, only referrals in NHS England's scope), counted once per spell
    (`four_week.report_spells`). Four queries, however many referrals.
    """
    from waypoint.measures import four_week

    timed, not_counted = four_week.report_spells(
        Q(
            received_at__gte=_start_of(scope.start),
            received_at__lt=_end_of(scope.end),
            decision=Decision.ACCEPT,
            **scope.teams_q(),
        )
    )
    total = len(timed)
    last_day = four_week.FOUR_WEEKS.days

    rows = []
    for index, (_key, label) in enumerate(four_week.PARTS):
        done = sum(
            1 for spell in timed if (on := spell.done_on[index]) and (on - spell.starts_on).days <= last_day
        )
        rows.append([label, done, percent(done, total)])
    stopped = sum(1 for spell in timed if (days := spell.days_to_stop) is not None and days <= last_day)
    rows.append(["Clock stopped within 28 days (every part)", stopped, percent(stopped, total)])
    notes = [
        f"Of {counted(total, 'spell of care', 'spells of care')} of referrals accepted in the "
        "period (a person's referrals that overlap, or follow within 5 days of the last one's "
        "end, are one spell, timed from the first): each part recorded within 28 days of the "
        "spell's start."
    ]
    if not_counted:
        notes.append(
            f"{counted(not_counted, 'referral', 'referrals')} not counted: NHS England's standard is "
            "for people aged 18 or over when referred, to core community mental health teams."
        )
    return Table(
        ["Part of the clock-stop", "Within 28 days", "Share"],
        rows,
        chart=Chart("bar", ["Within 28 days"], "Spells of care"),
        notes=notes,
        summary=f"{percent(stopped, total)}: clock stopped within 28 days.",
    )


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
        summary=f"{counted(sum(r[2] for r in rows), 'person', 'people')} allocated to "
        f"{counted(len(rows), 'care coordinator', 'care coordinators')}.",
    )


def contacts_by_month(scope: Scope) -> Table:
    """Care contacts per month and medium, with did-not-attend and cancellation rates (one query)."""
    # Grouped by day in SQL and folded into months here: truncating every contact's date to its
    # month cost PostgreSQL more than the counting (about 365 days times 4 media come back).
    # Counted by a column of the index `contact_current_by_date` (never empty, as the pk), so
    # PostgreSQL reads the index alone.
    found = (
        Contact.objects.current()
        .filter(date__gte=scope.start, date__lte=scope.end, **scope.teams_q())
        .values("date", "mechanism")
        .annotate(
            total=Count("attendance"),
            attended=Count("attendance", filter=Q(attendance=Attendance.ATTENDED)),
            dna=Count("attendance", filter=Q(attendance=Attendance.DID_NOT_ATTEND)),
            cancelled=Count(
                "attendance",
                filter=Q(attendance__in=[Attendance.CANCELLED_BY_PERSON, Attendance.CANCELLED_BY_SERVICE]),
            ),
        )
        .order_by()
    )
    months: dict[tuple[date, str], list[int]] = {}
    for r in found:
        tally = months.setdefault((r["date"].replace(day=1), r["mechanism"]), [0, 0, 0, 0])
        for index, key in enumerate(("total", "attended", "dna", "cancelled")):
            tally[index] += r[key]
    labels = dict(Mechanism.choices)
    rows = []
    for (month, mechanism), (total, attended, dna, cancelled) in sorted(months.items()):
        rows.append(
            [
                f"{month:%B %Y}",
                labels.get(mechanism, mechanism),
                total,
                attended,
                dna,
                percent(dna, total),
                cancelled,
                percent(cancelled, total),
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
        summary=f"{counted(sum(r[2] for r in rows), 'contact', 'contacts')} in the period.",
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
    # Grouped by the three facts, so each EXISTS is worked out once per registration (a COUNT
    # with a FILTER on an annotation repeats its subquery in every COUNT), then tallied here from
    # at most eight groups.
    groups = (
        _registered(scope)
        .annotate(
            has_agreed=Exists(agreed),
            has_recent=Exists(agreed.filter(agreed_on__gt=year_before)),
            has_review=Exists(reviewed),
        )
        .values("has_agreed", "has_recent", "has_review")
        .annotate(n=Count("pk"))
        .order_by()
    )
    row = {"total": 0, "agreed": 0, "agreed_in_period": 0, "reviewed": 0, "current": 0}
    for group in groups:
        n = group["n"]
        row["total"] += n
        row["agreed"] += n if group["has_agreed"] else 0
        row["agreed_in_period"] += n if group["has_recent"] else 0
        row["reviewed"] += n if group["has_review"] else 0
        current = group["has_recent"] or (group["has_review"] and group["has_agreed"])
        row["current"] += n if current else 0
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
    # Grouped by team and the two facts, so the engagement subqueries are worked out once per
    # registration (a COUNT with a FILTER repeats them in every COUNT), then tallied here.
    groups = (
        annotated.annotate(
            is_disengaged=ExpressionWrapper(disengaged, output_field=BooleanField()),
            all_taken=ExpressionWrapper(Q(taken__gte=F("steps")), output_field=BooleanField()),
        )
        .order_by()
        .values("team__name", "is_disengaged", "all_taken")
        .annotate(n=Count("pk"))
    )
    by_team: dict[str, list[int]] = {}
    for group in groups:
        tally = by_team.setdefault(group["team__name"], [0, 0, 0])
        tally[0] += group["n"]
        if group["is_disengaged"]:
            tally[1] += group["n"]
            tally[2] += group["n"] if group["all_taken"] else 0
    rows = [
        [name, total, alerts, percent(alerts, total), all_steps]
        for name, (total, alerts, all_steps) in sorted(by_team.items())
    ]
    return Table(
        ["Team", "On the books", "Disengagement alert", "Share", "Every step of the procedure taken"],
        rows,
        chart=Chart("bar", ["Disengagement alert"], "People"),
        notes=[
            "Disengaged: no face-to-face contact for longer than expected, or 2 or more missed "
            "contacts in a row (the contacts module's rule). Counted as at the end of the period."
        ],
        summary=f"{counted(sum(r[2] for r in rows), 'person', 'people')} with a disengagement alert.",
    )
