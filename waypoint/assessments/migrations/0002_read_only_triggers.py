"""In the database itself: a completed assessment cannot be changed, and a revision never changes.

UPDATE triggers only (no DELETE trigger): deletion is not offered anywhere, every foreign key is
PROTECT, and the test runner empties tables with DELETE after browser tests on SQLite.
On SQLite a migration that rebuilds either table drops its triggers: re-create them afterwards
(the statements use IF NOT EXISTS and can be reused).
"""

from django.db import migrations

ASSESSMENT = "assessments_assessment"
REVISION = "assessments_assessmentrevision"

POSTGRESQL_FORWARD = f"""
CREATE OR REPLACE FUNCTION waypoint_assessment_refuse_change() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION USING MESSAGE = TG_ARGV[0];
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER assessment_completed_refuse_update BEFORE UPDATE ON {ASSESSMENT}
  FOR EACH ROW WHEN (OLD.status = 'completed')
  EXECUTE FUNCTION waypoint_assessment_refuse_change('a completed assessment is read-only');
CREATE TRIGGER assessment_revision_refuse_update BEFORE UPDATE ON {REVISION}
  FOR EACH ROW EXECUTE FUNCTION waypoint_assessment_refuse_change('assessment revisions never change');
"""
POSTGRESQL_REVERSE = f"""
DROP TRIGGER IF EXISTS assessment_completed_refuse_update ON {ASSESSMENT};
DROP TRIGGER IF EXISTS assessment_revision_refuse_update ON {REVISION};
DROP FUNCTION IF EXISTS waypoint_assessment_refuse_change();
"""
SQLITE_FORWARD = [
    f"CREATE TRIGGER IF NOT EXISTS assessment_completed_refuse_update BEFORE UPDATE ON {ASSESSMENT} "
    "WHEN OLD.status = 'completed' "
    "BEGIN SELECT RAISE(ABORT, 'a completed assessment is read-only'); END;",
    f"CREATE TRIGGER IF NOT EXISTS assessment_revision_refuse_update BEFORE UPDATE ON {REVISION} "
    "BEGIN SELECT RAISE(ABORT, 'assessment revisions never change'); END;",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS assessment_completed_refuse_update;",
    "DROP TRIGGER IF EXISTS assessment_revision_refuse_update;",
]


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
    dependencies = [("assessments", "0001_initial")]
    operations = [migrations.RunPython(create_triggers, drop_triggers)]
