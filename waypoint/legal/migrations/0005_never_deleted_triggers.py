"""Legal records are never deleted, in the database itself (PostgreSQL and SQLite).

Mental Health Act periods and their events, rights explanations, section 117 aftercare, requests
for assessment and AMHP assessments, liberty authorisations and their assessments, nearest relative
/ nominated person events, advance decisions, capacity assessments, best interests decisions,
powers of attorney and IMCA referrals are corrected by "entered in error" with a reason, or ended,
never deleted. The services offer no deletion and every foreign key is PROTECT; these BEFORE DELETE
triggers are the backstop against raw SQL and code that forgets. On PostgreSQL the application role
also has no DELETE on these tables (`audit/dbroles.py`, `NEVER_DELETED`).

The rule tables (`RuleSet`, `SectionRule`, `TermRule`) and the AMHP rota (`AmhpShift`) are
configuration and are left alone. The SQLite statements use IF NOT EXISTS so that
`apps.ensure_sqlite_triggers` puts them back after every migrate, and the browser tests after
their flush.
"""

from django.db import migrations

TABLES = [
    "legal_mhaperiod",
    "legal_periodevent",
    "legal_rightsexplanation",
    "legal_aftercare",
    "legal_assessmentrequest",
    "legal_amhpassessment",
    "legal_libertyauthorisation",
    "legal_libertyassessment",
    "legal_relativeevent",
    "legal_advancedecision",
    "legal_capacityassessment",
    "legal_bestinterestsdecision",
    "legal_powerofattorney",
    "legal_imcareferral",
]
MESSAGE = "legal records are never deleted: mark them entered in error"
TRIGGER_NAMES = [f"{table}_refuse_delete" for table in TABLES]

POSTGRESQL_FORWARD = f"""
CREATE OR REPLACE FUNCTION waypoint_legal_refuse_delete() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION USING MESSAGE = '{MESSAGE}: DELETE refused';
END;
$$ LANGUAGE plpgsql;
""" + "".join(
    f"CREATE TRIGGER {table}_refuse_delete BEFORE DELETE ON {table} "
    "FOR EACH ROW EXECUTE FUNCTION waypoint_legal_refuse_delete();\n"
    for table in TABLES
)
POSTGRESQL_REVERSE = (
    "".join(f"DROP TRIGGER IF EXISTS {table}_refuse_delete ON {table};\n" for table in TABLES)
    + "DROP FUNCTION IF EXISTS waypoint_legal_refuse_delete();\n"
)
SQLITE_FORWARD = [
    f"CREATE TRIGGER IF NOT EXISTS {table}_refuse_delete BEFORE DELETE ON {table} "
    f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}: DELETE refused'); END;"
    for table in TABLES
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
        raise RuntimeError(f"Waypoint cannot protect legal records on {vendor}.")


def drop_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRESQL_REVERSE)
    elif vendor == "sqlite":
        for statement in SQLITE_REVERSE:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("legal", "0004_advance_choice_rules_and_read_only_assessment")]
    operations = [migrations.RunPython(create_triggers, drop_triggers)]
