"""The secretariat's pages for the compact's governing documents (issue 19, item 5):
terms of reference versions (draft, edit, adopt with a review date) and statements of
annual priorities (draft with priorities and their aims, edit, publish). A draft is seen
only here; adopting or publishing puts it on the public pages, the earlier versions
staying in their archives. Editors of the compact only; another compact's drafts 404."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.utils import timezone
from django.views.generic import FormView, TemplateView

from talenthub.core.view_mixins import DomainErrorFormMixin

from .. import selectors, services
from ..exceptions import CompactError
from ..forms import (
    ConfirmPublishForm,
    PriorityAddForm,
    StatementForm,
    TermsAdoptForm,
    TermsDraftForm,
)
from ..models import Aim
from ..services.terms import TERMS_TEXT_FIELDS
from .secretariat import EditorMixin

# Terms of reference ---------------------------------------------------------------------


class TermsManageView(EditorMixin, TemplateView):
    """Every version (a draft too), the one in force and whether its review is overdue."""

    template_name = "compact/secretariat/terms_manage.html"

    def get_context_data(self, **kwargs):
        versions = list(selectors.terms_versions_all(compact=self.compact))
        in_force = selectors.terms_in_force(compact=self.compact)
        return super().get_context_data(
            versions=versions,
            draft=next((terms for terms in versions if terms.is_draft), None),
            in_force=in_force,
            review_overdue=in_force is not None and in_force.review_due_on < timezone.localdate(),
            **kwargs,
        )


class TermsDraftCreateView(EditorMixin, DomainErrorFormMixin, FormView):
    """The next version drafted, starting from the text and aims in force."""

    template_name = "compact/secretariat/terms_draft.html"
    form_class = TermsDraftForm

    def get_initial(self):
        in_force = selectors.terms_in_force(compact=self.compact)
        if in_force is None:
            return {}
        initial = {name: getattr(in_force, name) for name in TERMS_TEXT_FIELDS}
        initial["change_note"] = ""
        initial["aims"] = TermsDraftForm.aims_text(in_force)
        return initial

    def form_valid(self, form):
        data = dict(form.cleaned_data)
        try:
            terms = services.terms_draft_create(
                compact=self.compact, aims=data.pop("aims"), actor=self.request.user, **data
            )
        except CompactError as exc:
            return self.domain_error_form_invalid(form, exc)
        messages.success(self.request, f"Version {terms.version} is drafted.")
        return redirect("compact:terms_manage", slug=self.compact.slug)


class TermsDraftMixin(EditorMixin):
    def get_terms(self):
        if not hasattr(self, "_terms"):
            self._terms = selectors.terms_draft_get(compact=self.compact, pk=self.kwargs["pk"])
        return self._terms

    def get_context_data(self, **kwargs):
        return super().get_context_data(terms=self.get_terms(), **kwargs)


class TermsDraftEditView(TermsDraftMixin, DomainErrorFormMixin, FormView):
    template_name = "compact/secretariat/terms_draft.html"
    form_class = TermsDraftForm

    def get_initial(self):
        terms = self.get_terms()
        initial = {name: getattr(terms, name) for name in TERMS_TEXT_FIELDS}
        initial["aims"] = TermsDraftForm.aims_text(terms)
        return initial

    def form_valid(self, form):
        data = dict(form.cleaned_data)
        try:
            terms = services.terms_draft_update(
                terms=self.get_terms(),
                aims=data.pop("aims"),
                actor=self.request.user,
                changed=form.changed_data,
                **data,
            )
        except CompactError as exc:
            return self.domain_error_form_invalid(form, exc)
        messages.success(self.request, f"Draft version {terms.version} saved.")
        return redirect("compact:terms_manage", slug=self.compact.slug)


class TermsAdoptView(TermsDraftMixin, DomainErrorFormMixin, FormView):
    """Confirmation of an adoption, with its date and the next review's
    (``services.terms_adopt``)."""

    template_name = "compact/secretariat/terms_adopt.html"
    form_class = TermsAdoptForm

    def form_valid(self, form):
        try:
            terms = services.terms_adopt(
                terms=self.get_terms(),
                adopted_on=form.cleaned_data["adopted_on"],
                review_due_on=form.cleaned_data["review_due_on"],
                actor=self.request.user,
            )
        except CompactError as exc:
            return self.domain_error_form_invalid(form, exc)
        messages.success(self.request, f"Version {terms.version} is adopted and in force.")
        return redirect(terms.get_absolute_url())

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            in_force=selectors.terms_in_force(compact=self.compact), **kwargs
        )


# Statements of annual priorities -------------------------------------------------------


class StatementManageView(EditorMixin, DomainErrorFormMixin, FormView):
    """Every statement (a draft too), and the next one drafted."""

    template_name = "compact/secretariat/statement_manage.html"
    form_class = StatementForm

    def form_valid(self, form):
        try:
            statement = services.statement_draft_create(
                compact=self.compact, actor=self.request.user, **form.cleaned_data
            )
        except CompactError as exc:
            return self.domain_error_form_invalid(form, exc)
        return redirect("compact:statement_compose", slug=self.compact.slug, pk=statement.pk)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            statements=selectors.statements_all(compact=self.compact), **kwargs
        )


class StatementMixin(EditorMixin):
    def get_statement(self):
        if not hasattr(self, "_statement"):
            self._statement = selectors.statement_draft_get(
                compact=self.compact, pk=self.kwargs["pk"]
            )
        return self._statement

    def get_context_data(self, **kwargs):
        return super().get_context_data(statement=self.get_statement(), **kwargs)


class StatementComposeView(StatementMixin, DomainErrorFormMixin, FormView):
    """A draft's priorities with the aims each serves; a priority added (one aim at
    least, of the statement's terms) or removed."""

    template_name = "compact/secretariat/statement_compose.html"
    form_class = PriorityAddForm

    def get_form_kwargs(self):
        aims = Aim.objects.filter(terms_id=self.get_statement().terms_id).order_by("order")
        return {**super().get_form_kwargs(), "aims": aims}

    def post(self, request, *args, **kwargs):
        remove = request.POST.get("remove")
        if remove is None:
            return super().post(request, *args, **kwargs)
        statement = self.get_statement()
        priority = next((p for p in statement.priorities.all() if str(p.pk) == remove), None)
        if priority is None:
            raise Http404("No such priority.")
        try:
            services.statement_priority_remove(priority=priority, actor=request.user)
        except CompactError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, "Priority removed.")
        return redirect(request.path)

    def form_valid(self, form):
        try:
            services.statement_priority_add(
                statement=self.get_statement(), actor=self.request.user, **form.cleaned_data
            )
        except CompactError as exc:
            return self.domain_error_form_invalid(form, exc)
        messages.success(self.request, "Priority added.")
        return redirect(self.request.path)


