"""The cohorts app's one error, ``CohortError``, and its subsidy-cap kind."""

from talenthub.core.exceptions import DomainError


class CohortError(DomainError):
    """A rule of cohorts, applications or places was broken. The message is for the user:
    views show it as a form error or a flash message; the ``code`` names the rule."""

    code = "cohort"


class SubsidyCapReached(CohortError):
    """Accepting an offer found the subsidy scheme's places all used: the cohort place
    has been passed on (committed) before this is raised."""

    code = "subsidy_cap_reached"
