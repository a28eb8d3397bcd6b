"""The synthetic Trust's discharged people and their years of history (issue 19)."""

import random

import pytest
from django.db import connection
from django.utils import timezone

from waypoint.accounts.factories import TeamFactory, UserFactory
from waypoint.audit.models import AuditEvent
from waypoint.contacts.models import Attendance, Contact
from waypoint.demo import bulk
from waypoint.demo.history_data import build_access_history, build_history
from waypoint.demo.management.commands.build_demo_trust import current_count, extra_team_names
from waypoint.episodes.models import Discharge, Episode, EpisodeStatus
from waypoint.notes.models import Note, NoteStatus
from waypoint.patients.factories import PersonFactory
from waypoint.patients.models import TeamRegistration


def test_most_of_a_big_trust_is_discharged_and_small_ones_are_not():
    assert current_count(600) == 600  # `make demo` and the tests: everyone current
    assert current_count(2000) == 2000
    assert current_count(250_000) == 2000 + round(248_000 * 0.12)
    assert current_count(250_000) / 250_000 < 0.15


def test_a_big_trust_has_numbered_teams_of_a_real_size():
    assert extra_team_names(current_count(1000)) == []
    names = extra_team_names(current_count(250_000))
    assert len(names) == 24 and names[0] == "Testville CMHT 1"


@pytest.mark.django_db
def test_discharged_people_get_an_ended_episode_contacts_signed_notes_and_audit_rows():
    team = TeamFactory()
    worker = UserFactory()
    people = [PersonFactory() for _ in range(5)]
    counts = build_history(
        people=[(person.pk, team.pk) for person in people],
        team_workers={team.pk: [worker.pk]},
        rng=random.Random(1),
    )
    today = timezone.localdate()
    assert counts["episodes"] == counts["discharges"] == counts["registrations"] == 5
    for person in people:
        episode = Episode.objects.get(person=person)
        assert episode.status == EpisodeStatus.CLOSED and episode.ended_on < today
        assert Discharge.objects.get(episode=episode).discharged_on == episode.ended_on
        registration = TeamRegistration.objects.get(person=person)
        assert registration.ended_on == episode.ended_on
        contacts = Contact.objects.filter(person=person)
        assert contacts.count() >= 2
        assert all(episode.started_on <= c.date <= episode.ended_on for c in contacts)
        assert list(contacts.first().staff.all()) == [worker]
    notes = Note.objects.filter(person__in=people)
    assert notes.count() == counts["notes"] == Contact.objects.filter(attendance=Attendance.ATTENDED).count()
    assert all(note.status == NoteStatus.SIGNED and note.contact_id for note in notes)
    assert AuditEvent.objects.filter(person__in=people).count() == counts["audit"]
    assert counts["audit"] > counts["contacts"]


@pytest.mark.django_db
def test_one_person_gets_ten_thousand_audit_rows_for_the_access_history_benchmark():
    person = PersonFactory()
    users = [UserFactory().pk, UserFactory().pk]
    assert build_access_history(person_id=person.pk, user_ids=users, rows=300) == 300
    rows = AuditEvent.objects.filter(person=person)
    assert rows.count() == 300
    assert rows.order_by("occurred_at").first().occurred_at < timezone.now()


@pytest.mark.django_db
def test_insert_and_update_write_rows_and_give_them_keys():
    team = TeamFactory()
    people = [PersonFactory() for _ in range(3)]
    registrations = bulk.insert([TeamRegistration(person=p, team=team) for p in people])
    assert all(r.pk for r in registrations)
    for registration in registrations:
        registration.ended_on = timezone.localdate()
    bulk.update(registrations, ["ended_on"])
    assert TeamRegistration.objects.filter(ended_on=timezone.localdate()).count() == 3
    if connection.vendor == "postgresql":
        ids = bulk.reserve_ids(TeamRegistration, 4)
        assert len(ids) == 4 and min(ids) > max(r.pk for r in registrations)
