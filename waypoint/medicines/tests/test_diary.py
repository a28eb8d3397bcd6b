"""The depot clinic in "My diary" for the nurse who gives it (issue 11): the nurse on the depot
prescription, set on the add page or the "who gives it" page, sees the depots due on each day of
their week (and the overdue ones today) beside their appointments, each linking to record the
injection; only people they may see; a fixed number of queries."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from waypoint.access.policy import Actor
from waypoint.accounts.factories import make_staff
from waypoint.accounts.models import RoleCode
from waypoint.accounts.permissions import PermissionRefused
from waypoint.audit.models import Action, AuditEvent, Basis, RecordType
from waypoint.contacts.selectors import monday_of
from waypoint.medicines import services
from waypoint.medicines.diary import depot_entries
from waypoint.medicines.factories import AdministrationFactory, DepotFactory
from waypoint.medicines.models import DepotPrescription
from waypoint.patients.factories import PersonFactory, TeamRegistrationFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
MONDAY = monday_of(TODAY)
SUNDAY = MONDAY + timedelta(days=6)


def given_days_ago(depot, days):
    return AdministrationFactory(prescription=depot, at=timezone.now() - timedelta(days=days))


def test_a_depot_shows_on_its_due_day_and_overdue_ones_on_today(team, coordinator):
    on_time = DepotFactory(team=team, nurse=coordinator, interval_days=28)
    given_days_ago(on_time, 28 - (SUNDAY - TODAY).days)  # due on Sunday of this week
    late = DepotFactory(team=team, nurse=coordinator, interval_days=14)
    given_days_ago(late, 30)  # due 16 days ago: late
    DepotFactory(team=team, nurse=coordinator, started_on=TODAY + timedelta(days=40))  # not this week
    DepotFactory(team=team, interval_days=14)  # someone else's (no nurse)
    stopped = DepotFactory(team=team, nurse=coordinator, stopped_on=TODAY - timedelta(days=1))
    given_days_ago(stopped, 30)

    entries = {e.person_id: e for e in depot_entries(coordinator, MONDAY, SUNDAY, TODAY)}
    assert set(entries) == {on_time.person_id, late.person_id}
    assert entries[late.person_id].day == TODAY and entries[late.person_id].overdue
    assert "Late: due" in entries[late.person_id].detail
    assert entries[on_time.person_id].day == SUNDAY and not entries[on_time.person_id].overdue
    assert entries[on_time.person_id].url == reverse("medicines:give", args=[on_time.person_id, on_time.pk])
    # Last week: the overdue one is shown on today only, so nothing in a past week.
    assert depot_entries(coordinator, MONDAY - timedelta(days=7), MONDAY - timedelta(days=1), TODAY) == []


def test_the_diary_shows_my_depots_beside_my_appointments(coordinator_client, coordinator, person, team):
    depot = DepotFactory(person=person, team=team, nurse=coordinator, interval_days=14)
    given_days_ago(depot, 20)
    page = coordinator_client.get(reverse("contacts:diary")).content.decode()
    assert "Depot injection: Paliperidone palmitate 100 mg" in page
    assert reverse("medicines:give", args=[person.pk, depot.pk]) in page
    assert person.listing_name in page and "Late" in page
    assert AuditEvent.objects.filter(record_type=RecordType.DIARY, user=coordinator).count() == 1


def test_people_the_nurse_may_not_see_are_left_out(client, outsider, person, team):
    """The nurse is named on a depot of a person not on their team's books: nothing is shown."""
    depot = DepotFactory(person=person, team=team, nurse=outsider, interval_days=14)
    given_days_ago(depot, 20)
    assert depot_entries(outsider, MONDAY, SUNDAY, TODAY)  # the source finds it...
    client.force_login(outsider)
    page = client.get(reverse("contacts:diary")).content.decode()
    assert "Depot injection" not in page and person.listing_name not in page  # ...the diary drops it
    assert reverse("medicines:give", args=[person.pk, depot.pk]) not in page