class StatementEditView(StatementMixin, DomainErrorFormMixin, FormView):
    template_name = "compact/secretariat/statement_edit.html"
    form_class = StatementForm

    def get_initial(self):
        statement = self.get_statement()
        return {
            "year": statement.year,
            "starts_on": statement.starts_on,
            "ends_on": statement.ends_on,
        }

    def form_valid(self, form):
        statement = self.get_statement()
        try:
            services.statement_draft_update(
                statement=statement,
                actor=self.request.user,
                changed=form.changed_data,
                **form.cleaned_data,
            )
        except CompactError as exc:
            return self.domain_error_form_invalid(form, exc)
        messages.success(self.request, "The statement's year is saved.")
        return redirect("compact:statement_compose", slug=self.compact.slug, pk=statement.pk)


class StatementPublishView(StatementMixin, DomainErrorFormMixin, FormView):
    """Confirmation before a statement is published (``services.statement_publish``)."""

    template_name = "compact/secretariat/statement_publish.html"
    form_class = ConfirmPublishForm

    def form_valid(self, form):
        try:
            services.statement_publish(statement=self.get_statement(), actor=self.request.user)
        except CompactError as exc:
            return self.domain_error_form_invalid(form, exc)
        messages.success(self.request, "The statement is published.")
        return redirect("compact:priorities_archive", slug=self.compact.slug)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            current=selectors.current_statement(compact=self.compact), **kwargs
        )
