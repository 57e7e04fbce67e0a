"""Bulk import of a cohort's participants: one row per person, by the email address they
sign in with, each enrolled by ``services.participant_enrol`` (see
``talenthub.core.imports`` for the file checks and the all-or-nothing transaction)."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from talenthub.core.imports import Column, ImportSpec, user_by_email

from . import services
from .exceptions import CohortError


class ParticipantImport(ImportSpec):
    columns = [
        Column(
            "Email",
            help=gettext_lazy(
                "The email address the person signs in to TalentHub with. They need an "
                "account; each is emailed that they are enrolled."
            ),
        ),
    ]

    def apply(self, values, *, target, actor) -> str:
        user = user_by_email(values["Email"], CohortError)
        services.participant_enrol(cohort=target, user=user, actor=actor)
        return _("Enrols %(name)s") % {"name": user.get_full_name()}
