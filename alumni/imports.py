"""Bulk import of a talent pool's members: one row per person, by the email address they
sign in with, each added by ``services.pool_member_add`` (see ``talenthub.core.imports``
for the file checks and the all-or-nothing transaction)."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from talenthub.core.choices import CareerLevel, Region
from talenthub.core.imports import Column, ImportSpec, user_by_email

from . import services
from .exceptions import AlumniError
from .models import Readiness


def choice_value(choices, text: str, column: str):
    """The value of a choice given by its value or its label, in any case."""
    wanted = text.strip().casefold()
    for value, label in choices.choices:
        if wanted in {str(value).casefold(), str(label).casefold()}:
            return value
    raise AlumniError(
        _("%(column)s “%(text)s” is not one of: %(choices)s.")
        % {
            "column": column,
            "text": text[:50],
            "choices": ", ".join(str(v) for v in choices.values),
        }
    )


def _choices_help(choices) -> str:
    return "; ".join(f"{value} ({label})" for value, label in choices.choices)


class PoolMemberImport(ImportSpec):
    columns = [
        Column("Email", help=gettext_lazy("The email address the person signs in with.")),
        Column(
            "Target level",
            help=gettext_lazy("The level of role they are aiming for: 1, 2, 3 or 4."),
        ),
        Column("Readiness", help=_choices_help(Readiness)),
        Column("Home region", help=gettext_lazy("A region's name or code, e.g. West Midlands.")),
        Column("Skills", required=False, help=gettext_lazy("Up to 500 characters.")),
        Column("Experience", required=False),
    ]

    def apply(self, values, *, target, actor) -> str:
        user = user_by_email(values["Email"], AlumniError)
        member = services.pool_member_add(
            pool=target,
            user=user,
            target_level=choice_value(CareerLevel, values["Target level"], "Target level"),
            readiness=choice_value(Readiness, values["Readiness"], "Readiness"),
            home_region=choice_value(Region, values["Home region"], "Home region"),
            skills=values["Skills"],
            experience=values["Experience"],
            selected_by=actor,
        )
        return _("Adds %(name)s (%(readiness)s)") % {
            "name": user.get_full_name(),
            "readiness": member.get_readiness_display(),
        }
