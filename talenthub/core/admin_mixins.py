"""Admin scaffolding shared by every app: who may use a page, read-only records, and
how a refused save or action reaches the admin user.

Rows are scoped by each admin's ``get_queryset``; the permission mixins only answer "may
this person use this page at all" and "may anything here be written".
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.views.main import PAGE_VAR
from django.core.paginator import Paginator
from django.db import IntegrityError
from django.http import HttpResponseRedirect
from django.utils.functional import SimpleLazyObject
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from .exceptions import DomainError, constraint_error
from .pagination import EstimatedCountPaginator
from .permissions import is_programme_manager


def lazy_app_list(site) -> None:
    """Make ``site.get_app_list`` lazy: worked out when a template first reads it. Every
    admin page's context asks for it (``available_apps``, every model with two URL
    reversals), but with the navigation sidebar off only the admin's home and app pages
    show it: it was a third of a short changelist's time (issue 16, docs/benchmarks.md)."""
    build = site.get_app_list

    def get_app_list(request, app_label=None):
        return SimpleLazyObject(lambda: build(request, app_label))

    site.get_app_list = get_app_list


def count_results_once(site) -> None:
    """Every changelist counts its rows once. Django's default (``show_full_result_count``)
    counts the whole table a second time on every changelist, for the "(N total)" link
    beside a filtered count: 0.1 s a request on the 250,000 bookings at 100x the demo. A
    filtered list shows "Show all" instead."""
    for model_admin in site._registry.values():
        model_admin.show_full_result_count = False


def estimate_large_counts(site) -> None:
    """Every changelist with Django's own paginator pages with ``EstimatedCountPaginator``:
    the whole of a table of at least ``TALENTHUB["ADMIN_ESTIMATED_COUNT_FROM"]`` rows is
    shown as PostgreSQL's estimate ("about 260,000 bookings") away from its last pages;
    anything filtered, searched or smaller is counted (issue 16, docs/benchmarks.md)."""
    for model_admin in site._registry.values():
        if (
            model_admin.paginator is Paginator
            and type(model_admin).get_paginator is admin.ModelAdmin.get_paginator
        ):
            model_admin.get_paginator = functools.partial(_estimating_paginator, model_admin)


def _estimating_paginator(
    model_admin, request, queryset, per_page, orphans=0, allow_empty_first_page=True
):
    setting = settings.TALENTHUB["ADMIN_ESTIMATED_COUNT_FROM"]
    return EstimatedCountPaginator(
        queryset,
        per_page,
        orphans,
        allow_empty_first_page,
        page_number=request.GET.get(PAGE_VAR),
        # Never a list short enough for "Show all" (list_max_show_all): the changelist
        # offers that link, and loads every row, by the count.
        estimate_from=setting and max(setting, model_admin.list_max_show_all + 1),
    )


# Rows on a changelist page. Django's 100 rows of 7-12 columns spent about 0.1 ms a cell
# in ``items_for_result`` (12 columns: 72 % of the application list's time), 3-8 times
# the one-query 50-row list (issue 16, docs/benchmarks.md, "Third round").
CHANGELIST_ROWS = 50


def changelist_rows(site, rows: int = CHANGELIST_ROWS) -> None:
    """Every changelist that keeps Django's default page size shows ``rows`` a page."""
    for model_admin in site._registry.values():
        if model_admin.list_per_page == admin.ModelAdmin.list_per_page:
            model_admin.list_per_page = rows


def request_is_manager(request) -> bool:
    """``is_programme_manager`` for the request's user, asked once per request."""
    if not hasattr(request, "_talenthub_is_manager"):
        request._talenthub_is_manager = is_programme_manager(request.user)
    return request._talenthub_is_manager


def user_as_text(user) -> str:
    """A person's name and email as plain text, for read-only admin fields: Django links a
    read-only user to the user admin, which programme managers may not open (403)."""
    return f"{user.full_name} <{user.email}>" if user.full_name else user.email


class ManagerAdminMixin:
    """Programme managers may view, add and change these records without per-model
    grants (their rows are scoped by ``get_queryset``); anyone with Django's model
    permissions keeps them. Deleting is left to superusers: domain history is kept."""

    def has_module_permission(self, request):
        return request_is_manager(request) or super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return request_is_manager(request) or super().has_view_permission(request, obj)

    def has_add_permission(self, request, *args):
        return request_is_manager(request) or super().has_add_permission(request, *args)

    def has_change_permission(self, request, obj=None):
        return request_is_manager(request) or super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


