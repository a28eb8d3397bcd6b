from django.apps import AppConfig

TRIGGERS_MIGRATION = "0003_read_only_triggers"


def ensure_sqlite_triggers(sender, using="default", **kwargs):
    """SQLite drops a table's triggers when a migration rebuilds the table (and the browser tests
    drop them around their flush): put them back after every migrate, once 0003_read_only_triggers is applied.
    PostgreSQL keeps them: nothing to do."""
    import importlib

    from django.db import connections
    from django.db.migrations.recorder import MigrationRecorder

    connection = connections[using]
    if connection.vendor != "sqlite":
        return
    if ("incidents", TRIGGERS_MIGRATION) not in MigrationRecorder(connection).applied_migrations():
        return
    triggers = importlib.import_module(f"waypoint.incidents.migrations.{TRIGGERS_MIGRATION}")
    with connection.cursor() as cursor:
        for statement in triggers.SQLITE_FORWARD:
            cursor.execute(statement)


class IncidentsConfig(AppConfig):
    name = "waypoint.incidents"
    label = "incidents"
    verbose_name = "Incidents"

    def ready(self):
        from . import extensions

        extensions.register(self)
