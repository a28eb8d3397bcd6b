"""The audit table refuses UPDATE and DELETE in the database itself (PostgreSQL and SQLite)."""

import pytest
from django.db import DatabaseError, connection, transaction

from waypoint.access.actor import Actor
from waypoint.audit import services as audit
from waypoint.audit.models import AuditEvent, RecordType


@pytest.fixture
def event(coordinator, person):
    return audit.write(
        Actor(coordinator, basis="team"), person=person, action="view", record_type=RecordType.PERSON
    )


@pytest.mark.django_db
class TestTriggers:
    def test_triggers_exist(self):
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                cursor.execute(
                    "SELECT name FROM sqlite_master WHERE type='trigger' AND tbl_name='audit_auditevent'"
                )
            else:
                cursor.execute(
                    "SELECT tgname FROM pg_trigger WHERE tgrelid = 'audit_auditevent'::regclass AND NOT tgisinternal"
                )
            names = {row[0] for row in cursor.fetchall()}
        assert names == {"audit_refuse_update", "audit_refuse_delete"}

    def test_orm_update_is_refused(self, event):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            AuditEvent.objects.filter(pk=event.pk).update(action="update")
        event.refresh_from_db()
        assert event.action == "view"

    def test_orm_delete_is_refused(self, event):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            AuditEvent.objects.filter(pk=event.pk).delete()
        assert AuditEvent.objects.filter(pk=event.pk).exists()

    def test_raw_sql_update_is_refused(self, event):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute("UPDATE audit_auditevent SET basis = 'break_glass' WHERE id = %s", [event.pk])

    def test_raw_sql_delete_is_refused(self, event):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [event.pk])

    def test_insert_still_works(self, event, coordinator, person):
        audit.write(
            Actor(coordinator, basis="team"), person=person, action="update", record_type=RecordType.PERSON
        )
        assert AuditEvent.objects.count() == 2


@pytest.mark.django_db
def test_audit_row_is_written_in_the_same_transaction_as_the_change(coordinator, person):
    """If the change rolls back, its audit row goes with it (and vice versa)."""
    from waypoint.patients import services

    with pytest.raises(RuntimeError), transaction.atomic():
        services.add_alert(
            by=Actor(coordinator, basis="team"),
            person=person,
            data={"category": "other", "summary": "X"},
        )
        raise RuntimeError("roll back")
    assert not AuditEvent.objects.filter(record_type="alert").exists()
    assert not person.alerts.exists()


@pytest.mark.django_db(transaction=True)
def test_triggers_still_exist_in_a_transactional_test():
    """Runs with the database as other transactional tests (and the browser tests) leave it."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT count(*) FROM sqlite_master WHERE type='trigger' AND tbl_name='audit_auditevent'"
            )
        else:
            cursor.execute(
                "SELECT count(*) FROM pg_trigger WHERE tgrelid = 'audit_auditevent'::regclass AND NOT tgisinternal"
            )
        assert cursor.fetchone()[0] == 2
