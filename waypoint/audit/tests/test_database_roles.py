"""Hazard H3: the audit trail and signed records are safe from Waypoint's own database role.

On PostgreSQL, a session fixture makes the owner and application roles on this worker's test
database (named after it, so pytest-xdist workers never share or race for a role) with the same
code `manage.py database_roles setup` runs, and each test connects as the application role with
psycopg to prove one refusal. The suite itself keeps connecting as the superuser that creates and
flushes the test database. On SQLite (no roles) only the configuration and the no-op are tested.
"""

import re

import psycopg
import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone
from psycopg import errors

from waypoint.audit import dbroles
from waypoint.audit.management.commands.database_roles import demo_url
from waypoint.audit.models import AuditEvent
from waypoint.config.env import env_postgres_role_url
from waypoint.notes.factories import AddendumFactory, NoteFactory, SignedNoteFactory
from waypoint.notes.models import Note

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="database roles are PostgreSQL's"
)
PASSWORD = "synthetic-test-role-password"
TABLES_WITH_TRIGGERS = [
    "audit_auditevent",
    "notes_note",
    "notes_addendum",
    "plans_planrevision",
    "assessments_assessment",
    "assessments_assessmentrevision",
]
ERROR_COLUMNS = {"entered_in_error_at", "entered_in_error_by_id", "entered_in_error_reason"}


@pytest.fixture(scope="session")
def roles(django_db_setup, django_db_blocker):
    """(owner, app) role names for this test database, set up once per worker, committed."""
    if connection.vendor != "postgresql":
        pytest.skip("database roles are PostgreSQL's")
    with django_db_blocker.unblock():
        base = re.sub(r"[^a-z0-9_]", "_", connection.settings_dict["NAME"].lower())[:50]
        owner, app = f"{base}_owner", f"{base}_app"
        connection.ensure_connection()
        dbroles.setup_roles(
            connection.connection, owner=owner, owner_password=PASSWORD, app=app, app_password=PASSWORD
        )
    return owner, app


def connect_as(role):
    settings = connection.settings_dict
    return psycopg.connect(
        host=settings["HOST"] or None,
        port=settings["PORT"] or None,
        dbname=settings["NAME"],
        user=role,
        password=PASSWORD,
        autocommit=True,
        # A refusal is immediate; if a statement ever waited for the test's own lock, fail, not hang.
        options="-c lock_timeout=5000",
    )


@pytest.fixture
def app_db(roles):
    with connect_as(roles[1]) as conn:
        yield conn


@pytest.fixture
def owner_db(roles):
    with connect_as(roles[0]) as conn:
        yield conn


def run(conn, statement, params=None):
    with conn.cursor() as cursor:
        cursor.execute(statement, params)
        return cursor.fetchall() if cursor.description else cursor.rowcount


def refused(conn, statement, params=None, error=errors.InsufficientPrivilege):
    with pytest.raises(error):
        run(conn, statement, params)


@pytest.fixture
def records(coordinator, person, team):
    """Committed (transactional tests), so the application role's own connection sees them."""
    from waypoint.assessments.factories import AssessmentFactory
    from waypoint.plans.factories import PlanRevisionFactory

    signed = SignedNoteFactory(person=person, author=coordinator, team=team, text="Seen (synthetic).")
    return {
        "event": AuditEvent.objects.create(
            user=coordinator, person=person, action="view", record_type="person", basis="team"
        ),
        "signed": signed,
        "draft": NoteFactory(person=person, author=coordinator, team=team),
        "addendum": AddendumFactory(note=signed),
        "revision": PlanRevisionFactory(plan__person=person, plan__team=team, agreed=True),
        "assessment": AssessmentFactory(person=person, completed=True),
    }


