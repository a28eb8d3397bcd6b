"""The reports on what the clinical modules record: outcome measures, physical health, depots,
legal status, safeguarding and incidents.

Each is a fixed number of aggregate queries (`test_report_queries_do_not_grow_with_rows` runs every
registered report at two sizes). Aggregates only: no figure names a person.
"""

from datetime import timedelta

from django.db.models import (
    Case,
    Count,
    DateField,
    Exists,
    F,
    Func,
    OuterRef,
    Q,
    Subquery,
    When,
    Window,
)
from django.db.models.functions import FirstValue, RowNumber

from waypoint.incidents.models import Harm, Incident
from waypoint.legal.models import MhaPeriod
from waypoint.measures.licences import definitions
from waypoint.measures.models import Measure
from waypoint.measures.scoring import change_since
from waypoint.medicines.models import (
    CORE_CHECKS,
    DepotAdministration,
    DepotPrescription,
    Measurement,
    Outcome,
)
from waypoint.safeguarding.models import About, Concern

from .figures import _end_of, _registered, _start_of, counted, percent
from .registry import Chart, Scope, Table


class AddDays(Func):
    """date + a whole number of days (an expression), on PostgreSQL and on SQLite."""

    output_field = DateField()

    def as_postgresql(self, compiler, connection, **extra):
        date_sql, date_params = compiler.compile(self.source_expressions[0])
        days_sql, days_params = compiler.compile(self.source_expressions[1])
        return f"(({date_sql})::date + ({days_sql})::integer)", [*date_params, *days_params]

    def as_sqlite(self, compiler, connection, **extra):
        date_sql, date_params = compiler.compile(self.source_expressions[0])
        days_sql, days_params = compiler.compile(self.source_expressions[1])
        return f"date({date_sql}, ({days_sql}) || ' days')", [*date_params, *days_params]


# --- Outcome measures: paired scores and reliable change ---


def outcome_measures(scope: Scope) -> Table:
    """For people on the teams' books at the end of the period, each measure: who has a score, who
    has a pair (a baseline and a later score, both current), and the reliable change between the
    first and the latest score (the measure's own threshold and direction). One query."""
    defs = dict(definitions())
    people = _registered(scope).values("person_id")
    pair = [F("person_id"), F("code")]
    oldest_first = [F("completed_on").asc(), F("recorded_at").asc(), F("pk").asc()]
    newest_first = [F("completed_on").desc(), F("recorded_at").desc(), F("pk").desc()]
    # One row per (person, measure): how many scores, the first and the latest (window functions;
    # filtering on the row number makes Django wrap the query, so each is computed once).
    per_pair = (
        Measure.objects.current()
        .filter(person_id__in=people, total__isnull=False, completed_on__lte=scope.end, code__in=list(defs))
        .annotate(
            scores=Window(Count("pk"), partition_by=pair),
            first_total=Window(FirstValue("total"), partition_by=pair, order_by=oldest_first),
            latest_total=Window(FirstValue("total"), partition_by=pair, order_by=newest_first),
            row=Window(RowNumber(), partition_by=pair, order_by=oldest_first),
        )
        .filter(row=1)
        .values_list("code", "scores", "first_total", "latest_total")
    )
    counts = {code: {"people": 0, "paired": 0, "improved": 0, "worse": 0} for code in defs}
    for code, scores, first_total, latest_total in per_pair if defs else ():
        tally = counts[code]
        tally["people"] += 1
        if scores < 2:
            continue
        tally["paired"] += 1
        change = change_since(defs[code], first_total, latest_total)
        if change is not None and change.reliable:
            tally["improved" if change.improved else "worse"] += 1
    row = {f"{code}__{key}": n for code, tally in counts.items() for key, n in tally.items()}
    rows = []
    for code, d in sorted(defs.items(), key=lambda item: item[1].name):
        people_n, paired_n = row[f"{code}__people"], row[f"{code}__paired"]
        improved, worse = row[f"{code}__improved"], row[f"{code}__worse"]
        if d.reliable_change is None:
            improved_text, worse_text = "no threshold", "no threshold"
        else:
            improved_text, worse_text = improved, worse
        rows.append([d.name, people_n, paired_n, percent(paired_n, people_n), improved_text, worse_text])
    chart_rows = any(isinstance(r[4], int) for r in rows)
    return Table(
        [
            "Measure",
            "People with a score",
            "With paired scores",
            "Share paired",
            "Reliably improved",
            "Reliably deteriorated",
        ],
        rows,
        chart=Chart("bar", ["People with a score", "With paired scores"], "People") if chart_rows else None,
        notes=[
            "People on the team's books at the end of the period. Paired: a first score and a later "
            "one, both current (a corrected measure counts as its replacement). Reliable change is "
            "between the first and the latest score, by each measure's own threshold.",
        ],
        summary=(
            f"{sum(r[2] for r in rows)} paired scores across {len(rows)} measures."
            if rows
            else "No outcome measures are switched on."
        ),
    )


