"""The rules shipped with Waypoint (waypoint/legal/seeds.py): MHA 1983, and MHA 2025 provisions not yet in force."""

from django.db import migrations


def load(apps, schema_editor):
    from waypoint.legal import seeds

    seeds.load(
        apps.get_model("legal", "RuleSet"),
        apps.get_model("legal", "SectionRule"),
        apps.get_model("legal", "TermRule"),
    )


class Migration(migrations.Migration):
    dependencies = [("legal", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
