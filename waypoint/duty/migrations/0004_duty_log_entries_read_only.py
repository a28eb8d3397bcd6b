"""In the database itself: an entry in a duty call's log never changes (issue 18, item 10).

UPDATE trigger only, as measures 0002 and assessments 0002: deletion is not offered anywhere, the
foreign keys are PROTECT, and the test runner empties tables with DELETE after browser tests.
"""

from django.db import migrations

TABLE = "duty_dutylogentry"

POSTGRESQL_FORWARD = f"""
CREATE OR REPLACE FUNCTION waypoint_duty_log_refuse_change() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION USING MESSAGE = TG_ARGV[0];
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER duty_log_refuse_update BEFORE UPDATE ON {TABLE}
  FOR EACH ROW EXECUTE FUNCTION waypoint_duty_log_refuse_change('an entry in a duty log is read-only');
"""
POSTGRESQL_REVERSE = f"""
DROP TRIGGER IF EXISTS duty_log_refuse_update ON {TABLE};
DROP FUNCTION IF EXISTS waypoint_duty_log_refuse_change();
"""
SQLITE_FORWARD = [
    f"CREATE TRIGGER IF NOT EXISTS duty_log_refuse_update BEFORE UPDATE ON {TABLE} "
    "BEGIN SELECT RAISE(ABORT, 'an entry in a duty log is read-only'); END;",
]
SQLITE_REVERSE = ["DROP TRIGGER IF EXISTS duty_log_refuse_update;"]


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
    dependencies = [("duty", "0003_duty_log_entry")]
    operations = [migrations.RunPython(create_triggers, drop_triggers)]
