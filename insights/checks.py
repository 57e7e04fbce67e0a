"""System checks of the insights settings.

The suppression threshold (``TALENTHUB["SUPPRESSION_THRESHOLD"]``, env
``INSIGHTS_SUPPRESSION_THRESHOLD``) is what keeps small groups of people from being
identified in the equality reports. Zero or less would silently turn disclosure control off,
so it is an error; in production (``DEBUG`` off) a threshold under NHS Digital's 7 is a
deployment warning, which fails ``manage.py check --deploy --fail-level WARNING`` (``make
check-deploy``). A deliberately lower threshold can be accepted with
``SILENCED_SYSTEM_CHECKS = ["insights.W001"]``.
"""

from django.conf import settings
from django.core.checks import Error, Tags, register
from django.core.checks import Warning as CheckWarning

NHS_DIGITAL_THRESHOLD = 7


def _configured_threshold():
    """The configured threshold, or None if it is not a whole number."""
    value = settings.TALENTHUB.get("SUPPRESSION_THRESHOLD", NHS_DIGITAL_THRESHOLD)
    if isinstance(value, bool) or not isinstance(value, int):
        return None
    return value


@register()
def check_suppression_threshold(app_configs=None, **kwargs):
    threshold = _configured_threshold()
    if threshold is None or threshold < 1:
        return [
            Error(
                "TALENTHUB['SUPPRESSION_THRESHOLD'] must be a whole number of at least 1, "
                f"not {settings.TALENTHUB.get('SUPPRESSION_THRESHOLD')!r}: at 0 or less "
                "the equality reports would show every small group.",
                hint="Set INSIGHTS_SUPPRESSION_THRESHOLD to 7 (NHS Digital's rule) or more.",
                id="insights.E001",
            )
        ]
    return []


@register(Tags.security, deploy=True)
def check_suppression_threshold_in_production(app_configs=None, **kwargs):
    threshold = _configured_threshold()
    if settings.DEBUG or threshold is None or threshold < 1:
        return []  # below 1 is insights.E001 already
    if threshold < NHS_DIGITAL_THRESHOLD:
        return [
            CheckWarning(
                f"TALENTHUB['SUPPRESSION_THRESHOLD'] is {threshold}, below the "
                f"{NHS_DIGITAL_THRESHOLD} of NHS Digital's rule for published counts.",
                hint=(
                    "Set INSIGHTS_SUPPRESSION_THRESHOLD to 7 or more, or, if a lower "
                    "threshold has been agreed, silence insights.W001."
                ),
                id="insights.W001",
            )
        ]
    return []
