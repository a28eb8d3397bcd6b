from django.apps import AppConfig

TRIGGER_MIGRATION = "0004_advance_choice_rules_and_read_only_assessment"


def ensure_sqlite_triggers(sender, using="default", **kwargs):
    """SQLite drops a table's triggers when a migration rebuilds the table (and the browser tests
    drop them around their flush): put them back after every migrate, once 0004 is applied."""
    import importlib

    from django.db import connections
    from django.db.migrations.recorder import MigrationRecorder

    connection = connections[using]
    if connection.vendor != "sqlite":
        return
    if ("legal", TRIGGER_MIGRATION) not in MigrationRecorder(connection).applied_migrations():
        return
    triggers = importlib.import_module(f"waypoint.legal.migrations.{TRIGGER_MIGRATION}")
    with connection.cursor() as cursor:
        for statement in triggers.SQLITE_FORWARD:
            cursor.execute(statement)


class LegalConfig(AppConfig):
    name = "waypoint.legal"
    label = "legal"
    verbose_name = "Legal status: Mental Health Act, Mental Capacity Act, the AMHP service, DoLS"

    def ready(self):
        from . import extensions

        extensions.register()
