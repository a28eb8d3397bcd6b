from django.apps import AppConfig

TRIGGER_MIGRATION = "0004_advance_choice_rules_and_read_only_assessment"
NEVER_DELETED_MIGRATION = "0005_never_deleted_triggers"
CARE_TREATMENT_PLAN_MIGRATION = "0006_care_treatment_plans"
LIBERTY_REVIEW_MIGRATION = "0008_dols_queue_and_reviews"


def ensure_sqlite_triggers(sender, using="default", **kwargs):
    """SQLite drops a table's triggers when a migration rebuilds the table (and the browser tests
    drop them around their flush): put them back after every migrate, once 0004 (and 0005, 0006, 0008) are applied."""
    import importlib

    from django.db import connections
    from django.db.migrations.recorder import MigrationRecorder

    connection = connections[using]
    if connection.vendor != "sqlite":
        return
    applied = MigrationRecorder(connection).applied_migrations()
    with connection.cursor() as cursor:
        for migration in (
            TRIGGER_MIGRATION,
            NEVER_DELETED_MIGRATION,
            CARE_TREATMENT_PLAN_MIGRATION,
            LIBERTY_REVIEW_MIGRATION,
        ):
            if ("legal", migration) not in applied:
                continue
            triggers = importlib.import_module(f"waypoint.legal.migrations.{migration}")
            for statement in triggers.SQLITE_FORWARD:
                cursor.execute(statement)


class LegalConfig(AppConfig):
    name = "waypoint.legal"
    label = "legal"
    verbose_name = "Legal status: Mental Health Act, Mental Capacity Act, the AMHP service, DoLS"

    def ready(self):
        from . import extensions

        extensions.register()
