"""Make the audit table append-only in the database itself, on PostgreSQL and on SQLite."""

from django.db import migrations

TABLE = "audit_auditevent"

POSTGRESQL_FORWARD = f"""
CREATE OR REPLACE FUNCTION waypoint_audit_refuse_change() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION USING MESSAGE = 'audit events are append-only: ' || TG_OP || ' refused';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_refuse_update BEFORE UPDATE ON {TABLE}
  FOR EACH ROW EXECUTE FUNCTION waypoint_audit_refuse_change();
CREATE TRIGGER audit_refuse_delete BEFORE DELETE ON {TABLE}
  FOR EACH ROW EXECUTE FUNCTION waypoint_audit_refuse_change();
"""
POSTGRESQL_REVERSE = f"""
DROP TRIGGER IF EXISTS audit_refuse_update ON {TABLE};
DROP TRIGGER IF EXISTS audit_refuse_delete ON {TABLE};
DROP FUNCTION IF EXISTS waypoint_audit_refuse_change();
"""
SQLITE_FORWARD = [
    f"CREATE TRIGGER IF NOT EXISTS audit_refuse_update BEFORE UPDATE ON {TABLE} "
    "BEGIN SELECT RAISE(ABORT, 'audit events are append-only: UPDATE refused'); END;",
    f"CREATE TRIGGER IF NOT EXISTS audit_refuse_delete BEFORE DELETE ON {TABLE} "
    "BEGIN SELECT RAISE(ABORT, 'audit events are append-only: DELETE refused'); END;",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS audit_refuse_update;",
    "DROP TRIGGER IF EXISTS audit_refuse_delete;",
]


def create_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRESQL_FORWARD)
    elif vendor == "sqlite":
        for statement in SQLITE_FORWARD:
            schema_editor.execute(statement)
    else:
        raise RuntimeError(f"Waypoint cannot protect the audit table on {vendor}.")


def drop_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRESQL_REVERSE)
    elif vendor == "sqlite":
        for statement in SQLITE_REVERSE:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]
    operations = [migrations.RunPython(create_triggers, drop_triggers)]
