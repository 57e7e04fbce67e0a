"""Bulk import of a charter version's signatories: one row per member organisation, each
signed by ``services.charter_sign`` (eligibility by sector, the minimum membership; see
``talenthub.core.imports`` for the file checks and the all-or-nothing transaction).
The page is reached from the charter version's admin page; its target comes from the
compacts the person edits (``selectors.compacts_edited_by``), so another compact's
charter is a 404."""

import datetime

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from talenthub.core.import_views import BulkImportView
from talenthub.core.imports import Column, ImportSpec, user_by_email
from talenthub.core.models import Organisation

from . import selectors, services
from .models import CharterVersion

DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d %B %Y", "%d %b %Y"]
DATE_HELP = gettext_lazy("A date such as 2026-04-01 or 01/04/2026.")


def parse_date(text: str, column: str) -> datetime.date | None:
    if not text:
        return None
    for date_format in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, date_format).date()
        except ValueError:
            continue
    raise services.CompactError(
        _("%(column)s “%(text)s” is not a date such as 2026-04-01 or 01/04/2026.")
        % {"column": column, "text": text[:30]}
    )


def _person(email: str):
    return user_by_email(email, services.CompactError) if email else None


class SignatoryImport(ImportSpec):
    columns = [
        Column("Organisation", help=gettext_lazy("Its name as registered in TalentHub.")),
        Column("Signatory name", help=gettext_lazy("Who signed, and as what.")),
        Column("Joined on", help=DATE_HELP),
        Column(
            "Senior representative email",
            help=gettext_lazy("The email address the representative signs in with."),
        ),
        Column("Deputy email", required=False),
        Column("Champion email", required=False),
        Column("Board endorsed on", required=False, help=DATE_HELP),
        Column(
            "Renewal due on",
            required=False,
            help=gettext_lazy("Blank: the later of the charter's end and the minimum membership."),
        ),
    ]

    def apply(self, values, *, target, actor) -> str:
        organisation = Organisation.objects.filter(name__iexact=values["Organisation"]).first()
        if organisation is None:
            raise services.CompactError(
                _("No organisation is called “%(name)s”.") % {"name": values["Organisation"]}
            )
        signature = services.charter_sign(
            charter=target,
            organisation=organisation,
            signatory_name=values["Signatory name"],
            joined_on=parse_date(values["Joined on"], "Joined on"),
            senior_representative=_person(values["Senior representative email"]),
            deputy=_person(values["Deputy email"]),
            champion=_person(values["Champion email"]),
            board_endorsed_on=parse_date(values["Board endorsed on"], "Board endorsed on"),
            renewal_due_on=parse_date(values["Renewal due on"], "Renewal due on"),
            actor=actor,
        )
        return _("Signs for %(organisation)s, renewal due %(renewal)s") % {
            "organisation": organisation,
            "renewal": f"{signature.renewal_due_on:%d %B %Y}",
        }


class SignatoryImportView(LoginRequiredMixin, BulkImportView):
    spec = SignatoryImport()
    what = "charter signatories"

    def get_target(self):
        # The admin's own rule for adding signatories, then the compacts the person edits.
        if not self.request.user.has_perm("compact.add_chartersignatory"):
            raise PermissionDenied
        charters = CharterVersion.objects.filter(
            compact__in=selectors.compacts_edited_by(self.request.user)
        ).select_related("compact")
        return get_object_or_404(charters, pk=self.kwargs["object_id"])

    def get_target_label(self):
        return f"{self.target.compact}: {self.target}"

    def get_back_url(self):
        return reverse("admin:compact_chartersignatory_changelist") + (
            f"?charter__id__exact={self.target.pk}"
        )

    def success_message(self, result):
        return f"{len(result.rows)} signatories added to {self.target}."