class UndeletableAdminMixin:
    """Nobody deletes these records in the admin, superusers included (the app keeps
    them as history and ends them through a service instead). Put before
    ``ManagerAdminMixin``."""

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAdminMixin:
    """Records shown as they were made (what people said, what happened): never added,
    changed or deleted through the admin. Put before ``ManagerAdminMixin``."""

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class DomainErrorAdminMixin:
    """A service's refusal in an admin save or action reaches the admin user as an error,
    never next to "…was changed successfully", and nothing of the refused save remains.

    Save (``save_model``, ``save_formset``, ``save_related`` call services and let their
    ``DomainError`` propagate; they do not catch it): Django runs the whole change form in
    one transaction, so the error leaving it rolls back every write of the request (the
    object, its inlines, the "changed" history entry), and the success message, added only
    after the save returns, is never added. The same form is then shown again with the
    person's input, the refusal as a form error (field messages next to their fields) and
    Django's "Please correct the error below". An ``IntegrityError`` from one of the
    model's (or its inlines') named constraints is told the same way, in the constraint's
    ``violation_error_message``; any other exception is a fault and is not caught.

    Actions: a ``DomainError`` an action lets escape becomes an error message on the
    list. (Each service is its own transaction, so what it refused was not written; an
    action over many rows that wants to go on past a refusal catches it per row.)
    """

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except (DomainError, IntegrityError) as exc:
            error = self._admin_refusal(exc)
            if error is None or request.method != "POST":
                raise
        # Second pass, from a clean slate (the first was rolled back): the form, bound to
        # the same POST, is invalid with the refusal, so Django renders it and saves
        # nothing.
        request._talenthub_admin_refusal = error
        return super().changeform_view(request, object_id, form_url, extra_context)

    def _admin_refusal(self, exc) -> DomainError | None:
        if isinstance(exc, DomainError):
            return exc
        models = [self.model, *(inline.model for inline in self.inlines)]
        return constraint_error(exc, models)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change, **kwargs)
        refusal = getattr(request, "_talenthub_admin_refusal", None)
        if refusal is None:
            return form_class

        class RefusedForm(form_class):
            def clean(self):
                cleaned_data = super().clean()
                refusal.add_to_form(self)
                return cleaned_data

        RefusedForm.__name__ = form_class.__name__
        return RefusedForm

    def response_action(self, request, queryset):
        try:
            return super().response_action(request, queryset)
        except DomainError as error:
            self.message_user(request, error.message, messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())


@dataclass(frozen=True)
class AdminOperation:
    """One change an admin makes to one object with its own page (as Django's
    ``UserAdmin.user_change_password``): ``form`` (a plain ``forms.Form``, built with the
    object as ``obj=``) and ``apply(request, obj, cleaned_data)``, which makes exactly one
    service call. ``available(obj)`` says whether the page is offered for this object."""

    slug: str
    title: str
    form: type
    apply: Callable
    available: Callable = lambda obj: True  # noqa: E731
    done: str = ""


class AdminOperationsMixin:
    """Multi-step changes as their own admin pages, one service call each, so a change
    form never runs several services in one save and half-applies or reports success
    next to a refusal. Each ``AdminOperation`` in ``operations`` gets the URL
    ``<object_id>/<slug>/`` (name ``<app>_<model>_<slug>``), the object fetched through
    the admin's scoped ``get_object`` and ``has_change_permission``; the service's
    ``DomainError`` is shown on the form (``add_to_form``) and nothing is written;
    success redirects to the change page with one message. ``operation_links`` lists
    the pages open for an object (put it in ``readonly_fields``)."""

    operations: tuple[AdminOperation, ...] = ()
    operation_template = "admin/talenthub/operation_form.html"

    def get_urls(self):
        from django.urls import path

        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                f"<path:object_id>/{operation.slug}/",
                self.admin_site.admin_view(self._operation_view),
                {"slug": operation.slug},
                name="{}_{}_".format(*info) + operation.slug.replace("-", "_"),
            )
            for operation in self.operations
        ] + super().get_urls()

    def operation_url(self, obj, operation) -> str:
        from django.urls import reverse

        name = f"admin:{self.opts.app_label}_{self.opts.model_name}_"
        return reverse(name + operation.slug.replace("-", "_"), args=[obj.pk])

    @admin.display(description=_("Other changes"))
    def operation_links(self, obj):
        if obj is None or obj.pk is None:
            return "-"
        links = [
            (self.operation_url(obj, operation), operation.title)
            for operation in self.operations
            if operation.available(obj)
        ]
        if not links:
            return "-"
        return format_html_join(mark_safe("<br>"), '<a href="{}">{}</a>', links)

    def _operation_view(self, request, object_id, slug):
        from django.core.exceptions import PermissionDenied
        from django.http import Http404
        from django.template.response import TemplateResponse
        from django.urls import reverse

        operation = next(op for op in self.operations if op.slug == slug)
        obj = self.get_object(request, object_id)
        if obj is None:
            raise Http404
        if not self.has_change_permission(request, obj):
            raise PermissionDenied
        change_url = reverse(
            f"admin:{self.opts.app_label}_{self.opts.model_name}_change", args=[obj.pk]
        )
        if not operation.available(obj):
            self.message_user(
                request,
                _("“%(change)s” is not open for %(obj)s as it stands.")
                % {"change": operation.title, "obj": obj},
                messages.ERROR,
            )
            return HttpResponseRedirect(change_url)
        form = operation.form(request.POST or None, obj=obj)
        if request.method == "POST" and form.is_valid():
            try:
                operation.apply(request, obj, form.cleaned_data)
            except DomainError as error:
                error.add_to_form(form)
            else:
                self.message_user(
                    request, operation.done or _("The change was made."), messages.SUCCESS
                )
                return HttpResponseRedirect(change_url)
        context = {
            **self.admin_site.each_context(request),
            "title": f"{operation.title}: {obj}",
            "opts": self.opts,
            "original": obj,
            "form": form,
            "errors": form.errors,
            "change_url": change_url,
        }
        return TemplateResponse(request, self.operation_template, context)


