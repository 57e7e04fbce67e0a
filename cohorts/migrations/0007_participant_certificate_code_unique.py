"""The certificate code, now that every place has one: required and unique."""

from django.db import migrations, models

import cohorts.models


class Migration(migrations.Migration):
    dependencies = [
        ("cohorts", "0006_participant_certificate_code"),
    ]

    operations = [
        migrations.AlterField(
            model_name="participant",
            name="certificate_code",
            field=models.CharField(
                default=cohorts.models.new_certificate_code,
                editable=False,
                max_length=20,
                unique=True,
                verbose_name="certificate verification code",
            ),
        ),
    ]
