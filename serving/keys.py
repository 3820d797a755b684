"""Key management for the ``screener keys`` verbs: create, list, revoke.

The plaintext key exists only in ``create_key``'s return value; the database keeps its hash.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Engine

from serving.audit import store
from serving.audit.store import KeyRow
from serving.security import ROLES, hash_key, new_key

__all__ = ["KeyRow", "create_key", "list_keys", "revoke_key"]


def create_key(
    role: str, *, engine: Engine, label: str | None = None, actor: str = "cli"
) -> tuple[str, str]:
    """Make a key with ``role``; return ``(key_id, plaintext)``. Store only its hash."""
    if role not in ROLES:
        raise ValueError(f"role must be one of {', '.join(ROLES)}")
    key_id, plaintext = new_key()
    store.insert_key(
        engine=engine,
        key_id=key_id,
        key_hash=hash_key(plaintext),
        role=role,
        label=label,
        created_at=datetime.now(UTC),
        actor=actor,
    )
    return key_id, plaintext


def list_keys(*, engine: Engine) -> list[KeyRow]:
    """Every key ever made, revoked ones included (their ``revoked_at`` is set)."""
    return store.list_keys(engine=engine)


def revoke_key(key_id: str, *, engine: Engine, actor: str = "cli") -> bool:
    """Revoke a key; False when no active key has this id. Running services stop
    accepting it within their key cache time (``KEY_CACHE_SECONDS``, default 5 s)."""
    return store.revoke_key(key_id, engine=engine, revoked_at=datetime.now(UTC), actor=actor)
