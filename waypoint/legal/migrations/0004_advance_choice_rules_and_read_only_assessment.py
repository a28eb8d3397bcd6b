"""The rule set for advance choice documents (MHA 2025, not in force until a Trust sets its date),
and, in the database itself, a completed AMHP assessment is read-only.

The trigger refuses any UPDATE of `legal_amhpassessment` once `completed_at` is set (PostgreSQL
and SQLite): the service refuses first with a clear message (`services.NotOpen`); this is the
backstop against raw SQL and code that forgets. UPDATE only, no DELETE trigger, as in
medicines 0002 and assessments 0002: deletion is not offered anywhere and every foreign key is
PROTECT. SQLite drops a table's triggers when a migration rebuilds it: `apps.ensure_sqlite_triggers`
re-creates them after every migrate (IF NOT EXISTS); the browser tests drop and restore every
trigger around their flush (tests/browser/conftest.py), so nothing is needed there.
"""

from django.db import migrations

TABLE = "legal_amhpassessment"
TRIGGER = "legal_amhpassessment_completed_read_only"
MESSAGE = "a completed AMHP assessment is read-only"
TRIGGER_NAMES = [TRIGGER]

POSTGRESQL_FORWARD = f"""
CREATE OR REPLACE FUNCTION waypoint_legal_completed_assessment() RETURNS trigger AS $$
BEGIN
  IF OLD.completed_at IS NOT NULL THEN
    RAISE EXCEPTION USING MESSAGE = '{MESSAGE}';
  END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER {TRIGGER} BEFORE UPDATE ON {TABLE}
  FOR EACH ROW EXECUTE FUNCTION waypoint_legal_completed_assessment();
"""
POSTGRESQL_REVERSE = f"""
DROP TRIGGER IF EXISTS {TRIGGER} ON {TABLE};
DROP FUNCTION IF EXISTS waypoint_legal_completed_assessment();
"""
SQLITE_FORWARD = [
    f"CREATE TRIGGER IF NOT EXISTS {TRIGGER} BEFORE UPDATE ON {TABLE} "
    f"WHEN OLD.completed_at IS NOT NULL BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;"
]
SQLITE_REVERSE = [f"DROP TRIGGER IF EXISTS {TRIGGER};"]


def load_rules(apps, schema_editor):
    from waypoint.legal import seeds

    seeds.load(
        apps.get_model("legal", "RuleSet"),
        apps.get_model("legal", "SectionRule"),
        apps.get_model("legal", "TermRule"),
    )


def create_trigger(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRESQL_FORWARD)
    elif vendor == "sqlite":
        for statement in SQLITE_FORWARD:
            schema_editor.execute(statement)
    else:
        raise RuntimeError(f"Waypoint cannot protect completed AMHP assessments on {vendor}.")


def drop_trigger(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRESQL_REVERSE)
    elif vendor == "sqlite":
        for statement in SQLITE_REVERSE:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("legal", "0003_mca_relatives_advance")]

    operations = [
        migrations.RunPython(load_rules, migrations.RunPython.noop),
        migrations.RunPython(create_trigger, drop_trigger),
    ]
