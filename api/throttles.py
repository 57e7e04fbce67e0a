"""Rate limits, kept in the default cache (Redis in production, so every worker counts
together): one budget per personal access token, one per client address."""

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
    """Per client address, with or without a token (REMOTE_ADDR, or the address the
    trusted proxy put in X-Forwarded-For when NUM_PROXIES is set)."""

    scope = "address"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}
