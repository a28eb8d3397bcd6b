"""A closed or entered-in-error incident is read-only, and nothing is deleted, in the database
itself (migration 0003), on whichever database the tests use (CI runs SQLite and PostgreSQL)."""

import datetime
import importlib

import pytest
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from waypoint.accounts.factories import UserFactory
from waypoint.incidents.factories import IncidentFactory, IncidentPersonFactory
from waypoint.incidents.models import Incident, IncidentAction, IncidentAddendum, IncidentPerson, Status
from waypoint.patients.factories import PersonFactory

pytestmark = pytest.mark.django_db
triggers = importlib.import_module("waypoint.incidents.migrations.0003_read_only_triggers")


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
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'incidents_%'"
            )
        else:
            cursor.execute("SELECT tgname FROM pg_trigger WHERE tgname LIKE 'incidents_%'")
        return {row[0] for row in cursor.fetchall()}


def test_triggers_exist():
    assert trigger_names() == set(triggers.TRIGGER_NAMES)


def test_the_sqlite_list_names_every_column():
    columns = {field.column for field in Incident._meta.concrete_fields}
    assert columns == set(triggers.COLUMNS) | set(triggers.ERROR_COLUMNS)


def action_for(incident, user):
    return IncidentAction(
        incident=incident,
        what="Fix the mat (synthetic)",
        owner=user,
        due_on=timezone.localdate(),
        added_by=user,
    )


@pytest.fixture
def closed(coordinator):
    incident = IncidentFactory()
    IncidentPersonFactory(incident=incident)
    action_for(incident, coordinator).save()
    Incident.objects.filter(pk=incident.pk).update(
        status=Status.CLOSED,
        findings="Loose mat (synthetic)",
        reviewed_by=coordinator,
        reviewed_at=timezone.now(),
        closed_by=coordinator,
        closed_at=timezone.now(),
    )
    return Incident.objects.get(pk=incident.pk)


def a_different_value(incident, field):
    from waypoint.accounts.factories import TeamFactory

    current = getattr(incident, field.attname)
    if field.primary_key:
        return current + 1000
    if field.is_relation:
        return (
            TeamFactory().pk if field.related_model._meta.label_lower == "accounts.team" else UserFactory().pk
        )
    if field.choices:
        return next(value for value, _ in field.choices if value != current)
    if isinstance(current, int):
        return current + 1
    if isinstance(current, str):
        return current + " changed"
    if current is None:
        return timezone.localdate() if field.get_internal_type() == "DateField" else timezone.now()
    return current - datetime.timedelta(days=1)


class TestClosedIncident:
    @pytest.mark.parametrize(
        "name",
        [f.name for f in Incident._meta.concrete_fields if f.column not in triggers.ERROR_COLUMNS],
    )
    def test_changing_any_column_is_refused(self, closed, name):
        field = Incident._meta.get_field(name)
        value = a_different_value(closed, field)
        with pytest.raises(DatabaseError, match="read-only"), transaction.atomic():
            Incident.objects.filter(pk=closed.pk).update(**{field.attname: value})
        assert getattr(Incident.objects.get(pk=closed.pk), field.attname) == getattr(closed, field.attname)

    def test_it_can_be_marked_entered_in_error_once(self, closed, coordinator):
        Incident.objects.filter(pk=closed.pk).update(
            entered_in_error_at=timezone.now(),
            entered_in_error_by=coordinator,
            entered_in_error_reason="Reported twice (synthetic)",
            version=closed.version + 1,
        )
        refused(lambda: Incident.objects.filter(pk=closed.pk).update(entered_in_error_reason="Other"))
        refused(
            lambda: raw("UPDATE incidents_incident SET entered_in_error_at = NULL WHERE id = %s", [closed.pk])
        )

    def test_nothing_added_to_it(self, closed, coordinator):
        refused(
            lambda: IncidentPerson.objects.create(incident=closed, person=PersonFactory(), role="witness")
        )
        refused(lambda: action_for(closed, coordinator).save())
        refused(lambda: closed.staff_involved.add(coordinator))

    def test_staff_involved_are_not_taken_away(self, coordinator):
        incident = IncidentFactory()
        incident.staff_involved.add(coordinator)
        Incident.objects.filter(pk=incident.pk).update(
            status=Status.CLOSED, reviewed_by=coordinator, closed_by=coordinator
        )
        refused(lambda: incident.staff_involved.remove(coordinator))

    def test_never_deleted(self, closed):
        refused(lambda: raw("DELETE FROM incidents_incident WHERE id = %s", [closed.pk]))
        refused(lambda: raw("DELETE FROM incidents_incidentperson WHERE incident_id = %s", [closed.pk]))
        refused(lambda: raw("DELETE FROM incidents_incidentaction WHERE incident_id = %s", [closed.pk]))
        assert Incident.objects.filter(pk=closed.pk).exists()


class TestOpenIncident:
    def test_an_open_incident_changes_and_takes_actions(self, coordinator):
        incident = IncidentFactory()
        Incident.objects.filter(pk=incident.pk).update(
            status=Status.REVIEWED, findings="x", reviewed_by=coordinator, version=2
        )
        action_for(incident, coordinator).save()
        IncidentPersonFactory(incident=incident)

    def test_people_and_actions_never_change(self, coordinator):
        link = IncidentPersonFactory()
        refused(lambda: IncidentPerson.objects.filter(pk=link.pk).update(role="witness"))
        action = action_for(link.incident, coordinator)
        action.save()
        refused(lambda: IncidentAction.objects.filter(pk=action.pk).update(what="Rewritten"))

    def test_addenda_are_append_only(self, coordinator):
        addendum = IncidentAddendum.objects.create(
            incident=IncidentFactory(), text="Later (synthetic)", written_by=coordinator
        )
        refused(lambda: IncidentAddendum.objects.filter(pk=addendum.pk).update(text="Rewritten"))
        refused(addendum.delete)


@pytest.mark.skipif(connection.vendor != "sqlite", reason="PostgreSQL keeps triggers through table changes")
def test_post_migrate_puts_missing_sqlite_triggers_back():
    from waypoint.incidents.apps import ensure_sqlite_triggers

    for statement in triggers.SQLITE_REVERSE:
        raw(statement)
    assert not trigger_names()
    ensure_sqlite_triggers(sender=None, using="default")
    test_triggers_exist()


@pytest.mark.django_db(transaction=True)
def test_triggers_still_exist_in_a_transactional_test():
    test_triggers_exist()
