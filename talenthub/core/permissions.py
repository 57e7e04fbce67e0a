"""Who may do what, shared by every app.

A *programme manager* is staff of a provider organisation: ``is_staff``, in the
"Programme managers" group, with a profile whose organisation runs programmes. What a
manager may see is scoped to that provider in querysets (views and admin), so records of
another provider are a 404 or absent, never merely an unlinked page.
"""

from django.contrib import admin
from django.contrib.admin.utils import get_fields_from_path
from django.contrib.admin.widgets import ForeignKeyRawIdWidget
from django.contrib.auth.mixins import AccessMixin
from django.core.exceptions import ValidationError
from django.db.models import Q, prefetch_related_objects
from django.utils.functional import LazyObject

from .admin_filters import RelatedExistsFieldListFilter
from .models import Organisation, Profile

PROGRAMME_MANAGERS = "Programme managers"
COMPACT_SECRETARIAT = "Compact secretariat"
INSIGHTS_ANALYSTS = "Insights analysts"


def user_provider(user) -> Organisation | None:
    """The provider organisation a user works for, or None. The profile and its
    organisation are read in one query and kept on ``user`` (as ``user.profile`` would
    keep them), so a request that asks again costs nothing."""
    if not getattr(user, "is_authenticated", False):
        return None
    user = user._wrapped if isinstance(user, LazyObject) else user  # request.user
    relation = user._meta.get_field("profile")
    if not relation.is_cached(user):
        profile = Profile.objects.select_related("organisation").filter(user=user).first()
        if profile is not None:
            Profile.user.field.set_cached_value(profile, user)
        relation.set_cached_value(user, profile)  # None: user.profile raises, as Django's
    profile = getattr(user, "profile", None)
    organisation = profile.organisation if profile else None
    return organisation if organisation and organisation.is_provider else None


def in_group(user, name: str) -> bool:
    """Whether ``user`` is in the group called ``name``. The groups are read once per
    user object (a prefetch: ``user.groups.add()``/``remove()``/``set()`` forget it, as
    ``refresh_from_db()`` does), as Django keeps a user's permissions: a manager page asks
    several times per request."""
    if not getattr(user, "is_authenticated", False):
        return False
    if "groups" not in getattr(user, "_prefetched_objects_cache", {}):
        prefetch_related_objects([user], "groups")
    return any(group.name == name for group in user.groups.all())


def is_programme_manager(user) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    return user.is_staff and in_group(user, PROGRAMME_MANAGERS) and user_provider(user) is not None


def provider_scoped(queryset, user, *lookups: str):
    """``queryset`` as far as ``user`` manages it: every row for a superuser; for a
    programme manager, the rows where any of ``lookups`` (paths from the model to an
    Organisation, e.g. ``"provider"``, ``"version__programme__owner"``) is their
    provider; no row for anyone else (anonymous included). The one statement of the
    selectors' "managed by" rule; ``ProviderScopedAdmin`` is the admin's."""
    if not is_programme_manager(user):
        return queryset.none()
    if user.is_superuser:
        return queryset
    provider = user_provider(user)
    scope = Q()
    for lookup in lookups:
        scope |= Q(**{lookup: provider})
    return queryset.filter(scope)


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


def related_only_list_filter(model, list_filter):
    """``list_filter`` with every filter on a relation (a plain field path, or one given
    ``RelatedFieldListFilter``) turned into ``RelatedExistsFieldListFilter`` (Django's
    ``RelatedOnlyFieldListFilter``, its choices found from the related table's side),
    whose choices are the values in the admin's own (scoped) queryset: a plain relation
    filter offers every row of the related table, e.g. another compact's groups and
    surveys."""
    scoped = []
    for entry in list_filter:
        path, filter_class = (entry, None) if isinstance(entry, str) else (None, None)
        if isinstance(entry, (tuple, list)):
            path, filter_class = entry
        if path and filter_class in (None, admin.RelatedFieldListFilter):
            field = get_fields_from_path(model, path)[-1]
            if field.is_relation:
                scoped.append((path, RelatedExistsFieldListFilter))
                continue
        scoped.append(entry)
    return scoped


class ScopedRawIdWidget(ForeignKeyRawIdWidget):
    """A raw-id box that names the chosen row only when it is one of ``queryset`` (the
    field's scoped choices). Django's looks the id up in the whole table, so
    ``?meeting=<any id>`` on an add page, or a refused POST, showed another compact's
    meeting by name."""

    def __init__(self, rel, admin_site, *, queryset, **kwargs):
        super().__init__(rel, admin_site, **kwargs)
        self.queryset = queryset

    def label_and_url_for_value(self, value):
        key = self.rel.get_related_field().name
        try:
            visible = self.queryset.filter(**{key: value}).exists()
        except (ValueError, TypeError, ValidationError):
            visible = False
        return super().label_and_url_for_value(value) if visible else ("", "")


def scope_raw_id_widget(formfield, admin_site):
    """Give a raw-id foreign-key field a widget that names only rows of its choices."""
    widget = getattr(formfield, "widget", None)
    if type(widget) is ForeignKeyRawIdWidget:
        formfield.widget = ScopedRawIdWidget(
            widget.rel, admin_site, queryset=formfield.queryset, attrs=widget.attrs, using=widget.db
        )
    return formfield


class ScopedListFiltersMixin:
    """For a ModelAdmin whose queryset is scoped: list-filter choices come from the rows
    the user may see (superusers keep the full lists)."""

    def get_list_filter(self, request):
        list_filter = super().get_list_filter(request)
        if request.user.is_superuser:
            return list_filter
        return related_only_list_filter(self.model, list_filter)


class ProviderScopedAdmin(ScopedListFiltersMixin, admin.ModelAdmin):
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
