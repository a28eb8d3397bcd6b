"""Service reports: figures, access by role, audit, CSV and a fixed number of queries."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from waypoint.accounts.factories import make_staff
from waypoint.accounts.models import RoleCode
from waypoint.audit.models import Action, AuditEvent, RecordType
from waypoint.contacts.factories import ContactFactory
from waypoint.contacts.models import Attendance, Mechanism
from waypoint.episodes.factories import CoordinatorAllocationFactory
from waypoint.patients.factories import CarerFactory, TeamRegistrationFactory
from waypoint.patients.models import CarerAssessmentStatus, TeamRegistration
from waypoint.plans.factories import PlanFactory, PlanRevisionFactory
from waypoint.referrals.factories import ReferralFactory
from waypoint.referrals.models import Decision, Source, Status
from waypoint.reports import figures, registry

START = datetime.date(2026, 1, 1)
END = datetime.date(2026, 3, 31)


def at(day, hour=10):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def scope_for(team=None, start=START, end=END):
    return registry.Scope(None if team is None else (team.pk,), start, end)


def accepted(team, received, first=None, second=None, **kwargs):
    return ReferralFactory(
        team=team,
        received_at=at(received),
        decision=Decision.ACCEPT,
        status=Status.WAITING if first is None else Status.IN_ASSESSMENT,
        triaged_at=at(received, 12),
        first_contact_attended_at=at(first) if first else None,
        second_contact_attended_at=at(second) if second else None,
        **kwargs,
    )


@pytest.fixture
def manager(team):
    return make_staff(team=team, roles=[RoleCode.TEAM_MANAGER], username="tm.north")


@pytest.fixture
def analyst(db):
    return make_staff(roles=[RoleCode.INFORMATION_ANALYST], username="analyst")


def test_referrals_by_source_counts_the_period_and_team(team, other_team):
    ReferralFactory(team=team, received_at=at(datetime.date(2026, 1, 5)), source=Source.GP)
    ReferralFactory(team=team, received_at=at(datetime.date(2026, 2, 5)), source=Source.SELF)
    ReferralFactory(team=team, received_at=at(datetime.date(2025, 12, 31)), source=Source.GP)  # before
    ReferralFactory(team=other_team, received_at=at(datetime.date(2026, 1, 5)), source=Source.GP)
    table = figures.referrals_by_source(scope_for(team))
    rows = {row[0]: row[1] for row in table.rows}
    assert rows["GP"] == 1 and rows["Self-referral"] == 1 and rows["All sources"] == 2
    assert dict((r[0], r[1]) for r in figures.referrals_by_source(scope_for()).rows)["All sources"] == 3


def test_contact_waits_fall_in_nhs_england_bands(team):
    day = datetime.date(2026, 1, 5)
    accepted(team, day, first=day + datetime.timedelta(days=3), second=day + datetime.timedelta(days=10))
    accepted(team, day, first=day + datetime.timedelta(days=20), second=day + datetime.timedelta(days=100))
    accepted(team, day)
    rows = {row[0]: row for row in figures.contact_waits(scope_for(team)).rows}
    assert rows["Under 1 week"][1] == 1 and rows["2 to 4 weeks"][1] == 1 and rows["Not yet seen"][1] == 1
    assert rows["1 to 2 weeks"][3] == 1 and rows["Over 12 weeks"][3] == 1 and rows["Not yet seen"][3] == 1


def test_four_week_standard_counts_the_outcome_measure_part(team):
    from waypoint.measures.factories import MeasureFactory

    day = datetime.date(2026, 1, 5)
    referral = accepted(
        team,
        day,
        first=day + datetime.timedelta(days=3),
        first_assessment_at=at(day + datetime.timedelta(days=3)),
    )
    PlanRevisionFactory(
        plan=PlanFactory(person=referral.person, team=team),
        agreed=True,
        agreed_on=day + datetime.timedelta(days=5),
    )
    rows = {row[0]: row for row in figures.four_week_standard(scope_for(team)).rows}
    assert rows["First baseline outcome measure"][1] == 0
    assert rows["Clock stopped within 28 days (every part)"][1] == 0
    MeasureFactory(
        person=referral.person,
        recorded_by=referral.recorded_by,
        completed_on=day + datetime.timedelta(days=6),
    )
    rows = {row[0]: row for row in figures.four_week_standard(scope_for(team)).rows}
    assert rows["First baseline outcome measure"][1] == 1
    assert rows["Clock stopped within 28 days (every part)"][1] == 1


def _every_part(team, day, plan_after, person=None, **kwargs):
    from waypoint.measures.factories import MeasureFactory

    referral = accepted(
        team,
        day,
        first=day + datetime.timedelta(days=3),
        first_assessment_at=at(day + datetime.timedelta(days=3)),
        **({"person": person} if person else {}),
        **kwargs,
    )
    MeasureFactory(person=referral.person, completed_on=day + datetime.timedelta(days=4))
    PlanRevisionFactory(
        plan=PlanFactory(person=referral.person, team=team),
        agreed=True,
        agreed_on=day + datetime.timedelta(days=plan_after),
    )
    return referral


def test_four_week_standard_counts_every_part_when_each_is_recorded(team):
    day = datetime.date(2026, 1, 5)
    _every_part(team, day, 20)
    late = _every_part(team, day, 40)
    rows = {row[0]: row for row in figures.four_week_standard(scope_for(team)).rows}
    assert rows["First agreed care plan or coded intervention"][1] == 1
    assert rows["Clock stopped within 28 days (every part)"][1:] == [1, "50.0%"]
    # A coded intervention before the late plan stops that clock in time too (the earlier counts).
    from waypoint.contacts.factories import CodedInterventionFactory

    CodedInterventionFactory(person=late.person, team=team, date=day + datetime.timedelta(days=10))
    rows = {row[0]: row for row in figures.four_week_standard(scope_for(team)).rows}
    assert rows["First agreed care plan or coded intervention"][1] == 2
    assert rows["Clock stopped within 28 days (every part)"][1:] == [2, "100.0%"]


# The report uses the waiting list's and the team page's clock (measures/four_week.py), written
# from NHS England's code. Each case: how the second referral relates to the first (all parts
# done by day 4 of the first), the spells counted, the clocks stopped within 28 days, and the
# referrals not counted.
REPORT_CASES = [
    # A second referral 30 days on, in the same spell (the first still open): one spell, in time.
    ("a second referral in the spell is counted once", "same spell", 1, 1, 0),
    # A person under 18 when referred is not in NHS England's standard.
    ("under 18 when referred: not counted", "under 18", 1, 1, 1),
    # A crisis team is not in NHS England's list of team types.
    ("a crisis team: not counted", "crisis", 1, 1, 1),
]


@pytest.mark.parametrize(
    ("name", "second", "spells", "stopped", "not_counted"), REPORT_CASES, ids=[c[0] for c in REPORT_CASES]
)
def test_four_week_standard_is_the_same_clock_as_the_pages(team, name, second, spells, stopped, not_counted):
    from waypoint.accounts.factories import TeamFactory
    from waypoint.accounts.models import TeamType
    from waypoint.patients.factories import PersonFactory

    day = datetime.date(2026, 1, 5)
    first = _every_part(team, day, 5)
    if second == "same spell":
        accepted(team, day + datetime.timedelta(days=30), person=first.person)
    elif second == "under 18":
        _every_part(team, day, 5, person=PersonFactory(date_of_birth=datetime.date(2009, 1, 6)))
    else:
        crisis = TeamFactory(name="Crisis team", team_type=TeamType.CRISIS)
        _every_part(crisis, day, 5)
    table = figures.four_week_standard(scope_for())
    rows = {row[0]: row for row in table.rows}
    assert rows["Clock stopped within 28 days (every part)"][1] == stopped
    assert table.notes[0].startswith(f"Of {spells} spell of care")
    assert any(f"{not_counted} referral not counted" in n for n in table.notes) == bool(not_counted)


def test_waiting_list_over_time_counts_those_not_yet_seen(team):
    accepted(team, datetime.date(2026, 1, 2), first=datetime.date(2026, 2, 10))
    accepted(team, datetime.date(2026, 1, 2))
    rows = dict(figures.waiting_list_over_time(scope_for(team)).rows)
    assert rows["2026-01-07"] == 2
    assert rows["2026-03-31"] == 1


def test_caseloads_count_and_weight(team):
    worker = make_staff(team=team, first_name="Wendy", last_name="Worker")
    for weight in (1, 3):
        CoordinatorAllocationFactory(
            worker=worker, weight=weight, episode__team=team, started_at=at(datetime.date(2025, 6, 1))
        )
    rows = figures.caseloads(scope_for(team)).rows
    assert rows == [["Wendy Worker", team.name, 2, 4]]


def test_contacts_by_month_with_did_not_attend_rate(team):
    for attendance in (
        Attendance.ATTENDED,
        Attendance.DID_NOT_ATTEND,
        Attendance.CANCELLED_BY_PERSON,
        Attendance.ATTENDED,
    ):
        ContactFactory(
            team=team, date=datetime.date(2026, 2, 3), attendance=attendance, mechanism=Mechanism.FACE_TO_FACE
        )
    rows = figures.contacts_by_month(scope_for(team)).rows
    assert rows == [["February 2026", "Face to face", 4, 2, 1, "25.0%", 1, "25.0%"]]


def test_care_plans_and_carers(team):
    with_plan = TeamRegistrationFactory(team=team, started_on=datetime.date(2025, 1, 1)).person
    TeamRegistrationFactory(team=team, started_on=datetime.date(2025, 1, 1))
    PlanRevisionFactory(
        plan=PlanFactory(person=with_plan, team=team), agreed=True, agreed_on=datetime.date(2026, 2, 1)
    )
    CarerFactory(person=with_plan, carer_assessment=CarerAssessmentStatus.OFFERED)
    CarerFactory(person=with_plan)
    plans = {row[0]: row[1] for row in figures.care_plans(scope_for(team)).rows}
    assert plans["On the team's books"] == 2 and plans["Agreed or reviewed in the last 12 months"] == 1
    carers = {row[0]: row[1] for row in figures.carers(scope_for(team)).rows}
    assert carers["Carers identified"] == 2 and carers["People with a carer identified"] == 1
    assert carers["Assessment offered (offered, declined or completed)"] == 1


def test_care_plans_counts_each_combination_once(team):
    """Old plan and a review this year counts as current; old plan alone as agreed only."""
    from waypoint.reviews.factories import HeldReviewFactory

    def registered():
        return TeamRegistrationFactory(team=team, started_on=datetime.date(2020, 1, 1)).person

    reviewed, old_only, recent = registered(), registered(), registered()
    registered()  # no plan at all
    for person, agreed_on in ((reviewed, datetime.date(2024, 6, 1)), (old_only, datetime.date(2024, 6, 1))):
        PlanRevisionFactory(plan=PlanFactory(person=person, team=team), agreed=True, agreed_on=agreed_on)
    PlanRevisionFactory(
        plan=PlanFactory(person=recent, team=team), agreed=True, agreed_on=datetime.date(2026, 3, 1)
    )
    HeldReviewFactory(person=reviewed, team=team, scheduled_for=datetime.date(2026, 2, 2))
    HeldReviewFactory(person=old_only, scheduled_for=datetime.date(2026, 2, 2))  # another team's review
    plans = {row[0]: row[1] for row in figures.care_plans(scope_for(team)).rows}
    assert plans == {
        "On the team's books": 4,
        "With an agreed care plan": 3,
        "Care plan agreed in the last 12 months": 1,
        "Care plan reviewed in the last 12 months": 1,
        "Agreed or reviewed in the last 12 months": 2,
    }


def test_disengagement_counts_people_with_an_alert(team):
    person = TeamRegistrationFactory(team=team, started_on=datetime.date(2025, 1, 1)).person
    for day in (datetime.date(2026, 3, 1), datetime.date(2026, 3, 8)):
        ContactFactory(person=person, team=team, date=day, attendance=Attendance.DID_NOT_ATTEND)
    rows = figures.disengagement(scope_for(team)).rows
    assert rows[0][:3] == [team.name, 1, 1]


def _build(team, n):
    for i in range(n):
        day = datetime.date(2026, 1, 5) + datetime.timedelta(days=i)
        referral = accepted(team, day, first=day + datetime.timedelta(days=5))
        TeamRegistrationFactory(person=referral.person, team=team, started_on=datetime.date(2025, 1, 1))
        ContactFactory(person=referral.person, team=team, date=day)
        CoordinatorAllocationFactory(episode__team=team, episode__person=referral.person, started_at=at(day))
        CarerFactory(person=referral.person)


@pytest.mark.parametrize("size", [2, 8])
def test_every_report_runs_a_fixed_number_of_queries(
    team, manager, client, size, django_assert_max_num_queries
):
    _build(team, size)
    client.force_login(manager)
    for one in registry.reports():
        with django_assert_max_num_queries(
            18
        ):  # the page (session, user, roles, teams, audit) + the report (at most 6)
            response = client.get(reverse("reports:report", kwargs={"key": one.key}))
        assert response.status_code == 200, one.key


def test_report_queries_do_not_grow_with_rows(team, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = {}
    for size in (1, 6):
        _build(team, size if not counts else size - 1)
        for one in registry.reports():
            with CaptureQueriesContext(connection) as ctx:
                one.compute(scope_for(team))
            counts.setdefault(one.key, []).append(len(ctx.captured_queries))
    grown = {key: c for key, c in counts.items() if c[0] != c[1]}
    assert not grown, grown


def test_care_coordinator_cannot_see_reports(coordinator_client):
    assert coordinator_client.get(reverse("reports:index")).status_code == 404
    assert coordinator_client.get(reverse("reports:report", kwargs={"key": "caseloads"})).status_code == 404


def test_team_manager_sees_only_their_teams(client, manager, team, other_team):
    client.force_login(manager)
    response = client.get(reverse("reports:index"))
    assert response.status_code == 200
    assert "Whole service" not in response.content.decode()
    bad = client.get(reverse("reports:report", kwargs={"key": "caseloads"}), {"team": other_team.pk})
    assert bad.status_code == 200 and other_team.name not in bad.content.decode().split("<h1")[0]


def test_analyst_sees_the_whole_service_and_reading_is_audited(client, analyst, team):
    client.force_login(analyst)
    response = client.get(reverse("reports:report", kwargs={"key": "referrals_by_source"}))
    assert response.status_code == 200 and "Whole service" in response.content.decode()
    assert '<svg class="waypoint-chart__svg"' in response.content.decode()  # the chart, with its table
    event = AuditEvent.objects.get(record_type=RecordType.SERVICE_REPORT)
    assert event.user == analyst and event.action == Action.VIEW and event.record_id == "referrals_by_source"


def test_csv_download_is_audited_as_an_export(client, analyst, team):
    ReferralFactory(team=team, received_at=at(datetime.date(2026, 1, 5)), source=Source.GP)
    client.force_login(analyst)
    query = {
        "team": "all",
        "start_day": "1",
        "start_month": "1",
        "start_year": "2026",
        "end_day": "31",
        "end_month": "3",
        "end_year": "2026",
    }
    response = client.get(reverse("reports:report_csv", kwargs={"key": "referrals_by_source"}), query)
    body = response.content.decode()
    assert response["Content-Type"].startswith("text/csv")
    assert "Source of referral,Referrals,Share" in body and "GP,1,100.0%" in body
    assert AuditEvent.objects.filter(record_type=RecordType.SERVICE_REPORT, action=Action.EXPORT).count() == 1


def test_bad_dates_keep_what_was_typed_and_say_why(client, analyst):
    client.force_login(analyst)
    query = {
        "team": "all",
        "start_day": "1",
        "start_month": "5",
        "start_year": "2026",
        "end_day": "1",
        "end_month": "1",
        "end_year": "2026",
    }
    body = client.get(reverse("reports:index"), query).content.decode()
    assert "The end date must be the same as or after the start date" in body


def test_unknown_report_is_404(client, analyst):
    client.force_login(analyst)
    assert client.get(reverse("reports:report", kwargs={"key": "nope"})).status_code == 404


def test_disengagement_report_agrees_with_engagement(team):
    """The report writes the contacts module's rule in SQL: on the same people, today, both agree."""
    from waypoint.contacts.engagement import engagement_for
    from waypoint.contacts.factories import ContactFrequencyFactory, DisengagementStepTakenFactory
    from waypoint.contacts.models import Mechanism

    today = timezone.localdate()
    days = datetime.timedelta

    def person():
        return TeamRegistrationFactory(team=team, started_on=today - days(400)).person

    seen = person()  # seen last week: engaged
    ContactFactory(person=seen, team=team, date=today - days(7))
    gone_quiet = person()  # last face to face 40 days ago (team default 28): disengaged
    ContactFactory(person=gone_quiet, team=team, date=today - days(40))
    ContactFactory(person=gone_quiet, team=team, date=today - days(10), mechanism=Mechanism.TELEPHONE)
    weekly = person()  # set weekly; seen 10 days ago: disengaged
    ContactFrequencyFactory(person=weekly, team=team, every_days=7)
    ContactFactory(person=weekly, team=team, date=today - days(10))
    two_missed = person()  # attended then missed twice: disengaged, with every step taken
    ContactFactory(person=two_missed, team=team, date=today - days(20))
    for ago in (14, 7):
        ContactFactory(
            person=two_missed, team=team, date=today - days(ago), attendance=Attendance.DID_NOT_ATTEND
        )
    for number in (1, 2, 3, 4):
        DisengagementStepTakenFactory(
            person=two_missed, team=team, step_number=number, taken_on=today - days(5)
        )
    missed_then_seen = person()  # missed twice, then attended: engaged
    for ago in (20, 14):
        ContactFactory(
            person=missed_then_seen, team=team, date=today - days(ago), attendance=Attendance.DID_NOT_ATTEND
        )
    ContactFactory(person=missed_then_seen, team=team, date=today - days(3))
    never_seen_missed = person()  # no attended contact, two missed: disengaged
    for ago in (9, 2):
        ContactFactory(
            person=never_seen_missed,
            team=team,
            date=today - days(ago),
            attendance=Attendance.CANCELLED_BY_PERSON,
        )
    person()  # nothing recorded: not disengaged by either rule

    people = list(TeamRegistration.objects.filter(team=team).values_list("person_id", flat=True))
    engagement = engagement_for(people, today=today)
    expected_disengaged = sum(1 for pk in people if engagement[pk].disengaged)
    expected_all_steps = sum(1 for pk in people if engagement[pk].all_steps_taken)
    assert (expected_disengaged, expected_all_steps) == (4, 1)
    rows = figures.disengagement(registry.Scope((team.pk,), today - days(30), today)).rows
    assert rows == [[team.name, 7, expected_disengaged, "57.1%", expected_all_steps]]


