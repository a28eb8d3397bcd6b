"""Signed notes are read-only and nothing is deleted: enforced in the database, on PostgreSQL and SQLite.

- `notes_note`: any DELETE is refused; an UPDATE of a signed note is refused if it changes what
  the note says or who signed it when (text, event time, type, person, author, status, signer,
  signing time, recorded late), or undoes "entered in error" once set. Marking a signed note
  entered in error (setting the three entered-in-error fields once) is the one change allowed.
- `notes_addendum`: append-only (any UPDATE or DELETE is refused).

Inserting a signed row directly (the demo data does) is allowed.
The SQLite statements use IF NOT EXISTS so they can be reused after a table rebuild (SQLite drops
a table's triggers with it) and by the browser tests around their flush.
"""

from django.db import migrations

SIGNED_COLUMNS = [
    "status",
    "text",
    "event_at",
    "note_type",
    "person_id",
    "author_id",
    "signed_by_id",
    "signed_at",
    "recorded_late",
]
ERROR_COLUMNS = ["entered_in_error_at", "entered_in_error_by_id", "entered_in_error_reason"]


def _changed(columns, operator):
    return " OR ".join(f"NEW.{column} {operator} OLD.{column}" for column in columns)


POSTGRESQL_FORWARD = f"""
CREATE OR REPLACE FUNCTION waypoint_notes_refuse_delete() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION USING MESSAGE = 'clinical notes are never deleted: ' || TG_TABLE_NAME || ' DELETE refused';
END;
$$ LANGUAGE plpgsql;
CREATE OR REPLACE FUNCTION waypoint_notes_refuse_signed_change() RETURNS trigger AS $$
BEGIN
  IF OLD.status = 'signed' AND (
    {_changed(SIGNED_COLUMNS, "IS DISTINCT FROM")}
    OR (OLD.entered_in_error_at IS NOT NULL AND ({_changed(ERROR_COLUMNS, "IS DISTINCT FROM")}))
  ) THEN
    RAISE EXCEPTION USING MESSAGE = 'signed notes are read-only: UPDATE refused';
  END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE OR REPLACE FUNCTION waypoint_notes_refuse_addendum_change() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION USING MESSAGE = 'addenda are read-only: ' || TG_OP || ' refused';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER notes_note_refuse_delete BEFORE DELETE ON notes_note
  FOR EACH ROW EXECUTE FUNCTION waypoint_notes_refuse_delete();
CREATE TRIGGER notes_note_refuse_signed_change BEFORE UPDATE ON notes_note
  FOR EACH ROW EXECUTE FUNCTION waypoint_notes_refuse_signed_change();
CREATE TRIGGER notes_addendum_refuse_update BEFORE UPDATE ON notes_addendum
  FOR EACH ROW EXECUTE FUNCTION waypoint_notes_refuse_addendum_change();
CREATE TRIGGER notes_addendum_refuse_delete BEFORE DELETE ON notes_addendum
  FOR EACH ROW EXECUTE FUNCTION waypoint_notes_refuse_addendum_change();
"""
POSTGRESQL_REVERSE = """
DROP TRIGGER IF EXISTS notes_note_refuse_delete ON notes_note;
DROP TRIGGER IF EXISTS notes_note_refuse_signed_change ON notes_note;
DROP TRIGGER IF EXISTS notes_addendum_refuse_update ON notes_addendum;
DROP TRIGGER IF EXISTS notes_addendum_refuse_delete ON notes_addendum;
DROP FUNCTION IF EXISTS waypoint_notes_refuse_delete();
DROP FUNCTION IF EXISTS waypoint_notes_refuse_signed_change();
DROP FUNCTION IF EXISTS waypoint_notes_refuse_addendum_change();
"""
SQLITE_FORWARD = [
    "CREATE TRIGGER IF NOT EXISTS notes_note_refuse_delete BEFORE DELETE ON notes_note "
    "BEGIN SELECT RAISE(ABORT, 'clinical notes are never deleted: DELETE refused'); END;",
    "CREATE TRIGGER IF NOT EXISTS notes_note_refuse_signed_change BEFORE UPDATE ON notes_note "
    f"WHEN OLD.status = 'signed' AND ({_changed(SIGNED_COLUMNS, 'IS NOT')} "
    f"OR (OLD.entered_in_error_at IS NOT NULL AND ({_changed(ERROR_COLUMNS, 'IS NOT')}))) "
    "BEGIN SELECT RAISE(ABORT, 'signed notes are read-only: UPDATE refused'); END;",
    "CREATE TRIGGER IF NOT EXISTS notes_addendum_refuse_update BEFORE UPDATE ON notes_addendum "
    "BEGIN SELECT RAISE(ABORT, 'addenda are read-only: UPDATE refused'); END;",
    "CREATE TRIGGER IF NOT EXISTS notes_addendum_refuse_delete BEFORE DELETE ON notes_addendum "
    "BEGIN SELECT RAISE(ABORT, 'addenda are read-only: DELETE refused'); END;",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS notes_note_refuse_delete;",
    "DROP TRIGGER IF EXISTS notes_note_refuse_signed_change;",
    "DROP TRIGGER IF EXISTS notes_addendum_refuse_update;",
    "DROP TRIGGER IF EXISTS notes_addendum_refuse_delete;",
]
TRIGGER_NAMES = [
    "notes_note_refuse_delete",
    "notes_note_refuse_signed_change",
    "notes_addendum_refuse_update",
    "notes_addendum_refuse_delete",
]


def create_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRESQL_FORWARD)
    elif vendor == "sqlite":
        for statement in SQLITE_FORWARD:
            schema_editor.execute(statement)
    else:
        raise RuntimeError(f"Waypoint cannot protect signed notes on {vendor}.")


def drop_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRESQL_REVERSE)
    elif vendor == "sqlite":
        for statement in SQLITE_REVERSE:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("notes", "0001_initial")]
    operations = [migrations.RunPython(create_triggers, drop_triggers)]