# --- Physical health checks ---


def _core_checks(scope: Scope):
    """People on the teams' books (distinct), annotated with whether each core check was measured
    in the 12 months before the end of the period; and the Q for "all six"."""
    since = scope.end - timedelta(days=365)

    def measured(elements):
        return Exists(
            Measurement.objects.filter(
                person_id=OuterRef("person_id"),
                check_record__correction__isnull=True,
                element__in=list(elements),
                measured_on__gt=since,
                measured_on__lte=scope.end,
            )
        )

    registered = _registered(scope).order_by().values("person_id").distinct()
    annotated = registered.annotate(**{f"has_{name}": measured(els) for name, els in CORE_CHECKS.items()})
    return annotated, Q(**{f"has_{name}": True for name in CORE_CHECKS})


def without_all_six_checks(scope: Scope):
    """Drill-down: people on the books without all six core checks in the last 12 months."""
    annotated, all_six = _core_checks(scope)
    return annotated.exclude(all_six).values("person_id")


def physical_health(scope: Scope) -> Table:
    """People on the teams' books, and how many had each of the six core physical health checks
    in the 12 months before the end of the period, and all six. One query."""
    annotated, all_six = _core_checks(scope)
    row = annotated.aggregate(
        total=Count("person_id"),
        all_six=Count("person_id", filter=all_six),
        **{name: Count("person_id", filter=Q(**{f"has_{name}": True})) for name in CORE_CHECKS},
    )
    labels = {
        "alcohol": "Alcohol",
        "smoking": "Smoking status",
        "bmi": "Body mass index",
        "blood_pressure": "Blood pressure",
        "glucose": "Glucose (HbA1c or fasting glucose)",
        "lipids": "Lipids (cholesterol)",
    }
    total = row["total"]
    rows = [[labels.get(name, name), row[name], percent(row[name], total)] for name in CORE_CHECKS]
    rows.append(["All six core checks", row["all_six"], percent(row["all_six"], total)])
    return Table(
        ["Check in the last 12 months", "People", "Share of people on the books"],
        rows,
        chart=Chart("bar", ["People"], "People"),
        notes=[
            f"{total} people on the team's books on {scope.end:%-d %B %Y}; checks measured in the 12 "
            "months before, from current (not entered-in-error) physical health checks."
        ],
        summary=f"{percent(row['all_six'], total)} had all six core checks in the last 12 months.",
    )


# --- Depots ---


def _current_depots(scope: Scope):
    """Depot prescriptions current at the end of the period for people on the teams' books, each
    with the day after which it is late (the last dose given by then + the interval, or the start
    date before any dose, + the tolerance)."""
    people = _registered(scope).values("person_id")
    end = _end_of(scope.end)
    last_given = (
        DepotAdministration.objects.current()
        .filter(prescription=OuterRef("pk"), outcome=Outcome.GIVEN, at__lt=end)
        .order_by("-at")
        .values("at")[:1]
    )
    current = (
        DepotPrescription.objects.filter(person_id__in=people, started_on__lte=scope.end, **scope.teams_q())
        .exclude(stopped_on__lte=scope.end)
        .annotate(last_given_at=Subquery(last_given))
        .annotate(
            due_on=Case(
                When(last_given_at__isnull=True, then=F("started_on")),
                default=AddDays(F("last_given_at"), F("interval_days")),
                output_field=DateField(),
            )
        )
        .annotate(late_after=AddDays(F("due_on"), F("tolerance_days")))
    )
    return current


def late_depot_people(scope: Scope):
    """Drill-down: people with a depot late at the end of the period."""
    return _current_depots(scope).filter(late_after__lt=scope.end).values("person_id")