class AdminReasonForm(forms.Form):
    """An ``AdminOperation`` form that asks only why: the reason goes to the audit trail."""

    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Kept in the audit trail."),
        error_messages={"required": _("Give a reason: it is kept in the audit trail.")},
    )

    def __init__(self, *args, obj=None, **kwargs):
        super().__init__(*args, **kwargs)


class WaitingPriorityForm(AdminReasonForm):
    """A waiting entry's new priority, starting from its current one (the attribute named
    by ``priority_attribute``)."""

    priority_attribute = "priority"
    priority = forms.IntegerField(
        label=_("Priority"), help_text=_("Higher is served first on the waiting list.")
    )
    field_order = ["priority", "reason"]

    def __init__(self, *args, obj=None, **kwargs):
        super().__init__(*args, **kwargs)
        if obj is not None:
            self.fields["priority"].initial = getattr(obj, self.priority_attribute)


class WaitingMoveForm(AdminReasonForm):
    position = forms.IntegerField(label=_("Move to position on the waiting list"), min_value=1)
    field_order = ["position", "reason"]


def waiting_list_operations(
    *,
    available: Callable,
    set_priority: Callable,
    move: Callable,
    moved: str,
    priority_form: type = WaitingPriorityForm,
) -> tuple[AdminOperation, AdminOperation]:
    """The two waiting-list pages every waiting list's admin offers (events' bookings,
    cohorts' applications): change a waiting entry's priority, move it to a position.
    ``set_priority(obj, *, priority, actor, reason)`` and ``move(obj, *, position, actor,
    reason)`` are the app's services (``talenthub.core.waiting_list`` underneath);
    ``moved`` is the message once moved."""
    return (
        AdminOperation(
            slug="priority",
            title=_("Change priority on the waiting list"),
            form=priority_form,
            available=available,
            apply=lambda request, obj, data: set_priority(
                obj, priority=data["priority"], actor=request.user, reason=data["reason"]
            ),
            done=_("The priority was changed."),
        ),
        AdminOperation(
            slug="move",
            title=_("Move on the waiting list"),
            form=WaitingMoveForm,
            available=available,
            apply=lambda request, obj, data: move(
                obj, position=data["position"], actor=request.user, reason=data["reason"]
            ),
            done=moved,
        ),
    )


def bulk_email_reach_html(lead: str, reach: int, audience_lines) -> str:
    """Before a bulk email: "<lead> N member(s)." and who the audience is, as the event's
    publish and the cohort's announce pages show it (``lead``: "Publishing will email")."""
    return format_html(
        '<span id="announcement">{} {} {}.</span><ul>{}</ul>',
        lead,
        reach,
        _("member") if reach == 1 else _("members"),
        format_html_join("", "<li>{}</li>", ((line,) for line in audience_lines)),
    )


def bulk_email_progress_html(progress: dict, audience_lines) -> str:
    """After: the outbox's count of a bulk email's rows by state (``total``, ``queued``,
    ``sending``, ``sent``, ``failed``) and the audience it went to."""
    return format_html(
        '<span id="announcement">{} email{}: {} queued, {} being sent, {} sent, {} failed.'
        "</span><ul>{}</ul>",
        progress["total"],
        "" if progress["total"] == 1 else "s",
        progress["queued"],
        progress["sending"],
        progress["sent"],
        progress["failed"],
        format_html_join("", "<li>{}</li>", ((line,) for line in audience_lines)),
    )
