"""A Redis cache that fails open.

The cache holds nothing that a request cannot do without: allauth's rate limits on
sign-in, sign-up and password reset, short page caches, the insights publishing lock. If
Redis is down, each call is answered by a cache in this process instead (so the rate
limits still count, per process) and the first failure in a minute is logged. Django's
own RedisCache raises instead, which turned every sign-in into an error page.
"""

import logging
import time

import redis.exceptions
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache

logger = logging.getLogger(__name__)

ERRORS = (redis.exceptions.RedisError, ConnectionError, TimeoutError, OSError)


class FailOpenRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        local = {k: params[k] for k in ("TIMEOUT", "KEY_PREFIX", "VERSION") if k in params}
        self._local = LocMemCache(f"fail-open-{id(self)}", local)
        self._logged_at = 0.0
        self._answering_locally = False

    @property
    def answering_locally(self) -> bool:
        """True since a call failed over to this process's cache, until one reaches
        Redis again: kept pages must not be kept or served then, as other workers
        would not see this one's data version (talenthub.core.page_cache)."""
        return self._answering_locally

    def _fallback(self, name, exc, *args, **kwargs):
        self._answering_locally = True
        now = time.monotonic()
        if now - self._logged_at > 60:
            self._logged_at = now
            logger.error(
                "Redis cache unavailable (%s: %s): using a cache in this process",
                type(exc).__name__,
                exc,
            )
        return getattr(self._local, name)(*args, **kwargs)


def _fail_open(name):
    redis_method = getattr(RedisCache, name)

    def method(self, *args, **kwargs):
        try:
            result = redis_method(self, *args, **kwargs)
        except ERRORS as exc:
            return self._fallback(name, exc, *args, **kwargs)
        self._answering_locally = False
        return result

    method.__name__ = name
    return method


for _name in [
    "add",
    "get",
    "set",
    "touch",
    "delete",
    "get_many",
    "has_key",
    "incr",
    "set_many",
    "delete_many",
    "clear",
]:
    setattr(FailOpenRedisCache, _name, _fail_open(_name))
