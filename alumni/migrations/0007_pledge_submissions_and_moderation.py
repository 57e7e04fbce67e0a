
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def unpublished_to_rejected(apps, schema_editor):
    Pledge = apps.get_model("alumni", "Pledge")
    Pledge.objects.filter(is_published=False).update(status="rejected")


class Migration(migrations.Migration):

    dependencies = [
        ('alumni', '0006_current_role_from_the_profile'),
        ('core', '0006_consent_records_and_opt_ins_off_by_default'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='careerstory',
            options={'ordering': ['-published_at', '-created_at'], 'permissions': [('moderate_contributions', 'Can moderate career stories and pledges')], 'verbose_name_plural': 'career stories'},
        ),
        migrations.AddField(
            model_name='pledge',
            name='moderated_at',
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name='pledge',
            name='moderated_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='pledge',
            name='status',
            field=models.CharField(choices=[('submitted', 'Awaiting moderation'), ('published', 'Published'), ('rejected', 'Not published')], default='published', max_length=10),
        ),
        migrations.AddField(
            model_name='pledge',
            name='submitted_by',
            field=models.ForeignKey(blank=True, help_text='The member who submitted it (empty for pledges entered by staff).', null=True, on_delete=django.db.models.deletion.CASCADE, related_name='pledges_submitted', to=settings.AUTH_USER_MODEL),
        ),
        # A pledge staff had hidden (is_published off) is one not published.
        migrations.RunPython(unpublished_to_rejected, migrations.RunPython.noop),
        migrations.RemoveField(
            model_name='pledge',
            name='is_published',
        ),
        migrations.AddConstraint(
            model_name='pledge',
            constraint=models.CheckConstraint(condition=models.Q(('status__in', ['submitted', 'published', 'rejected'])), name='pledge_status_valid', violation_error_code='pledge_status_valid', violation_error_message='Choose whether the pledge is published.'),
        ),
    ]