def depots(scope: Scope) -> Table:
    """Depot prescriptions current at the end of the period for people on the teams' books: late
    (past the due date and its tolerance, from the last dose given by then) and missed or refused
    doses in the period. Two queries."""
    people = _registered(scope).values("person_id")
    end = _end_of(scope.end)
    current = _current_depots(scope)
    row = current.aggregate(total=Count("pk"), late=Count("pk", filter=Q(late_after__lt=scope.end)))
    not_given = (
        DepotAdministration.objects.current()
        .filter(
            prescription__in=DepotPrescription.objects.filter(person_id__in=people, **scope.teams_q()),
            at__gte=_start_of(scope.start),
            at__lt=end,
        )
        .aggregate(
            given=Count("pk", filter=Q(outcome=Outcome.GIVEN)),
            missed=Count("pk", filter=Q(outcome=Outcome.MISSED)),
            refused=Count("pk", filter=Q(outcome=Outcome.REFUSED)),
        )
    )
    doses = not_given["given"] + not_given["missed"] + not_given["refused"]
    rows = [
        ["Depot prescriptions current at the end of the period", row["total"], ""],
        ["Late at the end of the period", row["late"], percent(row["late"], row["total"])],
        ["Doses given in the period", not_given["given"], percent(not_given["given"], doses)],
        ["Doses missed (not seen) in the period", not_given["missed"], percent(not_given["missed"], doses)],
        ["Doses refused in the period", not_given["refused"], percent(not_given["refused"], doses)],
    ]
    return Table(
        ["Depots", "Number", "Share"],
        rows,
        chart=Chart("bar", ["Number"], "Number"),
        notes=[
            "Late: the end of the period is past the due date (the last dose given + the interval, "
            "or the start date before any dose) and its tolerance, as the depot clinic counts it."
        ],
        summary=f"{row['late']} of {counted(row['total'], 'depot', 'depots')} late at the end of the period.",
    )


# --- Legal status ---


def legal_status(scope: Scope) -> Table:
    """People on the teams' books subject to the Mental Health Act at the end of the period, by
    section (open, not entered in error, started by then, not ended by then). One query."""
    people = _registered(scope).values("person_id")
    rows_qs = (
        MhaPeriod.objects.valid()
        .filter(person_id__in=people, starts_on__lte=scope.end)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=scope.end))
        .order_by()
        .values("rule__short", "rule__label")
        .annotate(people=Count("person_id", distinct=True))
        .order_by("rule__label")
    )
    rows = [[r["rule__label"], r["people"]] for r in rows_qs]
    return Table(
        ["Section", "People"],
        rows,
        chart=Chart("bar", ["People"], "People") if rows else None,
        notes=[f"Periods in force on {scope.end:%-d %B %Y} (as recorded now; entered in error left out)."],
        summary=f"{counted(sum(r[1] for r in rows), 'person', 'people')} subject to the Mental Health Act "
        "at the end of the period.",
    )


# --- Safeguarding and incidents ---


def safeguarding_and_incidents(scope: Scope) -> Table:
    """Safeguarding concerns raised in the period (about the person, another adult, a child) and
    still open at its end; incidents reported in the period by degree of harm. Two queries."""
    start, end = _start_of(scope.start), _end_of(scope.end)
    concerns = (
        Concern.objects.filter(raised_at__gte=start, raised_at__lt=end, **scope.teams_q())
        .exclude(entered_in_error_at__isnull=False)
        .aggregate(
            raised=Count("pk"),
            **{f"about_{a}": Count("pk", filter=Q(about=a)) for a in About.values},
            referred=Count("pk", filter=Q(referred_on__isnull=False)),
            still_open=Count("pk", filter=Q(closed_at__isnull=True) | Q(closed_at__gte=end)),
        )
    )
    incidents = (
        Incident.objects.filter(reported_at__gte=start, reported_at__lt=end, **scope.teams_q())
        .exclude(entered_in_error_at__isnull=False)
        .aggregate(
            reported=Count("pk"),
            **{f"harm_{h}": Count("pk", filter=Q(harm=h)) for h in Harm.values},
        )
    )
    rows = [
        ["Safeguarding concerns raised", concerns["raised"]],
        *[[f"– about {label.lower()}", concerns[f"about_{code}"]] for code, label in About.choices],
        ["– referred to the local authority", concerns["referred"]],
        ["– still open at the end of the period", concerns["still_open"]],
        ["Incidents reported", incidents["reported"]],
        *[[f"– {label.lower()}", incidents[f"harm_{code}"]] for code, label in Harm.choices],
    ]
    return Table(
        ["Safeguarding and incidents", "Number"],
        rows,
        chart=Chart("bar", ["Number"], "Number"),
        notes=["Raised or reported in the period by the team; entered in error left out."],
        summary=f"{counted(concerns['raised'], 'safeguarding concern', 'safeguarding concerns')} raised and "
        f"{counted(incidents['reported'], 'incident', 'incidents')} reported.",
    )


def register(register_report, Report) -> None:
    for report in (
        Report(
            "outcome_measures", "Outcome measures: paired scores and reliable change", 100, outcome_measures
        ),
        Report(
            "physical_health",
            "Physical health checks in the last 12 months",
            110,
            physical_health,
            people=without_all_six_checks,
            people_label="People without all six core checks in the last 12 months",
        ),
        Report(
            "depots",
            "Depots: late, missed and refused",
            120,
            depots,
            people=late_depot_people,
            people_label="People with a depot late at the end of the period",
        ),
        Report("legal_status", "Mental Health Act status", 130, legal_status),
        Report(
            "safeguarding_incidents", "Safeguarding concerns and incidents", 140, safeguarding_and_incidents
        ),
    ):
        register_report(report)
