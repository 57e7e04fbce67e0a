"""The pool managers' own pages (issue 19, items 1 and 5): membership, readiness,
mobility, assessments, succession plans, and the candidates for a vacancy. Every object
is fetched through a selector scoped to the pools the manager's provider owns, so
another provider's pool, member or key role is a 404."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.shortcuts import redirect
from django.views.generic import FormView, TemplateView

from talenthub.core.pagination import CountWhenFullPaginator
from talenthub.core.permissions import ProgrammeManagerRequiredMixin, is_programme_manager
from talenthub.core.view_mixins import DomainErrorFormMixin

from . import selectors_talent, services, services_talent
from .exceptions import AlumniError
from .models import Successor
from .talent_forms import KeyRoleForm, PoolMemberAddForm, PoolMemberForm, SuccessorForm


class PoolMixin(ProgrammeManagerRequiredMixin):
    """The pool of the URL's slug, among the pools the manager manages (else 404)."""

    def dispatch(self, request, *args, **kwargs):
        if is_programme_manager(request.user):  # else the mixin's 302 or 403, not a 404
            self.pool = selectors_talent.pool_for_manager(request.user, kwargs["slug"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(pool=self.pool, **kwargs)


class PoolMembersView(PoolMixin, TemplateView):
    """A pool's members, a page at a time, with links to change each."""

    template_name = "alumni/pool_members.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        members = (
            self.pool.pool_members.select_related("user", "assessment")
            .prefetch_related("functional_areas")
            .order_by("user__full_name", "pk")
        )
        page = Paginator(members, settings.TALENTHUB["PAGE_SIZE"]).get_page(
            self.request.GET.get("page")
        )
        context.update(page_obj=page, members=page.object_list, is_paginated=page.has_other_pages())
        return context


class PoolMemberAddView(PoolMixin, DomainErrorFormMixin, FormView):
    template_name = "alumni/pool_member_add.html"
    form_class = PoolMemberAddForm

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            member = services.pool_member_add(
                pool=self.pool,
                user=data["user"],
                target_level=data["target_level"],
                readiness=data["readiness"],
                home_region=data["home_region"],
                selected_by=self.request.user,
            )
        except AlumniError as exc:
            return self.domain_error_form_invalid(form, exc)
        messages.success(self.request, f"{member.user.full_name} has been added to the pool.")
        return redirect("alumni:pool_member", pk=member.pk)


class MemberMixin(ProgrammeManagerRequiredMixin):
    def dispatch(self, request, *args, **kwargs):
        if is_programme_manager(request.user):
            self.member = selectors_talent.pool_member_for_manager(request.user, kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(member=self.member, pool=self.member.pool, **kwargs)


class PoolMemberEditView(MemberMixin, DomainErrorFormMixin, FormView):
    """Change a member's level, readiness, region, areas, skills and mobility."""

    template_name = "alumni/pool_member_form.html"
    form_class = PoolMemberForm

    def get_initial(self):
        m = self.member
        return {
            "target_level": m.target_level,
            "readiness": m.readiness,
            "home_region": m.home_region,
            "functional_areas": list(m.functional_areas.all()),
            "skills": m.skills,
            "experience": m.experience,
            "mobility_regions": m.mobility_regions,
            "open_to_secondment": m.open_to_secondment,
            "open_to_relocation": m.open_to_relocation,
        }

    def form_valid(self, form):
        data = dict(form.cleaned_data)
        areas = data.pop("functional_areas")
        try:
            services_talent.pool_member_update(
                member=self.member, by=self.request.user, functional_areas=list(areas), **data
            )
        except AlumniError as exc:
            return self.domain_error_form_invalid(form, exc)
        messages.success(self.request, f"{self.member.user.full_name}’s details have been saved.")
        return redirect("alumni:pool_members", slug=self.member.pool.slug)


class PoolMemberRemoveView(MemberMixin, DomainErrorFormMixin, TemplateView):
    """Asks before taking a person out of the pool."""

    template_name = "alumni/pool_member_remove.html"

    def post(self, request, pk):
        slug = self.member.pool.slug
        with self.domain_error_message():
            services_talent.pool_member_remove(member=self.member, by=request.user)
            messages.success(request, f"{self.member.user.full_name} has left the pool.")
        return redirect("alumni:pool_members", slug=slug)


class SuccessionView(PoolMixin, TemplateView):
    """The pool's key roles: incumbent, successors with readiness, gaps."""

    template_name = "alumni/succession.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page = CountWhenFullPaginator(
            selectors_talent.key_roles_with_successors(self.pool), settings.TALENTHUB["PAGE_SIZE"]
        ).get_page(self.request.GET.get("page"))
        context.update(
            page_obj=page,
            is_paginated=page.has_other_pages(),
            plans=[selectors_talent.succession_plan(role) for role in page.object_list],
            roles_with_gaps=selectors_talent.key_roles_with_gaps(self.pool),
        )
        return context


class KeyRoleCreateView(PoolMixin, DomainErrorFormMixin, FormView):
    template_name = "alumni/key_role_form.html"
    form_class = KeyRoleForm

    def form_valid(self, form):
        try:
            role = services_talent.key_role_save(
                pool=self.pool, by=self.request.user, **form.cleaned_data
            )
        except AlumniError as exc:
            return self.domain_error_form_invalid(form, exc)
        messages.success(self.request, f"{role.title} has been added to the succession plan.")
        return redirect("alumni:key_role", pk=role.pk)


class KeyRoleView(ProgrammeManagerRequiredMixin, DomainErrorFormMixin, FormView):
    """One key role: its successors, and a form to name another."""

    template_name = "alumni/key_role_detail.html"
    form_class = SuccessorForm

    def dispatch(self, request, *args, **kwargs):
        if is_programme_manager(request.user):
            self.key_role = selectors_talent.key_role_for_manager(request.user, kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        named = self.key_role.successors.values("pool_member")
        members = (
            self.key_role.pool.pool_members.exclude(pk__in=named)
            .select_related("user")
            .order_by("user__full_name")
        )
        return {**super().get_form_kwargs(), "members": members}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        plan = selectors_talent.succession_plan(
            selectors_talent.key_roles_with_successors(self.key_role.pool).get(pk=self.key_role.pk)
        )
        context.update(key_role=self.key_role, plan=plan, pool=self.key_role.pool)
        return context

    def post(self, request, *args, **kwargs):
        if "remove" in request.POST:
            remove = request.POST["remove"]
            successor = (
                Successor.objects.filter(key_role=self.key_role, pk=int(remove))
                .select_related("pool_member__user", "key_role__pool")
                .first()
                if remove.isdigit()
                else None
            )
            if successor is not None:
                with self.domain_error_message():
                    services_talent.successor_remove(successor=successor, by=request.user)
                    messages.success(request, "The successor has been removed from the plan.")
            return redirect("alumni:key_role", pk=self.key_role.pk)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        try:
            services_talent.successor_add(
                key_role=self.key_role, by=self.request.user, **form.cleaned_data
            )
        except AlumniError as exc:
            return self.domain_error_form_invalid(form, exc)
        messages.success(self.request, "The successor has been added to the plan.")
        return redirect("alumni:key_role", pk=self.key_role.pk)


class VacancyCandidatesView(LoginRequiredMixin, TemplateView):
    """Who could fill an open vacancy: for a pool manager, the matching members of their
    pools; for the posting organisation, only members who agreed to be shown."""

    template_name = "alumni/vacancy_candidates.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        vacancy = selectors_talent.vacancy_for_candidates(self.request.user, kwargs["pk"])
        result = selectors_talent.vacancy_candidates(self.request.user, vacancy)
        # The candidates are matched and ranked in Python (regions live in JSON), so the
        # list is whole; the page shows a page of it.
        page = Paginator(result.candidates, settings.TALENTHUB["PAGE_SIZE"]).get_page(
            self.request.GET.get("page")
        )
        context.update(
            result=result,
            page_obj=page,
            candidates=page.object_list,
            is_paginated=page.has_other_pages(),
        )
        return context
