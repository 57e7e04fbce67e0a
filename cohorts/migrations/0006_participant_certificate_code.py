"""Each place gets a random certificate verification code. Added in three steps because a
callable default is evaluated once for AddField: every existing row would share one code.
The unique, required field is 0007: its own transaction, so PostgreSQL does not alter a
table with the updates of this one still pending."""

from django.db import migrations, models

import cohorts.models


def give_each_place_a_code(apps, schema_editor):
    Participant = apps.get_model("cohorts", "Participant")
    for participant in Participant.objects.filter(certificate_code__isnull=True).only("pk"):
        Participant.objects.filter(pk=participant.pk).update(
            certificate_code=cohorts.models.new_certificate_code()
        )


class Migration(migrations.Migration):
    dependencies = [
        ("cohorts", "0005_constraint_messages"),
    ]

    operations = [
        migrations.AddField(
            model_name="participant",
            name="certificate_code",
            field=models.CharField(
                editable=False,
                max_length=20,
                null=True,
                verbose_name="certificate verification code",
            ),
        ),
        migrations.RunPython(give_each_place_a_code, migrations.RunPython.noop),
    ]
