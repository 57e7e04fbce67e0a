"""The secretariat's charter pages (issue 19, item 5): the charter's versions and their
signatories, a new version, an organisation's signature recorded, and a withdrawal after
a confirmation that says which steering seats it ends. Editors of the compact only;
another compact's objects are a 404."""

from django.contrib import messages
from django.db.models import Count, Prefetch
from django.shortcuts import redirect
from django.utils import timezone
from django.views.generic import FormView

from talenthub.core.models import Organisation
from talenthub.core.view_mixins import DomainErrorFormMixin

from .. import selectors, services
from ..exceptions import CompactError
from ..forms import CharterVersionForm, SignatoryForm, SignatoryWithdrawForm
from ..models import CharterSignatory, CharterVersion
from .secretariat import EditorMixin


class CharterManageView(EditorMixin, DomainErrorFormMixin, FormView):
    """Every charter version with its signatories (withdrawn ones marked), and a new
    version started (``services.charter_version_create``)."""

    template_name = "compact/secretariat/charter_manage.html"
    form_class = CharterVersionForm

    def form_valid(self, form):
        try:
            charter = services.charter_version_create(
                compact=self.compact, actor=self.request.user, **form.cleaned_data
            )
        except CompactError as exc:
            return self.domain_error_form_invalid(form, exc)
        messages.success(self.request, f"{charter.title} has been added.")
        return redirect("compact:charter_manage", slug=self.compact.slug)

    def get_context_data(self, **kwargs):
        signatories = CharterSignatory.objects.select_related(
            "organisation", "senior_representative"
        ).order_by("organisation__name")
        charters = (
            CharterVersion.objects.filter(compact=self.compact)
            .annotate(signed_count=Count("signatories"))
            .prefetch_related(Prefetch("signatories", queryset=signatories))
            .order_by("-starts_on")
        )
        return super().get_context_data(charters=charters, **kwargs)


class SignatoryAddView(EditorMixin, DomainErrorFormMixin, FormView):
    """An organisation's signature of one charter version (``services.charter_sign``:
    eligible by sector, membership at least the charter's minimum)."""

    template_name = "compact/secretariat/signatory_add.html"
    form_class = SignatoryForm

    def get_charter(self):
        if not hasattr(self, "_charter"):
            self._charter = selectors.charter_version_get(
                compact=self.compact, pk=self.kwargs["pk"]
            )
        return self._charter

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "organisations": Organisation.objects.order_by("name")}

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            signature = services.charter_sign(
                charter=self.get_charter(),
                organisation=data["organisation"],
                signatory_name=data["signatory_name"],
                joined_on=data["joined_on"],
                board_endorsed_on=data["board_endorsed_on"],
                senior_representative=data["representative_email"],
                actor=self.request.user,
            )
        except CompactError as exc:
            return self.domain_error_form_invalid(form, exc)
        messages.success(self.request, f"{signature.organisation} has signed the charter.")
        return redirect("compact:charter_manage", slug=self.compact.slug)

    def get_context_data(self, **kwargs):
        return super().get_context_data(charter=self.get_charter(), **kwargs)


class SignatoryWithdrawView(EditorMixin, DomainErrorFormMixin, FormView):
    """Confirmation of a withdrawal: the steering seats its people hold are listed, and
    the withdrawal is refused while they hold them unless the box to end them is ticked
    (``services.charter_signatory_withdraw``)."""

    template_name = "compact/secretariat/signatory_withdraw.html"
    form_class = SignatoryWithdrawForm

    def get_signature(self):
        if not hasattr(self, "_signature"):
            self._signature = selectors.signatory_get(compact=self.compact, pk=self.kwargs["pk"])
        return self._signature

    def form_valid(self, form):
        signature = self.get_signature()
        try:
            services.charter_signatory_withdraw(
                signature=signature,
                withdrawn_on=form.cleaned_data["withdrawn_on"],
                end_seats=form.cleaned_data["end_seats"],
                actor=self.request.user,
            )
        except CompactError as exc:
            return self.domain_error_form_invalid(form, exc)
        messages.success(self.request, f"{signature.organisation} has withdrawn.")
        return redirect("compact:charter_manage", slug=self.compact.slug)

    def get_context_data(self, **kwargs):
        signature = self.get_signature()
        return super().get_context_data(
            signature=signature,
            seats=selectors.signatory_seats_at_stake(signature=signature, on=timezone.localdate()),
            **kwargs,
        )
