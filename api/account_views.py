"""A member's personal access tokens for the API, on their account pages: list, make
(the token is shown once, on the page that answers the POST), revoke. Never cached:
the page after making a token holds the token itself."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from django.views.generic import FormView, TemplateView

from talenthub.core.view_mixins import DomainErrorFormMixin

from .exceptions import ApiError
from .forms import ApiTokenForm
from .selectors import api_tokens_of
from .services import api_token_create, api_token_revoke


@method_decorator(never_cache, name="dispatch")
class ApiTokenListView(LoginRequiredMixin, DomainErrorFormMixin, FormView):
    template_name = "api/token_list.html"
    form_class = ApiTokenForm

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["tokens"] = list(api_tokens_of(self.request.user)[:50])
        context["now"] = timezone.now()
        context["api_root"] = self.request.build_absolute_uri(reverse("api:v1:root"))
        context["api_docs"] = reverse("api:v1:docs")
        return context

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            token, raw = api_token_create(
                user=self.request.user,
                name=data["name"],
                scope=data["scope"],
                expires_in_days=data["expires_in_days"],
            )
        except ApiError as exc:
            return self.domain_error_form_invalid(form, exc)
        return render(
            self.request,
            "api/token_created.html",
            {"token": token, "raw": raw, "api_root": reverse("api:v1:root")},
        )


@method_decorator(never_cache, name="dispatch")
class ApiTokenRevokeView(LoginRequiredMixin, DomainErrorFormMixin, TemplateView):
    template_name = "api/token_revoke.html"

    def get_token(self):
        token = api_tokens_of(self.request.user).filter(pk=self.kwargs["pk"]).first()
        if token is None:
            raise Http404("No such token")
        return token

    def get_context_data(self, **kwargs):
        return super().get_context_data(token=self.get_token(), **kwargs)

    def post(self, request, pk):
        token = self.get_token()
        with self.domain_error_message():
            api_token_revoke(token=token, user=request.user)
            messages.success(request, f"The token “{token.name}” has been revoked.")
        return redirect("api_tokens")
