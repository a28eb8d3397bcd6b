"""A closed or entered-in-error safeguarding concern is read-only in the database itself, and
nothing is deleted (PostgreSQL and SQLite). The services refuse first, with a plain message; this
is the backstop.

- `safeguarding_concern`: any DELETE is refused. An UPDATE of a closed concern may only mark it
  entered in error (the three entered-in-error fields, once, from empty, with its version); an
  UPDATE of a concern already entered in error is refused whatever it changes. Corrections are
  addenda.
- `safeguarding_concernaddendum`: append-only (any UPDATE or DELETE is refused).

PostgreSQL compares the whole row (`to_jsonb`), so a column added later is covered. SQLite has
no row-to-JSON, so `COLUMNS` lists every column; `tests/test_triggers.py` fails when a column is
added to `Concern` and not here. The SQLite statements use IF NOT EXISTS so that
`apps.ensure_sqlite_triggers` can put them back after a migrate (SQLite drops a table's triggers
when it rebuilds the table) and the browser tests after their flush.
"""

from django.db import migrations

TABLE = "safeguarding_concern"
ADDENDA = "safeguarding_concernaddendum"
ERROR_COLUMNS = ["entered_in_error_at", "entered_in_error_by_id", "entered_in_error_reason"]
COLUMNS = [  # every other column of safeguarding_concern
    "id",
    "person_id",
    "team_id",
    "about",
    "subject_name",
    "subject_details",
    "category",
    "account",
    "immediate_actions",
    "raised_by_id",
    "raised_at",
    "consent",
    "share_without_consent_reason",
    "lead_consulted",
    "lead_consulted_on",
    "referred_on",
    "referral_reference",
    "decision",
    "decision_on",
    "outcome",
    "outcome_on",
    "status",
    "closed_by_id",
    "closed_at",
    "closing_summary",
    "version",
]
MESSAGE = "a closed or entered-in-error safeguarding concern is read-only: add an addendum"
TRIGGER_NAMES = [
    "safeguarding_concern_refuse_delete",
    "safeguarding_concern_read_only",
    "safeguarding_concernaddendum_refuse_update",
    "safeguarding_concernaddendum_refuse_delete",
]


def _changed(columns, operator):
    return " OR ".join(f"NEW.{column} {operator} OLD.{column}" for column in columns)


_WITHOUT = "".join(f" - '{column}'" for column in [*ERROR_COLUMNS, "version"])
# Closed (or entered in error), and: anything but the entered-in-error fields and the version
# changed; or it was already entered in error and those change; or the version moves on without
# the concern being marked entered in error now.
CONDITION_PG = (
    "(OLD.status = 'closed' OR OLD.entered_in_error_at IS NOT NULL) AND ("
    f"(to_jsonb(NEW){_WITHOUT}) IS DISTINCT FROM (to_jsonb(OLD){_WITHOUT}) "
    f"OR (OLD.entered_in_error_at IS NOT NULL AND ({_changed([*ERROR_COLUMNS, 'version'], 'IS DISTINCT FROM')})) "
    "OR (NEW.entered_in_error_at IS NULL AND NEW.version IS DISTINCT FROM OLD.version))"
)
CONDITION_SQLITE = (
    "(OLD.status = 'closed' OR OLD.entered_in_error_at IS NOT NULL) AND ("
    f"{_changed([c for c in COLUMNS if c != 'version'], 'IS NOT')} "
    f"OR (OLD.entered_in_error_at IS NOT NULL AND ({_changed([*ERROR_COLUMNS, 'version'], 'IS NOT')})) "
    "OR (NEW.entered_in_error_at IS NULL AND NEW.version IS NOT OLD.version))"
)

POSTGRESQL_FORWARD = f"""
CREATE OR REPLACE FUNCTION waypoint_safeguarding_refuse() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION USING MESSAGE = TG_ARGV[0] || ': ' || TG_OP || ' refused';
END;
$$ LANGUAGE plpgsql;
CREATE OR REPLACE FUNCTION waypoint_safeguarding_concern_read_only() RETURNS trigger AS $$
BEGIN
  IF {CONDITION_PG} THEN
    RAISE EXCEPTION USING MESSAGE = '{MESSAGE}: UPDATE refused';
  END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER safeguarding_concern_refuse_delete BEFORE DELETE ON {TABLE}
  FOR EACH ROW EXECUTE FUNCTION waypoint_safeguarding_refuse('safeguarding concerns are never deleted');
CREATE TRIGGER safeguarding_concern_read_only BEFORE UPDATE ON {TABLE}
  FOR EACH ROW EXECUTE FUNCTION waypoint_safeguarding_concern_read_only();
CREATE TRIGGER safeguarding_concernaddendum_refuse_update BEFORE UPDATE ON {ADDENDA}
  FOR EACH ROW EXECUTE FUNCTION waypoint_safeguarding_refuse('addenda are read-only');
CREATE TRIGGER safeguarding_concernaddendum_refuse_delete BEFORE DELETE ON {ADDENDA}
  FOR EACH ROW EXECUTE FUNCTION waypoint_safeguarding_refuse('addenda are read-only');
"""
POSTGRESQL_REVERSE = f"""
DROP TRIGGER IF EXISTS safeguarding_concern_refuse_delete ON {TABLE};
DROP TRIGGER IF EXISTS safeguarding_concern_read_only ON {TABLE};
DROP TRIGGER IF EXISTS safeguarding_concernaddendum_refuse_update ON {ADDENDA};
DROP TRIGGER IF EXISTS safeguarding_concernaddendum_refuse_delete ON {ADDENDA};
DROP FUNCTION IF EXISTS waypoint_safeguarding_refuse();
DROP FUNCTION IF EXISTS waypoint_safeguarding_concern_read_only();
"""
SQLITE_FORWARD = [
    f"CREATE TRIGGER IF NOT EXISTS safeguarding_concern_refuse_delete BEFORE DELETE ON {TABLE} "
    "BEGIN SELECT RAISE(ABORT, 'safeguarding concerns are never deleted: DELETE refused'); END;",
    f"CREATE TRIGGER IF NOT EXISTS safeguarding_concern_read_only BEFORE UPDATE ON {TABLE} "
    f"WHEN {CONDITION_SQLITE} "
    f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}: UPDATE refused'); END;",
    f"CREATE TRIGGER IF NOT EXISTS safeguarding_concernaddendum_refuse_update BEFORE UPDATE ON {ADDENDA} "
    "BEGIN SELECT RAISE(ABORT, 'addenda are read-only: UPDATE refused'); END;",
    f"CREATE TRIGGER IF NOT EXISTS safeguarding_concernaddendum_refuse_delete BEFORE DELETE ON {ADDENDA} "
    "BEGIN SELECT RAISE(ABORT, 'addenda are read-only: DELETE refused'); END;",
]
SQLITE_REVERSE = [f"DROP TRIGGER IF EXISTS {name};" for name in TRIGGER_NAMES]


def create_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRESQL_FORWARD)
    elif vendor == "sqlite":
        for statement in SQLITE_FORWARD:
            schema_editor.execute(statement)
    else:
        raise RuntimeError(f"Waypoint cannot protect closed safeguarding concerns on {vendor}.")


def drop_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRESQL_REVERSE)
    elif vendor == "sqlite":
        for statement in SQLITE_REVERSE:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("safeguarding", "0001_initial")]
    operations = [migrations.RunPython(create_triggers, drop_triggers)]