def _two_missed(team, family_name):
    person = TeamRegistrationFactory(
        team=team, started_on=datetime.date(2025, 1, 1), person__family_name=family_name
    ).person
    for day in (datetime.date(2026, 3, 1), datetime.date(2026, 3, 8)):
        ContactFactory(person=person, team=team, date=day, attendance=Attendance.DID_NOT_ATTEND)
    return person


PERIOD = {
    "start_day": "1",
    "start_month": "1",
    "start_year": "2026",
    "end_day": "31",
    "end_month": "3",
    "end_year": "2026",
}


def test_drill_down_names_only_the_people_the_reader_works_with(client, manager, team):
    _two_missed(team, "Drilldown")
    client.force_login(manager)
    url = reverse("reports:report_people", kwargs={"key": "disengagement"})
    body = client.get(url, {"team": team.pk, **PERIOD}).content.decode()
    assert "DRILLDOWN" in body and "1 person in all" in body
    event = AuditEvent.objects.get(record_type=RecordType.SERVICE_REPORT)
    assert event.user == manager and event.record_id == "disengagement:people"
    report_page = client.get(reverse("reports:report", kwargs={"key": "disengagement"}), {"team": team.pk})
    assert url in report_page.content.decode()  # the report links to its drill-down


def test_drill_down_counts_but_does_not_name_people_without_a_relationship(client, analyst, team):
    _two_missed(team, "Unseen")
    client.force_login(analyst)
    response = client.get(
        reverse("reports:report_people", kwargs={"key": "disengagement"}), {"team": "all", **PERIOD}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "UNSEEN" not in body and "1 person in all" in body and "no one is named here" in body


def test_drill_down_is_404_where_a_report_has_none(client, analyst):
    client.force_login(analyst)
    assert client.get(reverse("reports:report_people", kwargs={"key": "caseloads"})).status_code == 404


def test_a_care_coordinator_gets_404_for_a_drill_down(coordinator_client):
    url = reverse("reports:report_people", kwargs={"key": "disengagement"})
    assert coordinator_client.get(url).status_code == 404


@pytest.mark.parametrize("size", [1, 6])
def test_drill_down_queries_do_not_grow_with_people(
    client, manager, team, size, django_assert_max_num_queries
):
    for i in range(size):
        _two_missed(team, f"Person{i}")
    client.force_login(manager)
    client.get(reverse("reports:index"))  # warm-up (session)
    for one in registry.reports():
        if one.people is None:
            continue
        with django_assert_max_num_queries(16):
            response = client.get(
                reverse("reports:report_people", kwargs={"key": one.key}), {"team": team.pk, **PERIOD}
            )
        assert response.status_code == 200, one.key
