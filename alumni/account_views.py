"""A member's own personal data: download everything (JSON) and delete the account."""

import json

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.views import View
from django.views.generic import FormView

from talenthub.core.models import SignInEvent
from talenthub.core.personal_data import erase_account, export_personal_data
from talenthub.core.services import audit_record, sign_in_event_record

from .forms import AccountDeleteForm


class PersonalDataDownloadView(LoginRequiredMixin, View):
    """Everything the portal holds about the signed-in member, as a JSON file."""

    def get(self, request):
        data = export_personal_data(request.user)
        response = HttpResponse(
            json.dumps(data, indent=2, ensure_ascii=False),
            content_type="application/json; charset=utf-8",
        )
        filename = f"talenthub-personal-data-{timezone.localdate():%Y-%m-%d}.json"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        response["Cache-Control"] = "no-store"
        return response


class AccountDeleteView(LoginRequiredMixin, FormView):
    """Delete the account after the member confirms with their password."""

    template_name = "alumni/account_delete.html"
    form_class = AccountDeleteForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def form_valid(self, form):
        user = self.request.user
        erase_account(user)
        # Recorded after erasure, so the audit trail names only the anonymised account.
        audit_record(actor=None, action="account.erased", obj=user)
        sign_in_event_record(kind=SignInEvent.Kind.ACCOUNT_DELETED, request=self.request, user=user)
        logout(self.request)
        messages.success(self.request, "Your account has been deleted.")
        return redirect("home")
