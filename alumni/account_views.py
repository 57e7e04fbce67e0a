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

from talenthub.core.personal_data import export_personal_data
from talenthub.core.services import account_erase

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
        account_erase(user=self.request.user, request=self.request)
        logout(self.request)
        messages.success(self.request, "Your account has been deleted.")
        return redirect("home")
