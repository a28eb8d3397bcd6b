from django.db import migrations


def create_role(apps, schema_editor):
    Role = apps.get_model("accounts", "Role")
    Role.objects.get_or_create(code="system_client")


class Migration(migrations.Migration):
    dependencies = [("accounts", "0006_codes_in_python")]
    operations = [migrations.RunPython(create_role, migrations.RunPython.noop)]
