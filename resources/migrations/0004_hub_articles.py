
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('resources', '0003_constraint_messages'),
    ]

    operations = [
        migrations.CreateModel(
            name='HubArticle',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True, db_index=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('section', models.CharField(choices=[('entry_route', 'Entry routes into the profession'), ('inclusion_journey', 'Journeys to inclusion'), ('further_resource', 'Further resources')], max_length=20)),
                ('title', models.CharField(max_length=200)),
                ('slug', models.SlugField(max_length=200, unique=True)),
                ('author_name', models.CharField(blank=True, help_text='Who wrote it (journeys to inclusion).', max_length=150)),
                ('author_role', models.CharField(blank=True, max_length=200)),
                ('entry_point', models.CharField(blank=True, help_text='Where the route leads in, for example “Band 2/3” (entry routes).', max_length=100)),
                ('summary', models.TextField(help_text="A sentence or two, shown in the section's list.")),
                ('body', models.TextField(blank=True, help_text='The full text, if it is kept here.')),
                ('url', models.URLField(blank=True, help_text='The full article or resource elsewhere, if any.', verbose_name='link')),
                ('order', models.PositiveSmallIntegerField(default=0)),
                ('is_published', models.BooleanField(default=True)),
            ],
            options={
                'ordering': ['section', 'order', 'title'],
                'constraints': [models.CheckConstraint(condition=models.Q(('section__in', ['entry_route', 'inclusion_journey', 'further_resource'])), name='hubarticle_section_valid', violation_error_code='hubarticle_section_valid', violation_error_message='Choose the hub section.')],
            },
        ),
    ]
