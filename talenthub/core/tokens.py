"""Secret tokens that are stored only as their digest: the API's personal access tokens
and the compact members' meeting feeds. A token is shown to its owner once, when it is
made; the database (and so the admin, a backup or a staff account) holds only its SHA-256
digest. 43 random URL-safe characters (256 bits) need no slow, salted hash: nobody can
guess one to look up, and the digest is the index the request is found by."""

import hashlib
import secrets


def secret_token_new(prefix: str = "") -> str:
    return prefix + secrets.token_urlsafe(32)


def secret_token_digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def secret_token_hint(raw: str) -> str:
    """The first characters, shown in lists so the owner can tell tokens apart."""
    return raw[:8]
