from django.apps import AppConfig


def ensure_sqlite_triggers(sender, using="default", **kwargs):
    """SQLite drops a table's triggers when a migration rebuilds the table, and the browser tests
    drop them around their flush (which empties tables with DELETE). After every migrate or flush,
    put them back, once migration 0002 has been applied. PostgreSQL keeps them: nothing to do."""
    import importlib

    from django.db import connections
    from django.db.migrations.recorder import MigrationRecorder

    connection = connections[using]
    if connection.vendor != "sqlite":
        return
    if ("notes", "0002_signed_notes_read_only_triggers") not in MigrationRecorder(
        connection
    ).applied_migrations():
        return
    applied = MigrationRecorder(connection).applied_migrations()
    latest = (
        "0004_signed_notes_every_column"
        if ("notes", "0004_signed_notes_every_column") in applied
        else "0002_signed_notes_read_only_triggers"
    )
    triggers = importlib.import_module(f"waypoint.notes.migrations.{latest}")
    with connection.cursor() as cursor:
        for statement in triggers.SQLITE_FORWARD:
            cursor.execute(statement)


class NotesConfig(AppConfig):
    name = "waypoint.notes"
    label = "notes"
    verbose_name = "Contemporaneous clinical notes"

    def ready(self):
        from . import extensions

        extensions.register(self)
