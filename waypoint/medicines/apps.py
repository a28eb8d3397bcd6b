from django.apps import AppConfig


def ensure_sqlite_triggers(sender, using="default", **kwargs):
    """SQLite drops a table's triggers when a migration rebuilds the table (and the browser tests
    drop them around their flush): put them back after every migrate, once 0002 is applied."""
    from django.db import connections
    from django.db.migrations.recorder import MigrationRecorder

    connection = connections[using]
    if connection.vendor != "sqlite":
        return
    import importlib

    applied = MigrationRecorder(connection).applied_migrations()
    for name in ("0002_read_only_triggers", "0004_brief_intervention_entered_in_error"):
        if ("medicines", name) not in applied:
            continue
        triggers = importlib.import_module(f"waypoint.medicines.migrations.{name}")
        with connection.cursor() as cursor:
            for statement in triggers.SQLITE_FORWARD:
                cursor.execute(statement)


class MedicinesConfig(AppConfig):
    name = "waypoint.medicines"
    label = "medicines"
    verbose_name = "Medicines, depot clinic and physical health"

    def ready(self):
        from . import extensions

        extensions.register(self)