@on_postgresql
@pytest.mark.django_db(transaction=True)
class TestTheApplicationRoleIsRefused:
    def test_truncate(self, app_db, records):
        for table in ["audit_auditevent", "notes_note", "notes_addendum"]:
            refused(app_db, f"TRUNCATE {table} CASCADE")
            assert run(app_db, f"SELECT count(*) FROM {table}")[0][0] >= 1

    def test_update_or_delete_of_the_audit_table(self, app_db, records):
        refused(app_db, "UPDATE audit_auditevent SET path = '' WHERE id = %s", [records["event"].pk])
        refused(app_db, "DELETE FROM audit_auditevent WHERE id = %s", [records["event"].pk])

    def test_deleting_an_agreed_plan_revision(self, app_db, records):
        refused(app_db, "DELETE FROM plans_planrevision WHERE id = %s", [records["revision"].pk])

    def test_deleting_a_completed_assessment_or_changing_a_revision(self, app_db, records):
        refused(app_db, "DELETE FROM assessments_assessment WHERE id = %s", [records["assessment"].pk])
        refused(
            app_db,
            "DELETE FROM assessments_assessmentrevision WHERE assessment_id = %s",
            [records["assessment"].pk],
        )
        refused(
            app_db,
            "UPDATE assessments_assessmentrevision SET answers = '{}' WHERE assessment_id = %s",
            [records["assessment"].pk],
        )

    def test_deleting_a_note_or_changing_an_addendum(self, app_db, records):
        refused(app_db, "DELETE FROM notes_note WHERE id = %s", [records["signed"].pk])
        refused(app_db, "UPDATE notes_addendum SET text = 'x' WHERE id = %s", [records["addendum"].pk])
        refused(app_db, "DELETE FROM notes_addendum WHERE id = %s", [records["addendum"].pk])

    def test_changing_any_column_of_a_signed_note(self, app_db, records, other_team):
        """Every column but the entered-in-error fields (set once): the team and linked contact too.
        One test looping over the columns: each transactional test is slow to flush on PostgreSQL."""
        from waypoint.notes.tests.test_triggers import a_different_value

        signed = records["signed"]
        columns = [f for f in Note._meta.concrete_fields if f.column not in ERROR_COLUMNS]
        assert {"team_id", "contact_id", "text", "person_id"} <= {f.column for f in columns}
        for field in columns:
            value = a_different_value(signed, field, other_team)
            with pytest.raises(errors.RaiseException, match="signed notes are read-only"):
                run(app_db, f"UPDATE notes_note SET {field.column} = %s WHERE id = %s", [value, signed.pk])

    def test_what_the_service_needs_still_works(self, app_db, records, coordinator):
        """The refusals above are about the role, not a broken connection: the service's own writes work."""
        run(
            app_db,
            "INSERT INTO audit_auditevent (occurred_at, user_id, record_type, record_id, action, basis, "
            "break_glass_reason, fields_changed, path) SELECT occurred_at, user_id, record_type, record_id, "
            "action, basis, break_glass_reason, fields_changed, path FROM audit_auditevent WHERE id = %s",
            [records["event"].pk],
        )
        assert run(app_db, "UPDATE notes_note SET text = 'Changed' WHERE id = %s", [records["draft"].pk]) == 1
        assert (
            run(
                app_db,
                "UPDATE notes_note SET entered_in_error_at = %s, entered_in_error_by_id = %s, "
                "entered_in_error_reason = 'Wrong person' WHERE id = %s",
                [timezone.now(), coordinator.pk, records["signed"].pk],
            )
            == 1
        )
        assert dbroles.privileged_role_problems(app_db) == []


@on_postgresql
@pytest.mark.django_db
class TestTheApplicationRoleCannotGetRoundTheTriggers:
    """No data needed, so no transactional flush (slow on PostgreSQL)."""

    def test_the_demo_build_reserves_ids_with_nextval_not_setval(self, app_db):
        """`make demo` on PostgreSQL builds the Trust as the application role (demo/bulk.py)."""
        from waypoint.demo.bulk import RESERVE_IDS_SQL

        ids = [row[0] for row in run(app_db, RESERVE_IDS_SQL, ["patients_person", "id", 3])]
        assert len(ids) == 3 and ids == sorted(ids)
        refused(app_db, "SELECT setval(pg_get_serial_sequence('patients_person', 'id'), 1000000)")

    def test_truncate_on_no_table_at_all(self, app_db):
        truncatable = run(
            app_db,
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') "
            "AND has_table_privilege(current_user, c.oid, 'TRUNCATE')",
        )
        assert truncatable == []

    def test_disabling_a_trigger(self, app_db):
        for table in TABLES_WITH_TRIGGERS:
            refused(app_db, f"ALTER TABLE {table} DISABLE TRIGGER ALL")
            refused(app_db, f"ALTER TABLE {table} DISABLE TRIGGER USER")

    def test_replica_mode_which_skips_triggers(self, app_db):
        refused(app_db, "SET session_replication_role = replica")
        assert run(app_db, "SHOW session_replication_role") == [("origin",)]

    def test_no_delete_on_never_deleted_tables(self, app_db):
        """Every never-deleted table (the legal records of issue 12 among them) refuses the
        application role DELETE by privilege, whatever the triggers do."""
        deletable = run(
            app_db,
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') "
            "AND has_table_privilege(current_user, c.oid, 'DELETE') AND c.relname = ANY(%s)",
            [dbroles.NEVER_DELETED + dbroles.APPEND_ONLY],
        )
        assert deletable == []
        refused(app_db, "DELETE FROM legal_mhaperiod")
        refused(app_db, "DELETE FROM legal_capacityassessment")
        assert run(app_db, "SELECT count(*) FROM legal_mhaperiod")[0][0] >= 0
        assert run(
            app_db,
            "SELECT has_table_privilege(current_user, 'legal_mhaperiod', 'UPDATE'), "
            "has_table_privilege(current_user, 'legal_amhpshift', 'DELETE')",
        ) == [(True, True)]

    def test_dropping_a_trigger_or_replacing_its_function(self, app_db):
        refused(app_db, "DROP TRIGGER audit_refuse_delete ON audit_auditevent")
        refused(
            app_db,
            "CREATE OR REPLACE FUNCTION waypoint_notes_refuse_signed_change() RETURNS trigger AS $$ "
            "BEGIN RETURN NEW; END; $$ LANGUAGE plpgsql",
        )


