"""Engagement: days since face-to-face contact, bands, missed contacts in a row, the next step."""

from datetime import timedelta

import pytest

from waypoint.accounts.factories import TeamFactory
from waypoint.accounts.models import TeamType
from waypoint.contacts.engagement import band_for, engagement_for
from waypoint.contacts.factories import ContactFrequencyFactory, DisengagementStepTakenFactory
from waypoint.contacts.models import Attendance, DisengagementStep, Mechanism
from waypoint.contacts.worklist import engagement_items
from waypoint.patients.factories import TeamRegistrationFactory
from waypoint.worklist.registry import Severity, due_for

from .conftest import TODAY

pytestmark = pytest.mark.django_db

DNA = Attendance.DID_NOT_ATTEND


def days_ago(n):
    return TODAY - timedelta(days=n)


@pytest.mark.parametrize(
    ("days", "band"),
    [
        (0, "0 to 6 days"),
        (6, "0 to 6 days"),
        (7, "7 to 13 days"),
        (13, "7 to 13 days"),
        (14, "14 to 27 days"),
        (27, "14 to 27 days"),
        (28, "28 days or more"),
        (400, "28 days or more"),
        (None, "No face-to-face contact recorded"),
    ],
)
def test_nhs_england_bands(days, band):
    assert band_for(days) == band


def test_days_since_face_to_face_ignores_phone_and_missed_contacts(person, make_contact):
    make_contact(date=days_ago(10))
    make_contact(date=days_ago(3), mechanism=Mechanism.TELEPHONE)
    make_contact(date=days_ago(1), attendance=DNA)
    one = engagement_for([person.pk], TODAY)[person.pk]
    assert one.last_face_to_face == days_ago(10)
    assert one.days_since_face_to_face == 10
    assert one.band == "7 to 13 days"


def test_missed_in_a_row_counts_back_to_the_last_attended(person, make_contact):
    make_contact(date=days_ago(20), attendance=DNA)  # before an attended contact: does not count
    make_contact(date=days_ago(14))
    make_contact(date=days_ago(7), attendance=Attendance.CANCELLED_BY_PERSON)
    make_contact(date=days_ago(5), attendance=Attendance.CANCELLED_BY_SERVICE)  # neither counts nor breaks
    make_contact(date=days_ago(2), attendance=DNA)
    one = engagement_for([person.pk], TODAY)[person.pk]
    assert one.missed_in_a_row == 2
    assert one.disengaged
    assert one.reasons == ["2 missed contacts in a row"]


def test_an_attended_contact_ends_the_run(person, make_contact):
    make_contact(date=days_ago(7), attendance=DNA)
    make_contact(date=days_ago(5), attendance=DNA)
    make_contact(date=days_ago(1), mechanism=Mechanism.TELEPHONE)
    one = engagement_for([person.pk], TODAY)[person.pk]
    assert one.missed_in_a_row == 0
    assert not one.disengaged


def test_entered_in_error_and_corrected_contacts_do_not_count(person, make_contact):
    make_contact(date=days_ago(3), attendance=DNA, is_current=False)
    make_contact(date=days_ago(2), attendance=DNA, is_current=False)
    one = engagement_for([person.pk], TODAY)[person.pk]
    assert one.missed_in_a_row == 0


def test_team_default_frequency_and_interval(person, team, make_contact):
    make_contact(date=days_ago(28))
    one = engagement_for([person.pk], TODAY)[person.pk]
    assert (one.every_days, one.frequency_set, one.team_id) == (28, False, team.pk)
    assert not one.interval_passed
    make_contact(date=days_ago(29), is_current=False)
    assert not engagement_for([person.pk], TODAY)[person.pk].interval_passed


def test_assertive_outreach_defaults_to_weekly(person, make_contact):
    outreach = TeamFactory(name="Outreach", team_type=TeamType.ASSERTIVE_OUTREACH)
    TeamRegistrationFactory(person=person, team=outreach)
    make_contact(date=days_ago(8))
    one = engagement_for([person.pk], TODAY)[person.pk]
    assert (one.every_days, one.team_id) == (7, outreach.pk)
    assert one.disengaged
    assert one.reasons == ["No face-to-face contact for 8 days (expected weekly)"]


def test_frequency_set_for_the_person_wins(person, team, coordinator, make_contact):
    ContactFrequencyFactory(person=person, team=team, every_days=28, set_by=coordinator)
    ContactFrequencyFactory(person=person, team=team, every_days=14, set_by=coordinator)
    make_contact(date=days_ago(15))
    one = engagement_for([person.pk], TODAY)[person.pk]
    assert (one.every_days, one.frequency_set) == (14, True)
    assert one.interval_passed


