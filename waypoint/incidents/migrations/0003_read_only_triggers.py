"""A closed or entered-in-error incident is read-only in the database itself, and nothing is
deleted (PostgreSQL and SQLite). The services refuse first, with a plain message; this is the
backstop.

- `incidents_incident`: any DELETE is refused. An UPDATE of a closed incident may only mark it
  entered in error (the three entered-in-error fields, once, from empty, with its version); an
  UPDATE of an incident already entered in error is refused whatever it changes.
- `incidents_incidentperson` (the people named) and `incidents_incidentaction` (the review's
  actions): never changed or deleted; none added once the incident is closed or entered in error.
- `incidents_incident_staff_involved`: none added or taken away once the incident is closed or
  entered in error.
- `incidents_incidentaddendum`: append-only (any UPDATE or DELETE is refused). Corrections to a
  closed incident are addenda.

PostgreSQL compares the whole incident row (`to_jsonb`), so a column added later is covered.
SQLite has no row-to-JSON, so `COLUMNS` lists every column; `tests/test_triggers.py` fails when a
column is added to `Incident` and not here. The SQLite statements use IF NOT EXISTS so that
`apps.ensure_sqlite_triggers` can put them back after a migrate and the browser tests after their
flush.
"""

from django.db import migrations

TABLE = "incidents_incident"
ERROR_COLUMNS = ["entered_in_error_at", "entered_in_error_by_id", "entered_in_error_reason"]
COLUMNS = [  # every other column of incidents_incident
    "id",
    "team_id",
    "occurred_at",
    "location",
    "category",
    "harm",
    "what_happened",
    "immediate_actions",
    "others_involved",
    "reported_by_id",
    "reported_at",
    "status",
    "findings",
    "lessons",
    "reviewed_by_id",
    "reviewed_at",
    "closed_by_id",
    "closed_at",
    "candour_in_person_on",
    "candour_in_writing_on",
    "candour_notes",
    "version",
]
MESSAGE = "a closed or entered-in-error incident is read-only: add an addendum"
NEVER_CHANGED = {  # table: what the refusal says
    "incidents_incidentperson": "the people named in an incident are never changed",
    "incidents_incidentaction": "the actions of an incident are never changed",
    "incidents_incidentaddendum": "addenda are read-only",
}
LINKED = ["incidents_incidentperson", "incidents_incidentaction", "incidents_incident_staff_involved"]
TRIGGER_NAMES = (
    ["incidents_incident_refuse_delete", "incidents_incident_read_only"]
    + [f"{table}_refuse_{op}" for table in NEVER_CHANGED for op in ("update", "delete")]
    + [f"{table}_refuse_insert_when_closed" for table in LINKED]
    + ["incidents_incident_staff_involved_refuse_delete_when_closed"]
)


def _changed(columns, operator):
    return " OR ".join(f"NEW.{column} {operator} OLD.{column}" for column in columns)


_WITHOUT = "".join(f" - '{column}'" for column in [*ERROR_COLUMNS, "version"])
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


def _closed(row):
    return (
        f"EXISTS (SELECT 1 FROM {TABLE} WHERE id = {row}.incident_id "
        "AND (status = 'closed' OR entered_in_error_at IS NOT NULL))"
    )


