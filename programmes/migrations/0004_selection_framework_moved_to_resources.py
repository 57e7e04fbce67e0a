"""Programme.selection_framework has moved to resources.ProgrammeSelectionFramework
(resources 0002 copied the values first, hence the dependency): the catalogue no longer
points at the hub (docs/architecture.md)."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('programmes', '0003_selection_framework'),
        ('resources', '0002_programme_selection_framework'),
    ]

    operations = [
        migrations.RemoveField(
            model_name='programme',
            name='selection_framework',
        ),
    ]
