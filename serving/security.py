"""API keys: their format, their hash, and the verification every request goes through.

A key is ``cs_<key_id>_<secret>``: ``key_id`` (12 hex characters) is public and names the
key in the audit trail; the secret is 32 random bytes. Only the SHA-256 of the whole key is
stored: the key has 256 bits of entropy, so a slow hash would add nothing. A verified key is
trusted for ``key_cache_seconds`` (default 5 s) without asking the database again, so a
revoked key stops working within that time.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import threading
import time
from dataclasses import dataclass

from sqlalchemy import Engine

from serving.audit import store

__all__ = [
    "KEY_PREFIX",
    "ROLES",
    "KeyVerifier",
    "Principal",
    "hash_key",
    "new_key",
    "parse_key_id",
]

KEY_PREFIX = "cs"
#: ``referrer``: a professional outside the MASH who may only self-check a draft
#: (``POST /v1/check`` and the page at ``/check``); nothing else.
ROLES: tuple[str, ...] = ("screener", "auditor", "admin", "referrer")
_KEY_RE = re.compile(r"^cs_([0-9a-f]{12})_([A-Za-z0-9_-]{20,100})$")


@dataclass(frozen=True, slots=True)
class Principal:
    """Who is calling: the key's public id and its role."""

    key_id: str
    role: str


def new_key() -> tuple[str, str]:
    """A fresh ``(key_id, plaintext_key)``."""
    key_id = secrets.token_hex(6)
    return key_id, f"{KEY_PREFIX}_{key_id}_{secrets.token_urlsafe(32)}"


def hash_key(plaintext: str) -> str:
    """The stored form of a key: hex SHA-256 of the whole key."""
    return hashlib.sha256(plaintext.encode("utf-8")).hexdigest()


def parse_key_id(plaintext: str) -> str | None:
    """The public id inside a well-formed key, or None."""
    m = _KEY_RE.match(plaintext)
    return m.group(1) if m else None


class KeyVerifier:
    """Checks keys against the database, caching successes for ``ttl_seconds``."""

    def __init__(self, *, engine: Engine, ttl_seconds: float) -> None:
        self._engine = engine
        self._ttl = ttl_seconds
        self._cache: dict[str, tuple[Principal, float]] = {}
        self._lock = threading.Lock()

    def cached(self, plaintext: str) -> Principal | None:
        """The principal for a key verified less than ``ttl_seconds`` ago, else None."""
        hit = self._cache.get(hash_key(plaintext))
        if hit is None or hit[1] < time.monotonic():
            return None
        return hit[0]

    def verify(self, plaintext: str) -> Principal | None:
        """The principal for a valid, unrevoked key; None otherwise. May query the DB."""
        digest = hash_key(plaintext)
        hit = self._cache.get(digest)
        now = time.monotonic()
        if hit is not None and hit[1] >= now:
            return hit[0]
        key_id = parse_key_id(plaintext)
        if key_id is None:
            return None
        row = store.get_key(key_id, engine=self._engine)
        if row is None or row.revoked_at is not None:
            return None
        if not hmac.compare_digest(row.key_hash, digest):
            return None
        principal = Principal(key_id=row.key_id, role=row.role)
        if self._ttl > 0:
            with self._lock:
                if len(self._cache) > 10_000:  # bound memory under key churn
                    self._cache.clear()
                self._cache[digest] = (principal, now + self._ttl)
        return principal
