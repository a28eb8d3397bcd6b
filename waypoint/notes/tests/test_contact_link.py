"""Notes linked to care contacts (contacts app): service, pages, access and audit."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from waypoint.access.actor import Actor
from waypoint.audit.models import Action, AuditEvent
from waypoint.contacts.factories import AppointmentFactory, ContactFactory
from waypoint.contacts.models import LocationType, Mechanism
from waypoint.notes import services
from waypoint.notes.factories import SignedNoteFactory
from waypoint.notes.models import Note, NoteType
from waypoint.patients.factories import TeamRegistrationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def contact(person, team, coordinator):
    return ContactFactory(person=person, team=team, recorded_by=coordinator)


@pytest.fixture
def someone_elses_contact(team, coordinator):
    other = TeamRegistrationFactory(team=team).person
    return ContactFactory(person=other, team=team, recorded_by=coordinator)


def page(response):
    assert response.status_code == 200, response.status_code
    return response.content.decode()


class TestService:
    @pytest.mark.parametrize(
        "mechanism, location, expected",
        [
            (Mechanism.FACE_TO_FACE, LocationType.HOME, NoteType.HOME_VISIT),
            (Mechanism.TELEPHONE, LocationType.OTHER, NoteType.TELEPHONE),
            (Mechanism.FACE_TO_FACE, LocationType.CLINIC, NoteType.CONTACT),
            (Mechanism.VIDEO, LocationType.HOME, NoteType.CONTACT),
        ],
    )
    def test_the_kind_of_note_follows_the_contact(self, person, team, mechanism, location, expected):
        contact = ContactFactory.build(person=person, mechanism=mechanism, location_type=location)
        assert services.note_type_for_contact(contact) == expected

    def test_a_note_about_a_contact_takes_its_time_and_is_audited(self, person, coordinator, contact):
        note = services.start_note(
            by=Actor(coordinator, basis="team"),
            person=person,
            note_type=NoteType.HOME_VISIT,
            contact=contact,
        )
        assert note.contact == contact
        assert note.event_at == contact.occurred_at.replace(second=0, microsecond=0)
        event = AuditEvent.objects.get(action=Action.CREATE, record_type="note", record_id=note.pk)
        assert "contact" in event.fields_changed

    def test_a_contact_of_someone_else_is_refused(self, person, coordinator, someone_elses_contact):
        with pytest.raises(services.NotThisPersonsContact):
            services.start_note(
                by=Actor(coordinator, basis="team"),
                person=person,
                note_type=NoteType.CONTACT,
                contact=someone_elses_contact,
            )
        assert not Note.objects.exists()

    def test_the_signed_note_triggers_still_hold_after_the_new_column(self, person, coordinator, contact):
        from django.db import DatabaseError, transaction

        note = SignedNoteFactory(person=person, author=coordinator, contact=contact)
        with pytest.raises(DatabaseError), transaction.atomic():
            Note.objects.filter(pk=note.pk).update(text="Changed (synthetic)")
        with pytest.raises(DatabaseError), transaction.atomic():
            Note.objects.filter(pk=note.pk).delete()


class TestPages:
    def test_write_a_note_from_the_contact_page(self, coordinator_client, person, contact):
        contact_url = reverse("contacts:contact", args=[person.pk, contact.pk])
        html = page(coordinator_client.get(contact_url))
        new_url = reverse("notes:new", args=[person.pk]) + f"?contact={contact.pk}"
        assert "Write a note about this contact" in html and f'href="{new_url}"' in html
        assert "No notes about this contact yet" in html

        html = page(coordinator_client.get(new_url))
        assert 'value="home_visit" checked' in html  # face to face at home: a home visit
        response = coordinator_client.post(new_url, {"note_type": "home_visit"})
        note = Note.objects.get()
        assert response.status_code == 302 and note.contact == contact
        assert note.note_type == NoteType.HOME_VISIT

        html = page(coordinator_client.get(reverse("notes:edit", args=[person.pk, note.pk])))
        assert "About" in html and f'href="{contact_url}"' in html
        html = page(coordinator_client.get(contact_url))
        assert "your draft, not signed yet" in html

    def test_the_signed_note_says_which_contact_it_is_about(
        self, coordinator_client, person, coordinator, contact
    ):
        note = SignedNoteFactory(person=person, author=coordinator, contact=contact)
        html = page(coordinator_client.get(reverse("notes:detail", args=[person.pk, note.pk])))
        contact_url = reverse("contacts:contact", args=[person.pk, contact.pk])
        assert f'About <a href="{contact_url}">the contact on ' in html
        html = page(coordinator_client.get(contact_url))
        assert reverse("notes:detail", args=[person.pk, note.pk]) in html

    def test_a_telephone_contact_suggests_a_telephone_note(
        self, coordinator_client, person, team, coordinator
    ):
        call = ContactFactory(
            person=person, team=team, recorded_by=coordinator, mechanism=Mechanism.TELEPHONE
        )
        html = page(coordinator_client.get(reverse("notes:new", args=[person.pk]) + f"?contact={call.pk}"))
        assert 'value="telephone" checked' in html

    @pytest.mark.parametrize("method", ["get", "post"])
    def test_a_contact_of_another_person_is_404(
        self, coordinator_client, person, someone_elses_contact, method
    ):
        url = reverse("notes:new", args=[person.pk]) + f"?contact={someone_elses_contact.pk}"
        if method == "get":
            response = coordinator_client.get(url)
        else:
            response = coordinator_client.post(url, {"note_type": "contact"})
        assert response.status_code == 404
        assert not Note.objects.exists()

    @pytest.mark.parametrize("value", ["999999", "abc"])
    def test_a_missing_or_bad_contact_is_404(self, coordinator_client, person, value):
        response = coordinator_client.get(reverse("notes:new", args=[person.pk]) + f"?contact={value}")
        assert response.status_code == 404

    def test_an_outsider_cannot_start_a_note_about_the_contact(self, outsider_client, person, contact):
        url = reverse("notes:new", args=[person.pk]) + f"?contact={contact.pk}"
        assert outsider_client.post(url, {"note_type": "contact"}).status_code == 404
        assert not Note.objects.exists()

    def test_recording_an_attended_appointment_offers_the_note(
        self, coordinator_client, person, team, coordinator
    ):
        today = timezone.localdate()
        appointment = AppointmentFactory(person=person, team=team, booked_by=coordinator, date=today)
        url = reverse("contacts:record_appointment", args=[person.pk, appointment.pk])
        response = coordinator_client.post(
            url,
            {
                "attendance": "5",
                "date_day": today.day,
                "date_month": today.month,
                "date_year": today.year,
                "start_time": "10:00",
                "mechanism": "01",
                "location_type": "home",
                "duration_minutes": "45",
                "staff": [coordinator.pk],
                "team": team.pk,
                "activities": ["care_coordination"],
            },
        )
        assert response.status_code == 302, page(response)
        contact = appointment.contacts.get()
        assert response.url == reverse("contacts:contact", args=[person.pk, contact.pk])
        html = page(coordinator_client.get(response.url))
        assert "Contact recorded. You can now write a note about it." in html
        assert "Write a note about this contact" in html

    def test_the_contact_page_has_a_fixed_number_of_queries(
        self, coordinator_client, person, coordinator, contact, django_assert_max_num_queries
    ):
        url = reverse("contacts:contact", args=[person.pk, contact.pk])
        SignedNoteFactory(person=person, author=coordinator, contact=contact)
        coordinator_client.get(url)
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as one:
            page(coordinator_client.get(url))
        for _ in range(5):
            SignedNoteFactory(
                person=person,
                author=coordinator,
                contact=contact,
                event_at=timezone.now() - timedelta(hours=1),
            )
        with CaptureQueriesContext(connection) as six:
            page(coordinator_client.get(url))
        assert len(six) == len(one)


def test_adding_the_contact_column_does_not_rebuild_the_notes_table():
    """SQLite drops a table's triggers when a migration rebuilds it: 0003 must be a plain ADD COLUMN."""
    from django.db import connection, connections
    from django.db.migrations.executor import MigrationExecutor

    # What `sqlmigrate notes 0003` prints, from a connection outside the test's transaction (the
    # SQLite schema editor cannot start inside one).
    fresh = connections.create_connection("default")
    try:
        executor = MigrationExecutor(fresh)
        migration = executor.loader.graph.nodes[("notes", "0003_note_contact")]
        sql = "\n".join(executor.loader.collect_sql([(migration, False)]))
    finally:
        fresh.close()
    assert 'ADD COLUMN "contact_id"' in sql
    assert "new__notes_note" not in sql and "DROP TABLE" not in sql.upper()
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'notes_note'"
            )
            names = {row[0] for row in cursor.fetchall()}
        assert {"notes_note_refuse_delete", "notes_note_refuse_signed_change"} <= names


@pytest.mark.django_db
def test_odd_digits_for_the_contact_are_404_not_a_server_error(coordinator_client, person):
    from django.urls import reverse

    response = coordinator_client.get(reverse("notes:new", args=[person.pk]), {"contact": "²"})
    assert response.status_code == 404
