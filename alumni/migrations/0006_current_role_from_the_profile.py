"""The person's profile becomes the one record of their current role, organisation and
level (issue 15, item 6); the alumni profile keeps a copy. Nothing typed is lost: where
the profile lacks a value the alumni profile has, the profile takes it first; then every
alumni profile's copy is set from the profile."""

from django.db import migrations

PAIRS = [
    ("job_title", "current_role"),
    ("organisation_id", "organisation_id"),
    ("career_level", "career_level"),
]


def forwards(apps, schema_editor):
    AlumniProfile = apps.get_model("alumni", "AlumniProfile")
    Profile = apps.get_model("core", "Profile")
    for alumni in AlumniProfile.objects.all().iterator(chunk_size=500):
        profile, _ = Profile.objects.get_or_create(user_id=alumni.user_id)
        changed = False
        for theirs, mine in PAIRS:
            if getattr(profile, theirs) in (None, "") and getattr(alumni, mine) not in (None, ""):
                setattr(profile, theirs, getattr(alumni, mine))
                changed = True
        if changed:
            profile.save()
        AlumniProfile.objects.filter(pk=alumni.pk).update(
            current_role=profile.job_title or "",
            organisation_id=profile.organisation_id,
            career_level=profile.career_level,
        )


class Migration(migrations.Migration):
    dependencies = [
        ("alumni", "0005_career_updates_opt_in_off_by_default"),
        ("core", "0006_consent_records_and_opt_ins_off_by_default"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
