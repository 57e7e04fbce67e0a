"""Who may do what, shared by every app.

A *programme manager* is staff of a provider organisation: ``is_staff``, in the
"Programme managers" group, with a profile whose organisation runs programmes. What a
manager may see is scoped to that provider in querysets (views and admin), so records of
another provider are a 404 or absent, never merely an unlinked page.
"""

from django.contrib import admin
from django.contrib.auth.mixins import AccessMixin

from .models import Organisation

PROGRAMME_MANAGERS = "Programme managers"
COMPACT_SECRETARIAT = "Compact secretariat"
INSIGHTS_ANALYSTS = "Insights analysts"


def user_provider(user) -> Organisation | None:
    """The provider organisation a user works for, or None."""
    if not getattr(user, "is_authenticated", False):
        return None
    profile = getattr(user, "profile", None)
    organisation = profile.organisation if profile else None
    return organisation if organisation and organisation.is_provider else None


def in_group(user, name: str) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return any(group.name == name for group in user.groups.all())


def is_programme_manager(user) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    return user.is_staff and in_group(user, PROGRAMME_MANAGERS) and user_provider(user) is not None


class ProgrammeManagerRequiredMixin(AccessMixin):
    """Anonymous users are sent to sign in; signed-in users who are not programme
    managers get 403."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not is_programme_manager(request.user):
            self.raise_exception = True
            return self.handle_no_permission()
        return super().dispatch(request, *args, **kwargs)


class ProviderScopedAdmin(admin.ModelAdmin):
    """A ModelAdmin whose rows belong to a provider: superusers see everything, a
    programme manager only the rows of their own provider (``provider_lookup`` is the
    path from the model to that Organisation), anyone else nothing."""

    provider_lookup = "provider"

    def scope_queryset(self, request, queryset):
        if request.user.is_superuser:
            return queryset
        provider = user_provider(request.user)
        if provider is None:
            return queryset.none()
        return queryset.filter(**{self.provider_lookup: provider})

    def get_queryset(self, request):
        return self.scope_queryset(request, super().get_queryset(request))
