"""Personal access tokens for the public API (docs/api.md).

A token is shown to its owner once, when it is made; only its SHA-256 digest is stored,
so a copy of the database (or the admin) reveals no usable token. A token of 43 random
URL-safe characters (256 bits) needs no slow, salted hash: nobody can guess one to look
up, and the digest is the index the request is authenticated by.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from talenthub.core.models import TimeStampedModel
from talenthub.core.tokens import secret_token_digest, secret_token_new

TOKEN_PREFIX = "th_"


# The digest and the token are core's (``talenthub.core.tokens``), shared with the
# compact's meeting feeds.
token_digest = secret_token_digest


def token_new() -> str:
    return secret_token_new(TOKEN_PREFIX)


class ApiTokenQuerySet(models.QuerySet):
    def usable(self, now=None):
        """Not revoked and not expired."""
        now = now or timezone.now()
        return self.filter(revoked_at__isnull=True).filter(
            Q(expires_at__isnull=True) | Q(expires_at__gt=now)
        )


class ApiToken(TimeStampedModel):
    """A member's personal access token: who it acts for, what it may do (its scope), and
    when it was last used, revoked or expires."""

    class Scope(models.TextChoices):
        READ = (
            "read",
            _("Read: my profile, bookings and applications (managers: their provider's records)"),
        )
        BOOKINGS = (
            "bookings",
            _("Read and bookings: also book, cancel, and accept or decline offers"),
        )

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(
        max_length=100, help_text=_("What the token is for, e.g. “Trust intranet widget”.")
    )
    digest = models.CharField(max_length=64, unique=True, editable=False)
    # The first characters of the token, shown in lists so its owner can tell tokens apart.
    hint = models.CharField(max_length=12, editable=False)
    scope = models.CharField(max_length=10, choices=Scope.choices, default=Scope.READ)
    expires_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("personal access token")
        constraints = [
            models.CheckConstraint(
                condition=Q(scope__in=["read", "bookings"]),
                name="apitoken_scope_known",
                violation_error_code="apitoken_scope_known",
                violation_error_message=_("Choose what the token may do."),
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.hint}…)"

    @property
    def may_book(self) -> bool:
        return self.scope == self.Scope.BOOKINGS

    def is_usable(self, now=None) -> bool:
        now = now or timezone.now()
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)
