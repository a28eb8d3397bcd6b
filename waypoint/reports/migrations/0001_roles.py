from django.db import migrations

ROLE_CODES = ["service_manager", "information_analyst"]


def create_roles(apps, schema_editor):
    Role = apps.get_model("accounts", "Role")
    for code in ROLE_CODES:
        Role.objects.get_or_create(code=code)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0006_codes_in_python")]
    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