def test_steps_taken_move_the_alert_to_the_next_step(person, team, coordinator, make_contact):
    make_contact(date=days_ago(20))
    make_contact(date=days_ago(10), attendance=DNA)
    make_contact(date=days_ago(3), attendance=DNA)
    assert engagement_for([person.pk], TODAY)[person.pk].next_step.title == "Phone the person"
    DisengagementStepTakenFactory(person=person, team=team, recorded_by=coordinator, taken_on=days_ago(25))
    assert engagement_for([person.pk], TODAY)[person.pk].next_step.number == 1  # before the last attended
    DisengagementStepTakenFactory(person=person, team=team, recorded_by=coordinator, taken_on=days_ago(2))
    one = engagement_for([person.pk], TODAY)[person.pk]
    assert one.next_step.title == "Visit at home"
    for number, title in ((2, "Visit at home"), (3, "Contact carer or GP"), (4, "Discuss at MDT")):
        DisengagementStepTakenFactory(
            person=person,
            team=team,
            recorded_by=coordinator,
            step_number=number,
            step_title=title,
            taken_on=TODAY,
        )
    one = engagement_for([person.pk], TODAY)[person.pk]
    assert one.next_step is None and one.all_steps_taken


def test_a_team_can_set_its_own_procedure(person, team, make_contact):
    DisengagementStep.objects.create(team=team, number=1, title="Text the person")
    DisengagementStep.objects.create(team=team, number=2, title="Joint visit with the GP")
    make_contact(date=days_ago(3), attendance=DNA)
    make_contact(date=days_ago(2), attendance=DNA)
    one = engagement_for([person.pk], TODAY)[person.pk]
    assert [s.title for s in one.procedure] == ["Text the person", "Joint visit with the GP"]
    assert one.next_step.title == "Text the person"


def test_nobody_needs_no_query(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert engagement_for([], TODAY) == {}


def _people_with_history(team, coordinator, count):
    from waypoint.contacts.factories import ContactFactory

    ids = []
    for _ in range(count):
        person = TeamRegistrationFactory(team=team).person
        ContactFactory(person=person, team=team, recorded_by=coordinator, date=days_ago(40))
        ContactFactory(person=person, team=team, recorded_by=coordinator, date=days_ago(5), attendance=DNA)
        ContactFactory(person=person, team=team, recorded_by=coordinator, date=days_ago(2), attendance=DNA)
        DisengagementStepTakenFactory(person=person, team=team, recorded_by=coordinator, taken_on=days_ago(1))
        ContactFrequencyFactory(person=person, team=team, set_by=coordinator)
        ids.append(person.pk)
    return ids


def test_fixed_number_of_queries_for_1_or_20_people(team, coordinator, django_assert_num_queries):
    one = _people_with_history(team, coordinator, 1)
    twenty = _people_with_history(team, coordinator, 20)
    with django_assert_num_queries(5):
        found = engagement_for(one, TODAY)
    assert found[one[0]].next_step.title == "Visit at home"
    with django_assert_num_queries(5):
        found = engagement_for(twenty, TODAY)
    assert all(e.disengaged and e.missed_in_a_row == 2 for e in found.values())


def test_worklist_provider_items(person, team, coordinator, make_contact):
    make_contact(date=days_ago(40))
    make_contact(date=days_ago(5), attendance=DNA)
    make_contact(date=days_ago(2), attendance=DNA)
    items = engagement_items([person.pk], TODAY)
    assert [item.what for item in items] == [
        "No contact for 40 days",
        "Disengagement: next step — phone the person",
    ]
    assert all(item.severity is Severity.OVERDUE for item in items)
    assert items[0].due == days_ago(12)
    assert "Disengagement: next step — phone the person" in [
        i.what for i in due_for([person.pk], TODAY)[person.pk]
    ]


def test_worklist_provider_is_quiet_for_engaged_people(person, make_contact):
    make_contact(date=days_ago(3))
    assert engagement_items([person.pk], TODAY) == []


def test_worklist_provider_fixed_queries(team, coordinator, django_assert_num_queries):
    ids = _people_with_history(team, coordinator, 20)
    with django_assert_num_queries(5):
        items = engagement_items(ids, TODAY)
    assert len(items) == 40
