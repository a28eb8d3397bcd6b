"""Data quality: each MHSDS rule found, counted per team, listed only for people the reader may see."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from waypoint.accounts.factories import make_staff
from waypoint.accounts.models import RoleCode
from waypoint.audit.models import AuditEvent, RecordType
from waypoint.contacts.factories import ContactFactory
from waypoint.contacts.models import Attendance
from waypoint.patients.factories import PersonFactory, TeamRegistrationFactory
from waypoint.patients.models import EthnicCategory
from waypoint.reports import quality, registry

START, END = datetime.date(2026, 1, 1), datetime.date(2026, 3, 31)


def registered(team, **person):
    defaults = {"ethnicity": EthnicCategory.WHITE_BRITISH}
    return TeamRegistrationFactory(
        team=team, person=PersonFactory(**(defaults | person)), started_on=datetime.date(2025, 1, 1)
    ).person


@pytest.fixture
def records_officer(team):
    return make_staff(team=team, roles=[RoleCode.RECORDS_OFFICER], username="records.north")


def test_each_rule_is_found(team):
    registered(team, nhs_number=None)
    registered(team, nhs_number="9991234567")  # wrong check digit
    registered(team, ethnicity=EthnicCategory.NOT_KNOWN)
    registered(team, gp_practice=None)
    registered(team, postcode="")
    registered(team, postcode="NOT A CODE")
    clean = registered(team)
    ContactFactory(person=clean, team=team, date=datetime.date(2026, 2, 1), duration_minutes=None)
    ContactFactory(
        person=clean, team=team, date=datetime.date(2026, 2, 2), attendance=Attendance.DID_NOT_ATTEND
    )
    found = quality.problems(registry.Scope((team.pk,), START, END))
    rules = sorted(p.rule for p in found)
    assert rules == sorted(
        [
            "nhs_number_missing",
            "nhs_number_invalid",
            "ethnicity_missing",
            "gp_missing",
            "postcode_missing",
            "postcode_invalid",
            "contact_duration",
        ]
    )
    columns, rows = quality.counts_by_team(found)
    assert columns == ["Check", team.name, "Total"]
    assert dict((r[0], r[2]) for r in rows)["Postcode missing"] == 1


def test_list_names_only_people_the_reader_may_see_and_links_to_the_fix(
    client, records_officer, team, other_team
):
    mine = registered(team, postcode="")
    registered(other_team, postcode="")
    analyst = make_staff(roles=[RoleCode.INFORMATION_ANALYST], username="analyst")
    client.force_login(records_officer)
    body = client.get(reverse("reports:data_quality")).content.decode()
    assert mine.given_name in body and reverse("patients:edit", args=[mine.pk]) in body
    assert AuditEvent.objects.filter(record_type=RecordType.DATA_QUALITY, user=records_officer).count() == 1
    client.force_login(analyst)
    body = client.get(reverse("reports:data_quality"), {"team": "all"}).content.decode()
    assert mine.given_name not in body  # counts only: the analyst works with no one
    assert "No records to fix among the people you work with" in body


def test_the_fix_link_opens_the_page_where_it_is_fixed(client, records_officer, team):
    mine = registered(team, postcode="")
    client.force_login(records_officer)
    assert client.get(reverse("patients:edit", args=[mine.pk])).status_code == 200


@pytest.mark.parametrize("size", [1, 6])
def test_data_quality_runs_a_fixed_number_of_queries(
    client, records_officer, team, size, django_assert_max_num_queries
):
    for _ in range(size):
        person = registered(team, postcode="")
        ContactFactory(
            person=person,
            team=team,
            date=timezone.localdate() - datetime.timedelta(days=40),
            duration_minutes=None,
        )
    client.force_login(records_officer)
    with django_assert_max_num_queries(16):
        assert client.get(reverse("reports:data_quality")).status_code == 200


def test_care_coordinator_cannot_see_data_quality(coordinator_client):
    assert coordinator_client.get(reverse("reports:data_quality")).status_code == 404
