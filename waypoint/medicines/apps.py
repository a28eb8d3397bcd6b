from django.apps import AppConfig


def ensure_sqlite_triggers(sender, using="default", **kwargs):
    """SQLite drops a table's triggers when a migration rebuilds the table (and the browser tests
    drop them around their flush): put them back after every migrate, once 0002 is applied."""
    from django.db import connections
    from django.db.migrations.recorder import MigrationRecorder

    connection = connections[using]
    if connection.vendor != "sqlite":
        return
    if ("medicines", "0002_read_only_triggers") not in MigrationRecorder(connection).applied_migrations():
        return
    import importlib

    triggers = importlib.import_module("waypoint.medicines.migrations.0002_read_only_triggers")
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
