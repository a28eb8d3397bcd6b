from django.apps import AppConfig

TRIGGERS_MIGRATION = "0002_read_only_triggers"
HOUSEHOLD_MIGRATION = "0003_household"


def ensure_sqlite_triggers(sender, using="default", **kwargs):
    """SQLite drops a table's triggers when a migration rebuilds the table (and the browser tests
    drop them around their flush): put them back after every migrate, once 0002_read_only_triggers is applied.
    PostgreSQL keeps them: nothing to do."""
    import importlib

    from django.db import connections
    from django.db.migrations.recorder import MigrationRecorder

    connection = connections[using]
    if connection.vendor != "sqlite":
        return
    if ("safeguarding", TRIGGERS_MIGRATION) not in MigrationRecorder(connection).applied_migrations():
        return
    triggers = importlib.import_module(f"waypoint.safeguarding.migrations.{TRIGGERS_MIGRATION}")
    with connection.cursor() as cursor:
        for statement in triggers.SQLITE_FORWARD:
            cursor.execute(statement)
        if ("safeguarding", HOUSEHOLD_MIGRATION) in MigrationRecorder(connection).applied_migrations():
            household = importlib.import_module(f"waypoint.safeguarding.migrations.{HOUSEHOLD_MIGRATION}")
            for statement in household.HOUSEHOLD_TRIGGERS["sqlite"]:
                cursor.execute(statement)


class SafeguardingConfig(AppConfig):
    name = "waypoint.safeguarding"
    label = "safeguarding"
    verbose_name = "Safeguarding concerns"

    def ready(self):
        from . import extensions

        extensions.register(self)
