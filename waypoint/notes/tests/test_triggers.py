"""Signed notes are read-only and nothing is deleted, in the database itself (migration 0002).

Run on whichever database the tests use (CI runs SQLite and PostgreSQL): through the ORM and raw SQL.
"""

import importlib

import pytest
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from waypoint.notes.factories import AddendumFactory
from waypoint.notes.models import Addendum, Note

pytestmark = pytest.mark.django_db
triggers = importlib.import_module("waypoint.notes.migrations.0002_signed_notes_read_only_triggers")
every_column = importlib.import_module("waypoint.notes.migrations.0004_signed_notes_every_column")


def refused(action):
    with pytest.raises(DatabaseError), transaction.atomic():
        action()


def raw(sql, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_triggers_exist():
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'notes_%'")
        else:
            cursor.execute("SELECT tgname FROM pg_trigger WHERE tgname LIKE 'notes_%'")
        names = {row[0] for row in cursor.fetchall()}
    assert names == set(triggers.TRIGGER_NAMES)


class TestSignedNote:
    def test_orm_update_of_text_or_event_time_refused(self, signed):
        signed.text = "Rewritten"
        refused(signed.save)
        refused(lambda: Note.objects.filter(pk=signed.pk).update(event_at=timezone.now()))
        refused(lambda: Note.objects.filter(pk=signed.pk).update(status="draft"))
        signed.refresh_from_db()
        assert signed.text == "Seen at home (synthetic)."

    def test_raw_sql_update_refused(self, signed):
        refused(lambda: raw("UPDATE notes_note SET text = %s WHERE id = %s", ["Rewritten", signed.pk]))
        refused(
            lambda: raw(
                "UPDATE notes_note SET signed_by_id = NULL, signed_at = NULL WHERE id = %s", [signed.pk]
            )
        )

    def test_delete_refused(self, signed):
        refused(signed.delete)
        refused(lambda: raw("DELETE FROM notes_note WHERE id = %s", [signed.pk]))
        assert Note.objects.filter(pk=signed.pk).exists()

    def test_saving_unchanged_is_allowed(self, signed):
        signed.save()

    def test_entered_in_error_can_be_set_once(self, signed, coordinator):
        Note.objects.filter(pk=signed.pk).update(
            entered_in_error_at=timezone.now(),
            entered_in_error_by=coordinator,
            entered_in_error_reason="Wrong",
        )
        refused(lambda: Note.objects.filter(pk=signed.pk).update(entered_in_error_reason="Other"))
        refused(lambda: raw("UPDATE notes_note SET entered_in_error_at = NULL WHERE id = %s", [signed.pk]))


def a_different_value(note, field, team):
    """A valid value for `field` that differs from the note's, so only the trigger can refuse it."""
    from waypoint.accounts.factories import UserFactory
    from waypoint.contacts.factories import ContactFactory
    from waypoint.patients.factories import PersonFactory

    current = getattr(note, field.attname)
    if field.primary_key:
        return current + 1000
    if field.is_relation:
        model = field.related_model._meta.label_lower
        if model == "accounts.team":
            return team.pk if current != team.pk else None
        if model == "contacts.contact":
            return ContactFactory(person=note.person).pk
        if model == "patients.person":
            return PersonFactory().pk
        return UserFactory().pk
    if field.attname == "note_type":
        return "other" if current != "other" else "contact"
    if field.attname == "status":
        return "draft"
    if isinstance(current, bool):
        return not current
    if isinstance(current, int):
        return current + 1
    if isinstance(current, str):
        return current + " changed"
    return current + timezone.timedelta(hours=1)


class TestEveryColumnOfASignedNote:
    """Hazard H3: the team, the linked contact and every other column, not only what the note says."""

    def test_the_sqlite_list_names_every_column(self):
        columns = {field.column for field in Note._meta.concrete_fields}
        assert columns == set(every_column.SIGNED_COLUMNS) | set(every_column.ERROR_COLUMNS)

    @pytest.mark.parametrize(
        "name",
        [f.name for f in Note._meta.concrete_fields if f.column not in every_column.ERROR_COLUMNS],
    )
    def test_changing_the_column_is_refused(self, signed, other_team, name):
        field = Note._meta.get_field(name)
        value = a_different_value(signed, field, other_team)
        with pytest.raises(DatabaseError, match="signed notes are read-only"), transaction.atomic():
            Note.objects.filter(pk=signed.pk).update(**{field.attname: value})
        assert getattr(Note.objects.get(pk=signed.pk), field.attname) == getattr(signed, field.attname)

    def test_the_same_change_to_a_draft_is_allowed(self, draft, other_team):
        """The values above are valid: only signing makes them refused."""
        for name in ["team", "contact", "text", "version", "updated_at", "note_type", "person"]:
            field = Note._meta.get_field(name)
            Note.objects.filter(pk=draft.pk).update(
                **{field.attname: a_different_value(draft, field, other_team)}
            )


class TestDraft:
    def test_draft_can_change_but_not_be_deleted(self, draft):
        Note.objects.filter(pk=draft.pk).update(text="Changed", version=2)
        raw("UPDATE notes_note SET text = %s WHERE id = %s", ["Changed again", draft.pk])
        refused(draft.delete)
        refused(lambda: raw("DELETE FROM notes_note WHERE id = %s", [draft.pk]))


class TestAddenda:
    def test_append_only(self, signed):
        addendum = AddendumFactory(note=signed)
        addendum.text = "Rewritten"
        refused(addendum.save)
        refused(lambda: raw("UPDATE notes_addendum SET text = 'x' WHERE id = %s", [addendum.pk]))
        refused(addendum.delete)
        refused(lambda: raw("DELETE FROM notes_addendum WHERE id = %s", [addendum.pk]))
        assert (
            Addendum.objects.get(pk=addendum.pk).text == "Addendum: spoke to the GP afterwards (synthetic)."
        )


@pytest.mark.skipif(connection.vendor != "sqlite", reason="PostgreSQL keeps triggers through table changes")
def test_post_migrate_puts_missing_sqlite_triggers_back():
    from waypoint.notes.apps import ensure_sqlite_triggers

    for statement in triggers.SQLITE_REVERSE:
        raw(statement)
    ensure_sqlite_triggers(sender=None, using="default")
    test_triggers_exist()
    with connection.cursor() as cursor:  # the every-column version (0004), not 0002's
        cursor.execute("SELECT sql FROM sqlite_master WHERE name = 'notes_note_refuse_signed_change'")
        assert "NEW.team_id IS NOT OLD.team_id" in cursor.fetchone()[0]


@pytest.mark.django_db(transaction=True)
def test_triggers_still_exist_in_a_transactional_test():
    """Runs among the transactional tests, after browser tests have dropped them around a flush."""
    test_triggers_exist()
