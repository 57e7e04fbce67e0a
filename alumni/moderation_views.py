"""Pages for what members contribute (pledges, and their own stories and pledges with
where each stands) and for the moderators who publish them. The story form itself is
``views.StoryCreateView``."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import AccessMixin, LoginRequiredMixin
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views import View
from django.views.generic import FormView, ListView, TemplateView

from talenthub.core.view_mixins import DomainErrorFormMixin

from . import moderation, services
from .exceptions import AlumniError
from .models import CareerStory, Pledge
from .moderation_forms import ModerationForm, PledgeForm


class ModeratorRequiredMixin(AccessMixin):
    """Anonymous users are sent to sign in; signed-in users who are not moderators get
    403."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not moderation.is_moderator(request.user):
            self.raise_exception = True
            return self.handle_no_permission()
        return super().dispatch(request, *args, **kwargs)


class ModerationQueueView(ModeratorRequiredMixin, ListView):
    """What is waiting for a moderator, oldest first: stories or pledges (``kind``), each
    with the whole text and a publish / do not publish form."""

    template_name = "alumni/moderation.html"
    context_object_name = "items"
    kind = "stories"

    def get_paginate_by(self, queryset):
        return settings.TALENTHUB["PAGE_SIZE"]

    def get_queryset(self):
        self.stories, self.pledges = moderation.moderation_queue()
        return self.stories if self.kind == "stories" else self.pledges

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            kind=self.kind,
            story_count=self.stories.count(),
            pledge_count=self.pledges.count(),
            form=ModerationForm(),
        )
        return context


class ModerateView(ModeratorRequiredMixin, DomainErrorFormMixin, View):
    """Publish or reject one story or pledge (POST), through its service."""

    kind = "stories"

    def post(self, request, pk):
        model = CareerStory if self.kind == "stories" else Pledge
        item = get_object_or_404(model, pk=pk)
        form = ModerationForm(request.POST)
        back = reverse(
            "alumni:moderation" if self.kind == "stories" else "alumni:moderation_pledges"
        )
        if not form.is_valid():
            messages.error(request, next(iter(form.errors.values()))[0])
            return redirect(back)
        publish = form.cleaned_data["decision"] == "publish"
        reason = form.cleaned_data["reason"]
        with self.domain_error_message():
            if model is CareerStory:
                services.career_story_moderate(
                    story=item, moderator=request.user, publish=publish, reason=reason
                )
            else:
                moderation.pledge_moderate(
                    pledge=item, moderator=request.user, publish=publish, reason=reason
                )
            what = "published" if publish else "not published"
            messages.success(request, f"“{item}” is {what}. The person who submitted it is told.")
        return redirect(back)


class PledgeCreateView(LoginRequiredMixin, DomainErrorFormMixin, FormView):
    """A member makes a pledge to drive equality; it is public once a moderator approves."""

    template_name = "alumni/pledge_form.html"
    form_class = PledgeForm

    def get_initial(self):
        profile = getattr(self.request.user, "profile", None)
        return {
            "leader_name": self.request.user.full_name,
            "leader_role": getattr(profile, "job_title", ""),
            "organisation": getattr(profile, "organisation_id", None),
        }

    def form_valid(self, form):
        data = dict(form.cleaned_data)
        data.pop("confirm")
        try:
            moderation.pledge_submit(member=self.request.user, **data)
        except AlumniError as exc:
            return self.domain_error_form_invalid(form, exc)
        messages.success(
            self.request, "Thank you: the pledge will be published when a moderator approves it."
        )
        return redirect("alumni:my_contributions")


class MyContributionsView(LoginRequiredMixin, TemplateView):
    """The member's own stories and pledges, with where each stands (awaiting moderation,
    published, not published). Not paginated: one person's own submissions stay few."""

    template_name = "alumni/my_contributions.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            stories=moderation.stories_of(self.request.user),
            pledges=moderation.pledges_of(self.request.user),
            **kwargs,
        )
