"""In the database itself: a recorded outcome measure never changes (corrections are new rows).

UPDATE trigger only (no DELETE trigger): deletion is not offered anywhere, every foreign key is
PROTECT, and the test runner empties tables with DELETE after browser tests on SQLite (the
browser conftest drops and restores every trigger around that). Same pattern as assessments 0002.
"""

from django.db import migrations

MEASURE = "measures_measure"

POSTGRESQL_FORWARD = f"""
CREATE OR REPLACE FUNCTION waypoint_measure_refuse_change() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION USING MESSAGE = TG_ARGV[0];
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER measure_refuse_update BEFORE UPDATE ON {MEASURE}
  FOR EACH ROW EXECUTE FUNCTION waypoint_measure_refuse_change('a recorded outcome measure is read-only');
"""
POSTGRESQL_REVERSE = f"""
DROP TRIGGER IF EXISTS measure_refuse_update ON {MEASURE};
DROP FUNCTION IF EXISTS waypoint_measure_refuse_change();
"""
SQLITE_FORWARD = [
    f"CREATE TRIGGER IF NOT EXISTS measure_refuse_update BEFORE UPDATE ON {MEASURE} "
    "BEGIN SELECT RAISE(ABORT, 'a recorded outcome measure is read-only'); END;",
]
SQLITE_REVERSE = ["DROP TRIGGER IF EXISTS measure_refuse_update;"]


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
    dependencies = [("measures", "0001_initial")]
    operations = [migrations.RunPython(create_triggers, drop_triggers)]
