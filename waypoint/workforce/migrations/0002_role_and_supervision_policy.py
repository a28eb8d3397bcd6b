"""The workforce administrator role's row, and the Trust's default supervision frequencies
(configurable afterwards in the admin: `SupervisionPolicy`)."""

from django.db import migrations

# (role, kind, every so many weeks): clinical monthly, managerial every six to eight weeks,
# students weekly with their practice supervisor.
DEFAULT_POLICIES = [
    ("care_coordinator", "clinical", 4),
    ("care_coordinator", "managerial", 6),
    ("support_worker", "clinical", 6),
    ("support_worker", "managerial", 6),
    ("psychologist", "clinical", 4),
    ("psychiatrist", "clinical", 8),
    ("amhp", "clinical", 4),
    ("student", "clinical", 1),
    ("team_manager", "managerial", 6),
]


def forwards(apps, schema_editor):
    Role = apps.get_model("accounts", "Role")
    Role.objects.get_or_create(code="workforce_administrator")
    SupervisionPolicy = apps.get_model("workforce", "SupervisionPolicy")
    for role, kind, weeks in DEFAULT_POLICIES:
        SupervisionPolicy.objects.get_or_create(role=role, kind=kind, defaults={"every_weeks": weeks})


class Migration(migrations.Migration):
    dependencies = [("workforce", "0001_initial"), ("accounts", "0006_codes_in_python")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
