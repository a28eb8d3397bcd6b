from django.db import migrations

ROLE_CODES = [
    "care_coordinator",
    "support_worker",
    "student",
    "psychiatrist",
    "psychologist",
    "team_manager",
    "records_officer",
    "amhp",
    "bia",
    "privacy_officer",
    "system_administrator",
]


def create_roles(apps, schema_editor):
    Role = apps.get_model("accounts", "Role")
    for code in ROLE_CODES:
        Role.objects.get_or_create(code=code)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]
    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
