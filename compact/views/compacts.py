"""The compact index, the public page of one compact, and ``CompactMixin``, which every
compact page starts from."""

from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.views.generic import TemplateView

from .. import selectors
from ..models import Bulletin, Document


class CompactMixin:
    """Loads ``self.compact`` and ``self.access``. ``required`` is ``"public"``,
    ``"member"`` or ``"editor"``."""

    required = "public"

    def has_access(self) -> bool:
        return {
            "public": True,
            "member": self.access.is_member,
            "editor": self.access.is_editor,
        }[self.required]

    def dispatch(self, request, *args, **kwargs):
        self.compact = selectors.compact_get(slug=kwargs["slug"])
        self.access = selectors.compact_access(user=request.user, compact=self.compact)
        if not self.has_access():
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            raise Http404("Not available to you.")
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(compact=self.compact, access=self.access, **kwargs)


class IndexView(TemplateView):
    template_name = "compact/index.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(compacts=selectors.compact_list(), **kwargs)


class CompactDetailView(CompactMixin, TemplateView):
    """The public page: purpose, aims in force, annual priorities, member organisations,
    upcoming public meetings, public documents."""

    template_name = "compact/compact_detail.html"

    def get_context_data(self, **kwargs):
        compact = self.compact
        terms = selectors.terms_in_force(compact=compact)
        return super().get_context_data(
            terms=terms,
            aims=list(terms.aims.all()) if terms else [],
            statement=selectors.current_statement(compact=compact),
            members=selectors.member_organisations(compact=compact),
            meetings=selectors.upcoming_public_meetings(compact=compact),
            events=selectors.upcoming_good_practice_events(compact=compact),
            documents=compact.documents.visible_at([Document.Visibility.PUBLIC]).select_related(
                "compact"
            )[:5],
            bulletins=compact.bulletins.filter(status=Bulletin.Status.SENT).select_related(
                "compact"
            )[:3],
            **kwargs,
        )
