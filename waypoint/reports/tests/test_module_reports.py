"""The reports on what the clinical modules record, each checked against hand-counted figures, and
the outcome measure part of the 4-week clock."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from waypoint.accounts.factories import UserFactory
from waypoint.incidents.factories import IncidentFactory
from waypoint.incidents.models import Harm
from waypoint.legal.factories import MhaPeriodFactory
from waypoint.measures.factories import MeasureFactory, phq9_answers
from waypoint.medicines.factories import AdministrationFactory, CheckFactory, DepotFactory, MeasurementFactory
from waypoint.medicines.models import Outcome
from waypoint.patients.factories import TeamRegistrationFactory
from waypoint.plans.factories import PlanFactory, PlanRevisionFactory
from waypoint.reports import figures, module_figures, registry
from waypoint.safeguarding.factories import ChildConcernFactory, ConcernFactory

from .test_reports import accepted, at, scope_for

pytestmark = pytest.mark.django_db
START = datetime.date(2026, 1, 1)
END = datetime.date(2026, 3, 31)


def on_books(team, **kwargs):
    return TeamRegistrationFactory(team=team, started_on=datetime.date(2025, 1, 1), **kwargs).person


def rows_of(table):
    return {row[0]: row[1:] for row in table.rows}


def test_the_clock_stops_when_a_real_outcome_measure_is_recorded_in_time(team):
    day = datetime.date(2026, 1, 5)
    referrals = []
    for measured_after in (10, 40, None):  # in time, too late, never
        r = accepted(
            team,
            day,
            first=day + datetime.timedelta(days=3),
            first_assessment_at=at(day + datetime.timedelta(days=3)),
        )
        PlanRevisionFactory(
            plan=PlanFactory(person=r.person, team=team),
            agreed=True,
            agreed_on=day + datetime.timedelta(days=20),
        )
        if measured_after is not None:
            MeasureFactory(person=r.person, completed_on=day + datetime.timedelta(days=measured_after))
        referrals.append(r)
    MeasureFactory(person=referrals[2].person, completed_on=day - datetime.timedelta(days=5))  # before: no
    rows = rows_of(figures.four_week_standard(scope_for(team)))
    assert rows["First baseline outcome measure"] == [1, "33.3%"]
    assert rows["Clock stopped within 28 days (every part)"] == [1, "33.3%"]


def test_outcome_measures_pair_scores_and_count_reliable_change(team, other_team):
    improved = on_books(team)
    MeasureFactory(person=improved, code="phq9", completed_on=START, answers=phq9_answers(total=20))
    MeasureFactory(person=improved, code="phq9", completed_on=END, answers=phq9_answers(total=8))  # -12
    worse = on_books(team)
    MeasureFactory(person=worse, code="phq9", completed_on=START, answers=phq9_answers(total=5))
    MeasureFactory(
        person=worse,
        code="phq9",
        completed_on=START + datetime.timedelta(days=30),
        answers=phq9_answers(total=9),
    )
    MeasureFactory(person=worse, code="phq9", completed_on=END, answers=phq9_answers(total=15))  # +10
    same = on_books(team)
    MeasureFactory(person=same, code="phq9", completed_on=START, answers=phq9_answers(total=10))
    MeasureFactory(person=same, code="phq9", completed_on=END, answers=phq9_answers(total=12))  # +2
    once = on_books(team)
    MeasureFactory(person=once, code="phq9", completed_on=START, answers=phq9_answers(total=10))
    later = on_books(team)  # the second score is after the period: not paired yet
    MeasureFactory(person=later, code="phq9", completed_on=START, answers=phq9_answers(total=20))
    MeasureFactory(
        person=later,
        code="phq9",
        completed_on=END + datetime.timedelta(days=1),
        answers=phq9_answers(total=2),
    )
    elsewhere = on_books(other_team)
    MeasureFactory(person=elsewhere, code="phq9", completed_on=START, answers=phq9_answers(total=20))
    MeasureFactory(person=elsewhere, code="phq9", completed_on=END, answers=phq9_answers(total=2))
    rows = rows_of(module_figures.outcome_measures(scope_for(team)))
    phq9 = next(v for k, v in rows.items() if k.startswith("PHQ-9") or "PHQ" in k)
    assert phq9 == [5, 3, "60.0%", 1, 1]


def test_physical_health_counts_each_core_check_and_all_six(team):
    complete = on_books(team)
    check = CheckFactory(person=complete, checked_on=datetime.date(2026, 2, 1))
    for element in ("alcohol", "smoking", "bmi", "blood_pressure", "hba1c", "total_cholesterol"):
        MeasurementFactory(check_record=check, element=element, value=Decimal("1"))
    partial = on_books(team)
    MeasurementFactory(
        check_record=CheckFactory(person=partial, checked_on=datetime.date(2026, 2, 1)), element="bmi"
    )
    old = on_books(team)  # more than a year before the end of the period
    MeasurementFactory(
        check_record=CheckFactory(person=old, checked_on=datetime.date(2025, 1, 2)), element="bmi"
    )
    on_books(team)  # none
    rows = rows_of(module_figures.physical_health(scope_for(team)))
    assert rows["Body mass index"] == [2, "50.0%"]
    assert rows["Glucose (HbA1c or fasting glucose)"] == [1, "25.0%"]
    assert rows["All six core checks"] == [1, "25.0%"]


def test_depots_late_at_the_end_of_the_period_and_doses_not_given(team):
    def given(depot, day, outcome=Outcome.GIVEN):
        AdministrationFactory(prescription=depot, outcome=outcome, at=at(day))

    on_time = DepotFactory(person=on_books(team), team=team, started_on=datetime.date(2025, 6, 1))
    given(on_time, datetime.date(2026, 3, 20))  # due 17 April: not late on 31 March
    late = DepotFactory(person=on_books(team), team=team, started_on=datetime.date(2025, 6, 1))
    given(late, datetime.date(2026, 2, 20))  # due 20 March, tolerance 3 days: late on 31 March
    given(late, datetime.date(2026, 3, 20), Outcome.MISSED)
    never = DepotFactory(person=on_books(team), team=team, started_on=datetime.date(2026, 3, 1))  # late
    given(never, datetime.date(2026, 3, 5), Outcome.REFUSED)
    DepotFactory(
        person=on_books(team),
        team=team,
        started_on=datetime.date(2025, 6, 1),
        stopped_on=datetime.date(2026, 1, 10),
    )  # stopped: not current
    rows = rows_of(module_figures.depots(scope_for(team)))
    assert rows["Depot prescriptions current at the end of the period"][0] == 3
    assert rows["Late at the end of the period"] == [2, "66.7%"]
    assert rows["Doses given in the period"][0] == 2
    assert rows["Doses missed (not seen) in the period"][0] == 1
    assert rows["Doses refused in the period"][0] == 1


def test_legal_status_counts_periods_in_force_at_the_end(team):
    MhaPeriodFactory(person=on_books(team), section="3", starts_on=datetime.date(2026, 3, 1))
    MhaPeriodFactory(
        person=on_books(team),
        section="3",
        starts_on=datetime.date(2026, 1, 1),
        ended_on=datetime.date(2026, 2, 1),
    )  # ended before the end
    MhaPeriodFactory(person=on_books(team), section="3", starts_on=datetime.date(2026, 4, 2))  # after
    MhaPeriodFactory(
        person=on_books(team), section="3", starts_on=datetime.date(2026, 3, 1), entered_in_error=True
    )
    table = module_figures.legal_status(scope_for(team))
    assert [row[1] for row in table.rows] == [1]
    assert "3" in table.rows[0][0]


def test_safeguarding_and_incidents_count_the_period_and_team(team, other_team):
    ConcernFactory(
        person=on_books(team),
        team=team,
        raised_at=at(datetime.date(2026, 2, 1)),
        referred_on=datetime.date(2026, 2, 2),
    )
    ChildConcernFactory(
        person=on_books(team),
        team=team,
        raised_at=at(datetime.date(2026, 2, 1)),
        closed_at=at(datetime.date(2026, 3, 1)),
        status="closed",
        closed_by=UserFactory(),
        closing_summary="Local authority: no further action (synthetic)",
    )
    ConcernFactory(person=on_books(other_team), team=other_team, raised_at=at(datetime.date(2026, 2, 1)))
    ConcernFactory(person=on_books(team), team=team, raised_at=at(datetime.date(2025, 12, 1)))  # before
    IncidentFactory(team=team, harm=Harm.LOW, reported_at=at(datetime.date(2026, 1, 10)))
    IncidentFactory(team=team, harm=Harm.MODERATE, reported_at=at(datetime.date(2026, 1, 10)))
    IncidentFactory(team=other_team, harm=Harm.LOW, reported_at=at(datetime.date(2026, 1, 10)))
    rows = rows_of(module_figures.safeguarding_and_incidents(scope_for(team)))
    assert rows["Safeguarding concerns raised"] == [2]
    assert rows["– referred to the local authority"] == [1]
    assert rows["– still open at the end of the period"] == [1]
    assert rows["Incidents reported"] == [2]


def test_every_module_report_is_registered():
    keys = {r.key for r in registry.reports()}
    assert {"outcome_measures", "physical_health", "depots", "legal_status", "safeguarding_incidents"} <= keys


def test_the_module_reports_run_on_an_empty_service(db):
    scope = registry.Scope(None, START, END)
    for compute in (
        module_figures.outcome_measures,
        module_figures.physical_health,
        module_figures.depots,
        module_figures.legal_status,
        module_figures.safeguarding_and_incidents,
    ):
        assert compute(scope).rows is not None
    assert timezone.now()
