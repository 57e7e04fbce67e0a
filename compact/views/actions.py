"""Action plans: every action, the flagged ones, and one action with its updates."""

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.generic import FormView, TemplateView

from talenthub.core.page_cache import kept_fragment
from talenthub.core.view_mixins import DomainErrorFormMixin

from .. import selectors, services
from ..exceptions import CompactError
from ..forms import IndicatorForm, IndicatorRecordForm, ProgressUpdateForm
from .compacts import CompactMixin


class ActionListView(CompactMixin, TemplateView):
    """The compact's actions in plan order, a page at a time (``TALENTHUB["PAGE_SIZE"]``):
    rendering a row costs about 0.7 ms, and a compact with 1,000 actions took seconds
    (issue 16). The list works out only its page's health; the health page works out
    every action's flags from a few fields, then reads its page's actions whole.

    The table is the same for every member (the health page's for every editor) who
    may open the page: it is kept per data version (``page_cache.kept_fragment``, keyed
    on the URL with its page and query string, the language and the date, and on the
    compact and the weeks after which an action is stale), so a committed change shows on
    the next request; the page around it (navigation, messages) is the reader's own."""

    required = "member"
    template_name = "compact/action_list.html"
    flagged_only = False

    def get_context_data(self, **kwargs):
        context = super().get_context_data(
            flagged_only=self.flagged_only, stale_weeks=selectors.stale_weeks(), **kwargs
        )
        context["action_table"] = kept_fragment(
            "compact-action-health" if self.flagged_only else "compact-actions",
            self.request,
            vary_on=(self.compact.pk, context["stale_weeks"]),
            render=lambda: render_to_string(
                "compact/_action_table.html", self.table_context(context), self.request
            ),
        )
        return context

    def table_context(self, context) -> dict:
        per_page = settings.TALENTHUB["PAGE_SIZE"]
        number = self.request.GET.get("page")
        if self.flagged_only:
            # Every action's flags are needed to know which are flagged: worked out from
            # the few fields the rules read, then the page's actions are read whole. Kept
            # here, not in SQL: a WHERE on the computed flags made PostgreSQL expect one
            # row and join every user to every action (issue 21's plan guard).
            page = Paginator(selectors.flagged_action_ids(compact=self.compact), per_page)
            page = page.get_page(number)
            actions = selectors.actions_health_of(compact=self.compact, pks=page.object_list)
        else:
            page = Paginator(
                selectors.actions_in_plan_order(compact=self.compact), per_page
            ).get_page(number)
            actions = selectors.with_health(page.object_list)
        return {
            "compact": self.compact,
            "flagged_only": self.flagged_only,
            "stale_weeks": context["stale_weeks"],
            "actions": actions,
            "page_obj": page,
        }


class ActionHealthView(ActionListView):
    required = "editor"
    flagged_only = True


class ActionDetailView(CompactMixin, DomainErrorFormMixin, FormView):
    """An action with its progress updates; editors add an update here. The action's
    lead (or its parent's) may read it and add updates too, even without a role in the
    compact: the weekly digest sends them here to clear its flags."""

    required = "member"
    template_name = "compact/action_detail.html"
    form_class = ProgressUpdateForm

    def is_lead(self) -> bool:
        if not hasattr(self, "_is_lead"):
            self._is_lead = selectors.action_is_led_by(
                compact=self.compact, pk=self.kwargs["pk"], user=self.request.user
            )
        return self._is_lead

    def has_access(self) -> bool:
        return super().has_access() or self.is_lead()

    def can_update(self) -> bool:
        return self.access.is_editor or self.is_lead()

    def get_action(self):
        if not hasattr(self, "_action"):
            self._action = selectors.action_get(compact=self.compact, pk=self.kwargs["pk"])
        return self._action

    def get_initial(self):
        action = self.get_action()
        return {"status": action.status, "percent_complete": action.percent_complete}

    def post(self, request, *args, **kwargs):
        if not self.can_update():
            raise Http404("Not available to you.")
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        try:
            services.progress_update_add(
                action=self.get_action(), author=self.request.user, **form.cleaned_data
            )
        except CompactError as exc:
            return self.domain_error_form_invalid(form, exc)
        messages.success(self.request, "Progress update added.")
        return redirect(self.get_action().get_absolute_url())

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            action=self.get_action(),
            indicators=list(self.get_action().indicators.all()),
            stale_weeks=selectors.stale_weeks(),
            can_update=self.can_update(),
            **kwargs,
        )


class IndicatorProgressView(CompactMixin, TemplateView):
    """Progress on every SMART indicator: baseline, target, the latest actual, how far
    towards the target, and whether it is overdue."""

    required = "member"
    template_name = "compact/indicator_progress.html"

    def get_context_data(self, **kwargs):
        page = Paginator(
            selectors.indicators_for(compact=self.compact), settings.TALENTHUB["PAGE_SIZE"]
        ).get_page(self.request.GET.get("page"))
        return super().get_context_data(
            page_obj=page, indicators=page.object_list, today=timezone.localdate(), **kwargs
        )


class IndicatorAddView(CompactMixin, DomainErrorFormMixin, FormView):
    """The secretariat (or a steering member) gives an action a SMART indicator."""

    required = "editor"
    template_name = "compact/indicator_form.html"
    form_class = IndicatorForm

    def get_action(self):
        if not hasattr(self, "_action"):
            self._action = selectors.action_get(compact=self.compact, pk=self.kwargs["pk"])
        return self._action

    def form_valid(self, form):
        try:
            services.indicator_add(
                action=self.get_action(), actor=self.request.user, **form.cleaned_data
            )
        except CompactError as exc:
            return self.domain_error_form_invalid(form, exc)
        messages.success(self.request, "Indicator added.")
        return redirect(self.get_action().get_absolute_url())

    def get_context_data(self, **kwargs):
        return super().get_context_data(action=self.get_action(), **kwargs)


class IndicatorRecordView(CompactMixin, DomainErrorFormMixin, FormView):
    """Record an indicator's measured value: editors, and the action's lead."""

    required = "editor"
    template_name = "compact/indicator_record.html"
    form_class = IndicatorRecordForm

    def get_indicator(self):
        if not hasattr(self, "_indicator"):
            self._indicator = selectors.indicator_get(compact=self.compact, pk=self.kwargs["pk"])
        return self._indicator

    def has_access(self) -> bool:
        if super().has_access():
            return True
        return selectors.action_is_led_by(
            compact=self.compact, pk=self.get_indicator().action_id, user=self.request.user
        )

    def form_valid(self, form):
        indicator = self.get_indicator()
        try:
            services.indicator_record(
                indicator=indicator,
                actual=form.cleaned_data["actual"],
                on=form.cleaned_data["on"],
                actor=self.request.user,
            )
        except CompactError as exc:
            return self.domain_error_form_invalid(form, exc)
        messages.success(self.request, "Measured value recorded.")
        return redirect(indicator.action.get_absolute_url())

    def get_context_data(self, **kwargs):
        return super().get_context_data(indicator=self.get_indicator(), **kwargs)
