from django.apps import AppConfig
from django.db.models.signals import post_migrate


def ensure_analysts_group(sender, **kwargs):
    """After every migrate: the "Insights analysts" group exists and holds the one
    permission of the equality reports, so a site administrator grants analyst access by
    adding a person to it (permissions exist only after migrate, hence not a migration)."""
    from django.contrib.auth.models import Group, Permission

    from talenthub.core.permissions import INSIGHTS_ANALYSTS

    permission = Permission.objects.filter(
        content_type__app_label="insights", codename="view_equality_insights"
    ).first()
    if permission is None:
        return
    group, _created = Group.objects.get_or_create(name=INSIGHTS_ANALYSTS)
    group.permissions.add(permission)


class InsightsConfig(AppConfig):
    name = "insights"
    verbose_name = "Equality monitoring and insights"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from . import checks, personal_data  # noqa: F401 (checks registers itself)
        from .permissions import remember_on_sign_in

        personal_data.register()
        # The header's Insights link reads the answer kept in the session at sign-in.
        user_logged_in.connect(remember_on_sign_in, dispatch_uid="insights.remember_on_sign_in")
        post_migrate.connect(
            ensure_analysts_group, sender=self, dispatch_uid="insights.ensure_analysts_group"
        )
