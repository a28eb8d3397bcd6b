"""Agreed plan revisions are read-only in the database too (PostgreSQL and SQLite).

Once a revision is no longer a draft, an UPDATE may only move it from agreed to superseded (and
set `superseded_at`); changing its content, dates, agreement or number is refused. The service
enforces the same rule first, with a clear message; this is the backstop.

SQLite drops a table's triggers when a migration rebuilds the table: a later migration that
alters `plans_planrevision` must run `SQLITE_FORWARD` again.
"""

from django.db import migrations

TABLE = "plans_planrevision"
PROTECTED = [
    "plan_id",
    "number",
    "content",
    "review_on",
    "agreed_on",
    "agreed_with_person",
    "not_agreed_reason",
    "carer_involvement",
    "agreement_recorded_by_id",
    "agreement_recorded_at",
    "created_by_id",
    "created_at",
]


def _changed(operator):
    return " OR ".join(f"NEW.{column} {operator} OLD.{column}" for column in PROTECTED)


CONDITION_PG = (
    f"OLD.status <> 'draft' AND ({_changed('IS DISTINCT FROM')} OR NEW.status = 'draft' "
    "OR (OLD.status = 'superseded' AND NEW.status <> 'superseded'))"
)
CONDITION_SQLITE = (
    f"OLD.status <> 'draft' AND ({_changed('IS NOT')} OR NEW.status = 'draft' "
    "OR (OLD.status = 'superseded' AND NEW.status <> 'superseded'))"
)
POSTGRESQL_FORWARD = f"""
CREATE OR REPLACE FUNCTION waypoint_plan_revision_read_only() RETURNS trigger AS $$
BEGIN
  IF {CONDITION_PG} THEN
    RAISE EXCEPTION USING MESSAGE = 'agreed plan revisions are read-only';
  END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER plan_revision_read_only BEFORE UPDATE ON {TABLE}
  FOR EACH ROW EXECUTE FUNCTION waypoint_plan_revision_read_only();
"""
POSTGRESQL_REVERSE = f"""
DROP TRIGGER IF EXISTS plan_revision_read_only ON {TABLE};
DROP FUNCTION IF EXISTS waypoint_plan_revision_read_only();
"""
SQLITE_FORWARD = [
    f"CREATE TRIGGER IF NOT EXISTS plan_revision_read_only BEFORE UPDATE ON {TABLE} "
    f"WHEN {CONDITION_SQLITE} "
    "BEGIN SELECT RAISE(ABORT, 'agreed plan revisions are read-only'); END;",
]
SQLITE_REVERSE = ["DROP TRIGGER IF EXISTS plan_revision_read_only;"]


def create_trigger(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRESQL_FORWARD)
    elif vendor == "sqlite":
        for statement in SQLITE_FORWARD:
            schema_editor.execute(statement)
    else:
        raise RuntimeError(f"Waypoint cannot protect agreed plan revisions on {vendor}.")


def drop_trigger(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRESQL_REVERSE)
    elif vendor == "sqlite":
        for statement in SQLITE_REVERSE:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("plans", "0001_initial")]
    operations = [migrations.RunPython(create_trigger, drop_trigger)]
