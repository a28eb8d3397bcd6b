"""In the database itself: a recorded depot administration (given, missed or refused), a physical
health check, its measurements and flags, the actions on flags and the entered-in-error records
are never changed. Corrections are new rows (entered in error with a reason).

UPDATE triggers only (no DELETE trigger), as in assessments 0002: deletion is not offered anywhere,
every foreign key is PROTECT, and the test runner empties tables with DELETE after browser tests
on SQLite. On SQLite a migration that rebuilds one of these tables drops its trigger:
`apps.ensure_sqlite_triggers` re-creates them after every migrate (IF NOT EXISTS).
"""

from django.db import migrations

READ_ONLY_TABLES = {
    "medicines_depotadministration": "a recorded depot administration is read-only",
    "medicines_administrationenteredinerror": "an entered-in-error record never changes",
    "medicines_physicalhealthcheck": "a recorded physical health check is read-only",
    "medicines_measurement": "a recorded measurement is read-only",
    "medicines_healthflag": "a physical health flag never changes",
    "medicines_flagaction": "a recorded action never changes",
    "medicines_checkenteredinerror": "an entered-in-error record never changes",
}

POSTGRESQL_FORWARD = """
CREATE OR REPLACE FUNCTION waypoint_medicines_refuse_change() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION USING MESSAGE = TG_ARGV[0];
END;
$$ LANGUAGE plpgsql;
""" + "".join(
    f"CREATE TRIGGER {table}_refuse_update BEFORE UPDATE ON {table} FOR EACH ROW "
    f"EXECUTE FUNCTION waypoint_medicines_refuse_change('{message}');\n"
    for table, message in READ_ONLY_TABLES.items()
)
POSTGRESQL_REVERSE = (
    "".join(f"DROP TRIGGER IF EXISTS {table}_refuse_update ON {table};\n" for table in READ_ONLY_TABLES)
    + "DROP FUNCTION IF EXISTS waypoint_medicines_refuse_change();\n"
)
SQLITE_FORWARD = [
    f"CREATE TRIGGER IF NOT EXISTS {table}_refuse_update BEFORE UPDATE ON {table} "
    f"BEGIN SELECT RAISE(ABORT, '{message}'); END;"
    for table, message in READ_ONLY_TABLES.items()
]
SQLITE_REVERSE = [f"DROP TRIGGER IF EXISTS {table}_refuse_update;" for table in READ_ONLY_TABLES]


def create_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRESQL_FORWARD)
    elif vendor == "sqlite":
        for statement in SQLITE_FORWARD:
            schema_editor.execute(statement)


def drop_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRESQL_REVERSE)
    elif vendor == "sqlite":
        for statement in SQLITE_REVERSE:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("medicines", "0001_initial")]
    operations = [migrations.RunPython(create_triggers, drop_triggers)]
