"""CTO revocation (s17F, s17G): the rules say which sections a CTO can follow (and so which a
revocation detains the person under again: section 3 and section 37 as shipped, in every rule set),
and a detention started by a revocation links to the CTO it revives."""

import django.db.models.deletion
from django.db import migrations, models

CTO_CAN_FOLLOW = ("3", "37")


def mark_sections(apps, schema_editor):
    apps.get_model("legal", "SectionRule").objects.filter(code__in=CTO_CAN_FOLLOW).update(cto_can_follow=True)


class Migration(migrations.Migration):
    dependencies = [
        ("legal", "0008_dols_queue_and_reviews"),
    ]

    operations = [
        migrations.AddField(
            model_name="mhaperiod",
            name="revives",
            field=models.ForeignKey(
                blank=True,
                help_text="The CTO whose revocation (s17F, s17G) detained the person again under this section",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="revived_by",
                to="legal.mhaperiod",
            ),
        ),
        migrations.AddField(
            model_name="sectionrule",
            name="cto_can_follow",
            field=models.BooleanField(
                default=False,
                help_text="A community treatment order can be made for a person detained under this section (s17A), and revoking the CTO detains them under it again (s17G)",
                verbose_name="A CTO can follow this section",
            ),
        ),
        migrations.RunPython(mark_sections, migrations.RunPython.noop),
    ]
