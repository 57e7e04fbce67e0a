"""Rate limits, kept in the default cache (Redis in production, so every worker counts
together): one budget per personal access token, one per client address."""

from allauth.core.internal.httpkit import get_client_ip
from django.core.exceptions import ImproperlyConfigured
from rest_framework.throttling import SimpleRateThrottle

from .models import ApiToken


class TokenRateThrottle(SimpleRateThrottle):
    """Per token, whoever uses it from wherever."""

    scope = "token"

    def get_cache_key(self, request, view):
        if not isinstance(request.auth, ApiToken):
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.auth.pk}


class AddressRateThrottle(SimpleRateThrottle):
    """Per client address, with or without a token. The address is the one sign-in
    throttling uses (allauth's, under ``TRUSTED_PROXY_COUNT``), so X-Forwarded-For is
    believed only from the proxies the operator says are there."""

    scope = "address"

    def get_cache_key(self, request, view):
        try:
            address = get_client_ip(request._request)
        except ImproperlyConfigured:
            # Fewer X-Forwarded-For entries than trusted proxies: not through the proxies.
            address = request.META.get("REMOTE_ADDR", "")
        return self.cache_format % {"scope": self.scope, "ident": address}
