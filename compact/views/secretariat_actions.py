"""The secretariat's pages for an action plan's rows (issue 19, item 5): edit an action
(lead, target date, text, priority, aims), close it as done (a confirmation, then a
dated progress update), and correct an indicator's baseline, target and actual value.
Editors of the compact only; another compact's action is a 404."""

from django.contrib import messages
from django.shortcuts import redirect
from django.views.generic import FormView

from talenthub.core.models import Organisation
from talenthub.core.view_mixins import DomainErrorFormMixin

from .. import selectors, services
from ..exceptions import CompactError
from ..forms import ActionCompleteForm, ActionEditForm, IndicatorEditForm
from ..models import Aim, Priority
from .secretariat import EditorMixin


class ActionMixin(EditorMixin):
    def get_action(self):
        if not hasattr(self, "_action"):
            self._action = selectors.action_get(compact=self.compact, pk=self.kwargs["pk"])
        return self._action

    def get_context_data(self, **kwargs):
        return super().get_context_data(action=self.get_action(), **kwargs)


class ActionEditView(ActionMixin, DomainErrorFormMixin, FormView):
    """Edit an action (``services.action_update``: the rules of ``action_create``)."""

    template_name = "compact/secretariat/action_edit.html"
    form_class = ActionEditForm

    def get_form_kwargs(self):
        terms = selectors.terms_in_force(compact=self.compact)
        aims = Aim.objects.filter(terms=terms).order_by("order") if terms else Aim.objects.none()
        priorities = Priority.objects.filter(
            statement__compact=self.compact, statement__status="published"
        ).order_by("-statement__starts_on", "order")
        return {
            **super().get_form_kwargs(),
            "aims": aims,
            "priorities": priorities,
            "organisations": Organisation.objects.order_by("name"),
        }

    def get_initial(self):
        action = self.get_action()
        return {
            "code": action.code,
            "theme": action.theme,
            "objective": action.objective,
            "what_will_be_done": action.what_will_be_done,
            "lead_email": action.lead_person.email if action.lead_person else "",
            "lead_organisation": action.lead_organisation_id,
            "lead_note": action.lead_note,
            "target_date": action.target_date,
            "aims": [aim.pk for aim in action.aims.all()],
            "priority": action.priority_id,
        }

    def form_valid(self, form):
        action = self.get_action()
        data = dict(form.cleaned_data)
        aims = list(data.pop("aims"))
        action.lead_person = data.pop("lead_email")
        for name, value in data.items():
            setattr(action, name, value)
        try:
            services.action_update(
                action=action, actor=self.request.user, aims=aims, changed=form.changed_data
            )
        except CompactError as exc:
            return self.domain_error_form_invalid(form, exc)
        messages.success(self.request, f"Action {action.code} saved.")
        return redirect(action.get_absolute_url())


class ActionCompleteView(ActionMixin, DomainErrorFormMixin, FormView):
    """Confirmation before an action is closed as done (``services.action_complete``)."""

    template_name = "compact/secretariat/action_complete.html"
    form_class = ActionCompleteForm

    def form_valid(self, form):
        action = self.get_action()
        try:
            services.action_complete(
                action=action, actor=self.request.user, note=form.cleaned_data["note"]
            )
        except CompactError as exc:
            return self.domain_error_form_invalid(form, exc)
        messages.success(self.request, f"Action {action.code} is done.")
        return redirect(action.get_absolute_url())


class IndicatorEditView(EditorMixin, DomainErrorFormMixin, FormView):
    """Correct an indicator (``services.indicator_update``)."""

    template_name = "compact/secretariat/indicator_edit.html"
    form_class = IndicatorEditForm

    def get_indicator(self):
        if not hasattr(self, "_indicator"):
            self._indicator = selectors.indicator_get(compact=self.compact, pk=self.kwargs["pk"])
        return self._indicator

    def get_initial(self):
        return IndicatorEditForm.initial_for(self.get_indicator())

    def form_valid(self, form):
        indicator = self.get_indicator()
        try:
            services.indicator_update(
                indicator=indicator, actor=self.request.user, **form.cleaned_data
            )
        except CompactError as exc:
            return self.domain_error_form_invalid(form, exc)
        messages.success(self.request, "Indicator saved.")
        return redirect(indicator.action.get_absolute_url())

    def get_context_data(self, **kwargs):
        return super().get_context_data(indicator=self.get_indicator(), **kwargs)