@on_postgresql
@pytest.mark.django_db
class TestTheStartUpCheck:
    def test_refuses_the_owner(self, owner_db):
        problems = dbroles.privileged_role_problems(owner_db)
        assert any("owns Waypoint's tables" in problem for problem in problems)
        assert any("TRUNCATE" in problem for problem in problems)

    def test_refuses_a_superuser(self, roles):
        if not run(_connected(), "SELECT rolsuper FROM pg_roles WHERE rolname = current_user")[0][0]:
            pytest.skip("the test suite is not connected as a superuser")
        with pytest.raises(ImproperlyConfigured, match="is a PostgreSQL superuser"):
            dbroles.refuse_privileged_role(connection)

    def test_the_application_role_passes(self, app_db):
        assert dbroles.privileged_role_problems(app_db) == []

    @pytest.mark.django_db(transaction=True)  # it closes the connection
    def test_runs_at_start_up_only_when_production_asks(self, roles, settings):
        settings.WAYPOINT_REFUSE_PRIVILEGED_DATABASE_ROLE = False
        dbroles.refuse_privileged_role_at_start_up()
        settings.WAYPOINT_REFUSE_PRIVILEGED_DATABASE_ROLE = True
        with pytest.raises(ImproperlyConfigured, match="Waypoint will not start"):
            dbroles.refuse_privileged_role_at_start_up()

    @pytest.mark.django_db(transaction=True)  # it closes the connection
    def test_the_wsgi_module_runs_it(self, roles, settings):
        import importlib

        import waypoint.config.wsgi as wsgi

        settings.WAYPOINT_REFUSE_PRIVILEGED_DATABASE_ROLE = True
        with pytest.raises(ImproperlyConfigured, match="Waypoint will not start"):
            importlib.reload(wsgi)

    def test_the_deploy_system_check(self, roles):
        found = dbroles.database_role_check(databases=["default"])
        assert found and {error.id for error in found} == {"waypoint.E001"}
        assert dbroles.database_role_check(databases=None) == []

    @pytest.mark.django_db(transaction=True)  # commits, so the application role's connection sees it
    def test_the_setup_command_is_idempotent(self, roles, monkeypatch):
        settings = connection.settings_dict
        for variable, role in (("WAYPOINT_DB_OWNER_URL", roles[0]), ("WAYPOINT_DB_APP_URL", roles[1])):
            monkeypatch.setenv(
                variable,
                f"postgres://{role}:{PASSWORD}@{settings['HOST'] or 'localhost'}:{settings['PORT'] or 5432}/{settings['NAME']}",
            )
        call_command("database_roles", "setup")
        call_command("database_roles", "setup")
        with connect_as(roles[1]) as conn:
            assert dbroles.privileged_role_problems(conn) == []

    def test_the_setup_command_refuses_another_database(self, roles, monkeypatch):
        monkeypatch.setenv("WAYPOINT_DB_OWNER_URL", "postgres://some_owner:pw@localhost/elsewhere")
        monkeypatch.setenv("WAYPOINT_DB_APP_URL", "postgres://some_app:pw@localhost/elsewhere")
        with pytest.raises(CommandError, match="must be the same database"):
            call_command("database_roles", "setup")


