"""Every column of a signed note is read-only in the database, not only what the note says.

Migration 0002 compared a list of columns, which left out the team, the linked care contact, the
version and the created and updated times: a signed note's team or contact could be changed (hazard
H3). Now an UPDATE of a signed note may change nothing but the three entered-in-error fields, and
those only once (from empty). Addenda were already refused any UPDATE or DELETE.

- PostgreSQL compares the whole row (`to_jsonb(NEW)` and `to_jsonb(OLD)` without the three
  entered-in-error fields), so a column added later is covered without a new migration.
- SQLite has no row-to-JSON, so `SIGNED_COLUMNS` lists every column. `test_triggers.py`
  tries to change every concrete field of `Note` and fails if a new column is not listed here.

The trigger keeps its name (`notes_note_refuse_signed_change`); on SQLite it is dropped and
re-created, and `notes.apps.ensure_sqlite_triggers` puts back these statements after a migrate.
"""

from importlib import import_module

from django.db import migrations

previous = import_module("waypoint.notes.migrations.0002_signed_notes_read_only_triggers")

ERROR_COLUMNS = previous.ERROR_COLUMNS
SIGNED_COLUMNS = [
    "id",
    "person_id",
    "team_id",
    "note_type",
    "event_at",
    "text",
    "contact_id",
    "status",
    "version",
    "author_id",
    "created_at",
    "updated_at",
    "signed_by_id",
    "signed_at",
    "recorded_late",
]


def _changed(columns, operator):
    return " OR ".join(f"NEW.{column} {operator} OLD.{column}" for column in columns)


_WITHOUT_ERROR = "".join(f" - '{column}'" for column in ERROR_COLUMNS)

POSTGRESQL_FORWARD = f"""
CREATE OR REPLACE FUNCTION waypoint_notes_refuse_signed_change() RETURNS trigger AS $$
BEGIN
  IF OLD.status = 'signed' AND (
    (to_jsonb(NEW){_WITHOUT_ERROR}) IS DISTINCT FROM (to_jsonb(OLD){_WITHOUT_ERROR})
    OR (OLD.entered_in_error_at IS NOT NULL AND ({_changed(ERROR_COLUMNS, "IS DISTINCT FROM")}))
  ) THEN
    RAISE EXCEPTION USING MESSAGE = 'signed notes are read-only: UPDATE refused';
  END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;
"""
# Going back: 0002's version of the function (the second of its PostgreSQL statements).
POSTGRESQL_REVERSE = previous.POSTGRESQL_FORWARD.split("$$ LANGUAGE plpgsql;")[1] + "$$ LANGUAGE plpgsql;"

NOTE_TRIGGER = (
    "CREATE TRIGGER IF NOT EXISTS notes_note_refuse_signed_change BEFORE UPDATE ON notes_note "
    f"WHEN OLD.status = 'signed' AND ({_changed(SIGNED_COLUMNS, 'IS NOT')} "
    f"OR (OLD.entered_in_error_at IS NOT NULL AND ({_changed(ERROR_COLUMNS, 'IS NOT')}))) "
    "BEGIN SELECT RAISE(ABORT, 'signed notes are read-only: UPDATE refused'); END;"
)
# The full set for SQLite (0002's, with the note trigger replaced): what ensure_sqlite_triggers runs.
SQLITE_FORWARD = [
    NOTE_TRIGGER if "notes_note_refuse_signed_change" in statement else statement
    for statement in previous.SQLITE_FORWARD
]
SQLITE_REVERSE = previous.SQLITE_REVERSE
TRIGGER_NAMES = previous.TRIGGER_NAMES


def _replace_note_trigger(schema_editor, postgresql_sql, sqlite_statements):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(postgresql_sql)
    elif vendor == "sqlite":
        schema_editor.execute("DROP TRIGGER IF EXISTS notes_note_refuse_signed_change;")
        for statement in sqlite_statements:
            schema_editor.execute(statement)
    else:
        raise RuntimeError(f"Waypoint cannot protect signed notes on {vendor}.")


def forward(apps, schema_editor):
    _replace_note_trigger(schema_editor, POSTGRESQL_FORWARD, SQLITE_FORWARD)


def reverse(apps, schema_editor):
    _replace_note_trigger(schema_editor, POSTGRESQL_REVERSE, previous.SQLITE_FORWARD)


class Migration(migrations.Migration):
    dependencies = [("notes", "0003_note_contact")]
    operations = [migrations.RunPython(forward, reverse)]
