"""A closed or entered-in-error concern is read-only, and nothing is deleted, in the database itself
(migration 0002), on whichever database the tests use (CI runs SQLite and PostgreSQL)."""

import importlib

import pytest
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from waypoint.safeguarding.factories import ConcernAddendumFactory, ConcernFactory
from waypoint.safeguarding.models import Concern, Status

pytestmark = pytest.mark.django_db
triggers = importlib.import_module("waypoint.safeguarding.migrations.0002_read_only_triggers")


def refused(action):
    with pytest.raises(DatabaseError), transaction.atomic():
        action()


def raw(sql, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def trigger_names():
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'safeguarding_%'"
            )
        else:
            cursor.execute("SELECT tgname FROM pg_trigger WHERE tgname LIKE 'safeguarding_%'")
        return {row[0] for row in cursor.fetchall()}


def test_triggers_exist():
    assert trigger_names() == set(triggers.TRIGGER_NAMES)


def test_the_sqlite_list_names_every_column():
    columns = {field.column for field in Concern._meta.concrete_fields}
    assert columns == set(triggers.COLUMNS) | set(triggers.ERROR_COLUMNS)


@pytest.fixture
def closed(coordinator):
    return ConcernFactory(
        status=Status.CLOSED,
        closed_by=coordinator,
        closed_at=timezone.now(),
        closing_summary="Done (synthetic)",
    )


def a_different_value(concern, field):
    from waypoint.accounts.factories import TeamFactory, UserFactory
    from waypoint.patients.factories import PersonFactory

    current = getattr(concern, field.attname)
    if field.primary_key:
        return current + 1000
    if field.is_relation:
        model = field.related_model._meta.label_lower
        if model == "accounts.team":
            return TeamFactory().pk
        if model == "patients.person":
            return PersonFactory().pk
        return UserFactory().pk
    if field.choices:
        return next(value for value, _ in field.choices if value != current)
    if isinstance(current, int):
        return current + 1
    if isinstance(current, str):
        return current + " changed"
    if current is None:
        return timezone.localdate() if field.get_internal_type() == "DateField" else timezone.now()
    return current - timezone.timedelta(days=1)


class TestClosedConcern:
    @pytest.mark.parametrize(
        "name",
        [f.name for f in Concern._meta.concrete_fields if f.column not in triggers.ERROR_COLUMNS],
    )
    def test_changing_any_column_is_refused(self, closed, name):
        field = Concern._meta.get_field(name)
        value = a_different_value(closed, field)
        with pytest.raises(DatabaseError, match="read-only"), transaction.atomic():
            Concern.objects.filter(pk=closed.pk).update(**{field.attname: value})
        assert getattr(Concern.objects.get(pk=closed.pk), field.attname) == getattr(closed, field.attname)

    def test_raw_sql_is_refused_too(self, closed):
        refused(lambda: raw("UPDATE safeguarding_concern SET account = 'x' WHERE id = %s", [closed.pk]))
        refused(lambda: raw("UPDATE safeguarding_concern SET status = 'open' WHERE id = %s", [closed.pk]))

    def test_saving_unchanged_is_allowed(self, closed):
        Concern.objects.get(pk=closed.pk).save()

    def test_it_can_be_marked_entered_in_error_once(self, closed, coordinator):
        Concern.objects.filter(pk=closed.pk).update(
            entered_in_error_at=timezone.now(),
            entered_in_error_by=coordinator,
            entered_in_error_reason="Wrong person (synthetic)",
            version=closed.version + 1,
        )
        refused(lambda: Concern.objects.filter(pk=closed.pk).update(entered_in_error_reason="Other"))
        refused(lambda: Concern.objects.filter(pk=closed.pk).update(version=closed.version + 5))
        refused(
            lambda: raw(
                "UPDATE safeguarding_concern SET entered_in_error_at = NULL WHERE id = %s", [closed.pk]
            )
        )

    def test_never_deleted(self, closed):
        refused(closed.delete)
        refused(lambda: raw("DELETE FROM safeguarding_concern WHERE id = %s", [closed.pk]))
        assert Concern.objects.filter(pk=closed.pk).exists()


class TestOpenConcern:
    def test_an_open_concern_can_change_and_close(self, coordinator):
        concern = ConcernFactory()
        Concern.objects.filter(pk=concern.pk).update(referral_reference="LA-1", version=2)
        Concern.objects.filter(pk=concern.pk).update(
            status=Status.CLOSED, closed_by=coordinator, closed_at=timezone.now(), version=3
        )
        refused(lambda: Concern.objects.filter(pk=concern.pk).update(referral_reference="LA-2"))

    def test_an_open_concern_entered_in_error_is_then_read_only(self, coordinator):
        concern = ConcernFactory()
        Concern.objects.filter(pk=concern.pk).update(
            entered_in_error_at=timezone.now(), entered_in_error_by=coordinator, entered_in_error_reason="x"
        )
        refused(lambda: Concern.objects.filter(pk=concern.pk).update(outcome="Changed"))
        refused(
            lambda: Concern.objects.filter(pk=concern.pk).update(status=Status.CLOSED, closed_by=coordinator)
        )

    def test_an_open_concern_is_never_deleted(self):
        concern = ConcernFactory()
        refused(concern.delete)


def test_addenda_are_append_only():
    addendum = ConcernAddendumFactory()
    addendum.text = "Rewritten"
    refused(addendum.save)
    refused(lambda: raw("UPDATE safeguarding_concernaddendum SET text = 'x' WHERE id = %s", [addendum.pk]))
    refused(addendum.delete)
    assert type(addendum).objects.get(pk=addendum.pk).text == "Her daughter also told us the same (synthetic)"


@pytest.mark.skipif(connection.vendor != "sqlite", reason="PostgreSQL keeps triggers through table changes")
def test_post_migrate_puts_missing_sqlite_triggers_back():
    from waypoint.safeguarding.apps import ensure_sqlite_triggers

    for statement in triggers.SQLITE_REVERSE:
        raw(statement)
    assert not trigger_names()
    ensure_sqlite_triggers(sender=None, using="default")
    test_triggers_exist()


@pytest.mark.django_db(transaction=True)
def test_triggers_still_exist_in_a_transactional_test():
    """Runs among the transactional tests, after browser tests have dropped them around a flush."""
    test_triggers_exist()