def _connected():
    connection.ensure_connection()
    return connection.connection


class TestConfiguration:
    """Everywhere, SQLite included."""

    def test_role_names_are_checked(self):
        for bad in ["", "Robert'); DROP", "pg_monitor", "postgres", "1abc", "a" * 64]:
            with pytest.raises(dbroles.RoleSetupError):
                dbroles.check_role_name(bad)
        assert dbroles.check_role_name("waypoint_app") == "waypoint_app"

    def test_the_audit_table_is_append_only_for_the_application(self):
        assert dbroles.privileges_for("audit_auditevent") == ["SELECT", "INSERT"]
        assert dbroles.privileges_for("notes_addendum") == ["SELECT", "INSERT"]
        assert dbroles.privileges_for("assessments_assessmentrevision") == ["SELECT", "INSERT"]
        assert "DELETE" not in dbroles.privileges_for("plans_planrevision")
        assert "TRUNCATE" not in dbroles.privileges_for("accounts_team")

    def test_legal_records_are_never_deleted(self):
        from django.apps import apps

        legal = {model._meta.db_table for model in apps.get_app_config("legal").get_models()}
        configuration = {"legal_ruleset", "legal_sectionrule", "legal_termrule", "legal_amhpshift"}
        assert configuration <= legal
        for table in legal - configuration:
            assert dbroles.privileges_for(table) == ["SELECT", "INSERT", "UPDATE"], table
        for table in configuration:
            assert "DELETE" in dbroles.privileges_for(table)

    def test_role_urls_are_strict(self, monkeypatch):
        monkeypatch.setenv("WAYPOINT_DB_APP_URL", "sqlite:///x.sqlite3")
        with pytest.raises(ImproperlyConfigured, match="must point at PostgreSQL"):
            env_postgres_role_url("WAYPOINT_DB_APP_URL")
        monkeypatch.setenv("WAYPOINT_DB_APP_URL", "postgres://127.0.0.1/waypoint")
        with pytest.raises(ImproperlyConfigured, match="must name the role"):
            env_postgres_role_url("WAYPOINT_DB_APP_URL")
        monkeypatch.setenv("WAYPOINT_DB_APP_URL", "postgres://waypoint_app:s3cret@db:5433/waypoint")
        config = env_postgres_role_url("WAYPOINT_DB_APP_URL")
        assert (config["USER"], config["PASSWORD"], config["HOST"], config["PORT"]) == (
            "waypoint_app",
            "s3cret",
            "db",
            5433,
        )
        monkeypatch.delenv("WAYPOINT_DB_APP_URL")
        assert env_postgres_role_url("WAYPOINT_DB_APP_URL") is None

    def test_demo_urls_replace_only_the_role(self):
        assert (
            demo_url("postgres://postgres@127.0.0.1:5432/wp", "waypoint_app", "p@ss/word")
            == "postgres://waypoint_app:p%40ss%2Fword@127.0.0.1:5432/wp"
        )

    def test_production_settings_turn_the_check_on(self, monkeypatch):
        import importlib
        import sys

        monkeypatch.setenv("WAYPOINT_SECRET_KEY", "s" * 60)
        monkeypatch.setenv("WAYPOINT_CACHE_URL", "redis://127.0.0.1:6379/15")
        sys.modules.pop("waypoint.config.settings.production", None)
        production = importlib.import_module("waypoint.config.settings.production")
        sys.modules.pop("waypoint.config.settings.production", None)
        assert production.WAYPOINT_REFUSE_PRIVILEGED_DATABASE_ROLE is True

    def test_url_needs_the_variable_outside_the_demo(self, monkeypatch):
        monkeypatch.delenv("WAYPOINT_DB_OWNER_URL", raising=False)
        with pytest.raises(CommandError, match="WAYPOINT_DB_OWNER_URL must be set"):
            call_command("database_roles", "url", "owner")

    @pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite only")
    @pytest.mark.django_db
    def test_sqlite_has_no_roles(self, settings):
        settings.WAYPOINT_REFUSE_PRIVILEGED_DATABASE_ROLE = True
        dbroles.refuse_privileged_role(connection)
        assert dbroles.database_role_check(databases=["default"]) == []
        with pytest.raises(CommandError, match="for PostgreSQL"):
            call_command("database_roles", "setup", "--demo")
