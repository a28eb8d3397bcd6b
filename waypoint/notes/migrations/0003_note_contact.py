"""A note can be about a care contact (contacts app): a nullable link, set when the draft is started.

On SQLite, adding a nullable foreign key with no default is a plain ALTER TABLE ... ADD COLUMN
(checked with `sqlmigrate notes 0003`): the table is not rebuilt, so the triggers of migration 0002
stay. The second operation re-creates them anyway if they are missing (the statements use
IF NOT EXISTS), so a future Django that rebuilds the table here cannot silently drop them.
"""

from importlib import import_module

import django.db.models.deletion
from django.db import migrations, models

triggers = import_module("waypoint.notes.migrations.0002_signed_notes_read_only_triggers")


def ensure_sqlite_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in triggers.SQLITE_FORWARD:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("contacts", "0001_initial"),
        ("notes", "0002_signed_notes_read_only_triggers"),
    ]

    operations = [
        migrations.AddField(
            model_name="note",
            name="contact",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="notes",
                to="contacts.contact",
            ),
        ),
        migrations.RunPython(ensure_sqlite_triggers, migrations.RunPython.noop),
    ]
