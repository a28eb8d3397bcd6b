from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from waypoint.notes.factories import AddendumFactory, NoteFactory, SignedNoteFactory
from waypoint.notes.worklist import KIND, unsigned_draft_notes
from waypoint.patients.factories import TeamRegistrationFactory
from waypoint.worklist.registry import Severity, due_for, registered_providers

pytestmark = pytest.mark.django_db


class TestRecordSection:
    def test_latest_three_signed_notes(self, coordinator_client, person, coordinator):
        now = timezone.now()
        notes = [
            SignedNoteFactory(person=person, author=coordinator, event_at=now - timedelta(days=days))
            for days in range(5)
        ]
        draft = NoteFactory(person=person, author=coordinator)
        html = coordinator_client.get(reverse("patients:record_contacts", args=[person.pk])).content.decode()
        section = html[html.index("<h2>Notes</h2>") :]
        shown = [
            reverse("notes:detail", args=[person.pk, note.pk]) + '"' in section for note in [*notes, draft]
        ]
        assert shown == [True, True, True, False, False, False]
        assert "All notes" in section and "Write a note" in section

    def test_fixed_queries(self, coordinator_client, person, coordinator, django_assert_max_num_queries):
        page = reverse("patients:detail", args=[person.pk])
        SignedNoteFactory(person=person, author=coordinator)
        with django_assert_max_num_queries(60) as baseline:
            coordinator_client.get(page)
        for _ in range(6):
            AddendumFactory(note=SignedNoteFactory(person=person, author=coordinator, recorded_late=True))
        with django_assert_max_num_queries(len(baseline.captured_queries)):
            coordinator_client.get(page)


class TestWorklist:
    def test_registered(self):
        assert KIND in registered_providers()

    def test_draft_older_than_a_day_is_due_by_its_author(self, person, coordinator):
        old = NoteFactory(person=person, author=coordinator, created_at=timezone.now() - timedelta(hours=25))
        NoteFactory(person=person, author=coordinator)  # started an hour ago: not due yet
        SignedNoteFactory(person=person, author=coordinator, created_at=timezone.now() - timedelta(days=3))
        items = list(unsigned_draft_notes([person.pk], timezone.localdate()))
        assert len(items) == 1
        (item,) = items
        assert item.what == "Unsigned draft note by Casey Coordinator"
        assert item.severity == Severity.OVERDUE
        assert item.url == reverse("notes:list", args=[person.pk])
        assert old.pk
        assert due_for([person.pk], timezone.localdate())[person.pk][0].kind == KIND

    def test_becomes_due_24_hours_later(self, person, coordinator):
        note = NoteFactory(person=person, author=coordinator)
        with time_machine.travel(note.created_at + timedelta(hours=23), tick=False):
            assert list(unsigned_draft_notes([person.pk], timezone.localdate())) == []
        with time_machine.travel(note.created_at + timedelta(hours=24, minutes=1), tick=False):
            assert len(list(unsigned_draft_notes([person.pk], timezone.localdate()))) == 1

    def test_one_query_for_many_people(self, team, coordinator, django_assert_num_queries):
        people = [TeamRegistrationFactory(team=team).person for _ in range(5)]
        for someone in people:
            NoteFactory(person=someone, author=coordinator, created_at=timezone.now() - timedelta(days=2))
        with django_assert_num_queries(1):
            items = list(unsigned_draft_notes([p.pk for p in people], timezone.localdate()))
        assert len(items) == 5