POSTGRESQL_FORWARD = (
    f"""
CREATE OR REPLACE FUNCTION waypoint_incidents_refuse() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION USING MESSAGE = TG_ARGV[0] || ': ' || TG_OP || ' refused';
END;
$$ LANGUAGE plpgsql;
CREATE OR REPLACE FUNCTION waypoint_incidents_incident_read_only() RETURNS trigger AS $$
BEGIN
  IF {CONDITION_PG} THEN
    RAISE EXCEPTION USING MESSAGE = '{MESSAGE}: UPDATE refused';
  END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE OR REPLACE FUNCTION waypoint_incidents_refuse_when_closed() RETURNS trigger AS $$
DECLARE
  row_incident integer;
BEGIN
  IF TG_OP = 'DELETE' THEN row_incident := OLD.incident_id; ELSE row_incident := NEW.incident_id; END IF;
  IF EXISTS (SELECT 1 FROM {TABLE} WHERE id = row_incident
             AND (status = 'closed' OR entered_in_error_at IS NOT NULL)) THEN
    RAISE EXCEPTION USING MESSAGE = '{MESSAGE}: ' || TG_OP || ' refused';
  END IF;
  IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER incidents_incident_refuse_delete BEFORE DELETE ON {TABLE}
  FOR EACH ROW EXECUTE FUNCTION waypoint_incidents_refuse('incidents are never deleted');
CREATE TRIGGER incidents_incident_read_only BEFORE UPDATE ON {TABLE}
  FOR EACH ROW EXECUTE FUNCTION waypoint_incidents_incident_read_only();
"""
    + "".join(
        f"CREATE TRIGGER {table}_refuse_{op} BEFORE {op.upper()} ON {table} FOR EACH ROW "
        f"EXECUTE FUNCTION waypoint_incidents_refuse('{message}');\n"
        for table, message in NEVER_CHANGED.items()
        for op in ("update", "delete")
    )
    + "".join(
        f"CREATE TRIGGER {table}_refuse_insert_when_closed BEFORE INSERT ON {table} FOR EACH ROW "
        "EXECUTE FUNCTION waypoint_incidents_refuse_when_closed();\n"
        for table in LINKED
    )
    + "CREATE TRIGGER incidents_incident_staff_involved_refuse_delete_when_closed BEFORE DELETE ON "
    "incidents_incident_staff_involved FOR EACH ROW EXECUTE FUNCTION waypoint_incidents_refuse_when_closed();\n"
)
_TABLE_OF = {
    "incidents_incident_refuse_delete": TABLE,
    "incidents_incident_read_only": TABLE,
    "incidents_incident_staff_involved_refuse_delete_when_closed": "incidents_incident_staff_involved",
    **{f"{table}_refuse_{op}": table for table in NEVER_CHANGED for op in ("update", "delete")},
    **{f"{table}_refuse_insert_when_closed": table for table in LINKED},
}
POSTGRESQL_REVERSE = (
    "".join(f"DROP TRIGGER IF EXISTS {name} ON {_TABLE_OF[name]};\n" for name in TRIGGER_NAMES)
    + "DROP FUNCTION IF EXISTS waypoint_incidents_refuse();\n"
    + "DROP FUNCTION IF EXISTS waypoint_incidents_incident_read_only();\n"
    + "DROP FUNCTION IF EXISTS waypoint_incidents_refuse_when_closed();\n"
)
SQLITE_FORWARD = (
    [
        f"CREATE TRIGGER IF NOT EXISTS incidents_incident_refuse_delete BEFORE DELETE ON {TABLE} "
        "BEGIN SELECT RAISE(ABORT, 'incidents are never deleted: DELETE refused'); END;",
        f"CREATE TRIGGER IF NOT EXISTS incidents_incident_read_only BEFORE UPDATE ON {TABLE} "
        f"WHEN {CONDITION_SQLITE} "
        f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}: UPDATE refused'); END;",
    ]
    + [
        f"CREATE TRIGGER IF NOT EXISTS {table}_refuse_{op} BEFORE {op.upper()} ON {table} "
        f"BEGIN SELECT RAISE(ABORT, '{message}: {op.upper()} refused'); END;"
        for table, message in NEVER_CHANGED.items()
        for op in ("update", "delete")
    ]
    + [
        f"CREATE TRIGGER IF NOT EXISTS {table}_refuse_insert_when_closed BEFORE INSERT ON {table} "
        f"WHEN {_closed('NEW')} BEGIN SELECT RAISE(ABORT, '{MESSAGE}: INSERT refused'); END;"
        for table in LINKED
    ]
    + [
        "CREATE TRIGGER IF NOT EXISTS incidents_incident_staff_involved_refuse_delete_when_closed "
        f"BEFORE DELETE ON incidents_incident_staff_involved WHEN {_closed('OLD')} "
        f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}: DELETE refused'); END;"
    ]
)
SQLITE_REVERSE = [f"DROP TRIGGER IF EXISTS {name};" for name in TRIGGER_NAMES]


def create_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRESQL_FORWARD)
    elif vendor == "sqlite":
        for statement in SQLITE_FORWARD:
            schema_editor.execute(statement)
    else:
        raise RuntimeError(f"Waypoint cannot protect closed incidents on {vendor}.")


def drop_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRESQL_REVERSE)
    elif vendor == "sqlite":
        for statement in SQLITE_REVERSE:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("incidents", "0002_incidentaction_task")]
    operations = [migrations.RunPython(create_triggers, drop_triggers)]
