"""Programme.selection_framework moves here, as ProgrammeSelectionFramework, so that the
catalogue (programmes) no longer depends on the hub (docs/architecture.md). This migration
creates the table and copies every programme's framework into it; programmes 0004 then
drops the old column. Reversible: going back copies the rows onto the column again."""

import django.db.models.deletion
from django.db import migrations, models


def copy_from_programmes(apps, schema_editor):
    Programme = apps.get_model("programmes", "Programme")
    Link = apps.get_model("resources", "ProgrammeSelectionFramework")
    Link.objects.bulk_create(
        Link(programme_id=programme_id, framework_id=framework_id)
        for programme_id, framework_id in Programme.objects.filter(
            selection_framework__isnull=False
        ).values_list("pk", "selection_framework_id")
    )


def copy_back_to_programmes(apps, schema_editor):
    Programme = apps.get_model("programmes", "Programme")
    Link = apps.get_model("resources", "ProgrammeSelectionFramework")
    for programme_id, framework_id in Link.objects.values_list("programme_id", "framework_id"):
        Programme.objects.filter(pk=programme_id).update(selection_framework_id=framework_id)


class Migration(migrations.Migration):

    dependencies = [
        ('programmes', '0003_selection_framework'),
        ('resources', '0001_initial'),
    ]

    operations = [
        migrations.CreateModel(
            name='ProgrammeSelectionFramework',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('framework', models.ForeignKey(help_text='The competency framework applicants are selected against.', on_delete=django.db.models.deletion.PROTECT, related_name='programme_selections', to='resources.framework')),
                ('programme', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='selection_framework_link', to='programmes.programme')),
            ],
            options={
                'verbose_name': 'selection framework',
            },
        ),
        migrations.RunPython(copy_from_programmes, copy_back_to_programmes),
    ]