def test_the_diary_query_count_does_not_grow_with_depots(
    coordinator_client, coordinator, team, django_assert_max_num_queries
):
    def build(count):
        for index in range(count):
            person = PersonFactory()
            TeamRegistrationFactory(person=person, team=team)
            depot = DepotFactory(person=person, team=team, nurse=coordinator, interval_days=14)
            given_days_ago(depot, 10 + index * 3)

    build(2)
    url = reverse("contacts:diary")
    coordinator_client.get(url)
    with CaptureQueriesContext(connection) as few:
        coordinator_client.get(url)
    build(8)
    with django_assert_max_num_queries(len(few)):
        page = coordinator_client.get(url)
    assert page.content.decode().count("Record the injection") >= 5


def test_assign_the_nurse_is_version_checked_permitted_and_audited(team, coordinator, person):
    depot = DepotFactory(person=person, team=team)
    nurse = make_staff(team=team, username="nurse.north", first_name="Nia", last_name="Nurse")
    by = Actor(coordinator, Basis.TEAM)
    services.assign_depot_nurse(by=by, depot=depot, nurse=nurse, version=depot.version)
    depot.refresh_from_db()
    assert depot.nurse == nurse and depot.version == 2
    event = AuditEvent.objects.get(
        record_type=RecordType.DEPOT, action=Action.UPDATE, record_id=str(depot.pk)
    )
    assert event.fields_changed == ["nurse"]
    with pytest.raises(services.StaleRecord):
        services.assign_depot_nurse(by=by, depot=depot, nurse=None, version=1)
    student = make_staff(team=team, roles=[RoleCode.STUDENT], username="student")
    with pytest.raises(PermissionRefused):
        services.assign_depot_nurse(by=Actor(student, Basis.TEAM), depot=depot, nurse=None, version=2)


def test_choose_the_nurse_on_the_page(coordinator_client, coordinator, person, team):
    depot = DepotFactory(person=person, team=team)
    nurse = make_staff(team=team, username="nurse.north", first_name="Nia", last_name="Nurse")
    url = reverse("medicines:depot_nurse", args=[person.pk, depot.pk])
    assert "Nia Nurse" in coordinator_client.get(url).content.decode()
    bad = coordinator_client.post(url, {"version": depot.version, "nurse": "999999"})
    assert bad.status_code == 200
    text = bad.content.decode()
    assert "Error: " in text and "Choose the nurse from the list" in text
    done = coordinator_client.post(url, {"version": depot.version, "nurse": str(nurse.pk)})
    assert done.status_code == 302
    assert DepotPrescription.objects.get(pk=depot.pk).nurse == nurse
    detail = coordinator_client.get(reverse("medicines:depot", args=[person.pk, depot.pk])).content.decode()
    assert "Given by (clinic nurse)" in detail and nurse.display_name in detail
    stale = coordinator_client.post(url, {"version": depot.version, "nurse": ""})
    assert "Someone else changed this record" in stale.content.decode()


def test_choose_the_nurse_when_adding_the_depot(coordinator_client, coordinator, person):
    url = reverse("medicines:add_depot", args=[person.pk])
    start = TODAY + timedelta(days=3)
    response = coordinator_client.post(
        url,
        {
            "drug": "Aripiprazole depot",
            "dose": "400",
            "dose_unit": "mg",
            "interval_days": "28",
            "tolerance_days": "3",
            "route": "Intramuscular",
            "started_on_day": start.day,
            "started_on_month": start.month,
            "started_on_year": start.year,
            "prescriber": "Dr Synthetic",
            "nurse": str(coordinator.pk),
        },
    )
    assert response.status_code == 302
    assert DepotPrescription.objects.get(person=person).nurse == coordinator


def test_the_nurse_page_needs_a_relationship(outsider_client, person, team):
    depot = DepotFactory(person=person, team=team)
    url = reverse("medicines:depot_nurse", args=[person.pk, depot.pk])
    assert outsider_client.get(url).status_code == 404
    assert not AuditEvent.objects.filter(person=person).exists()
