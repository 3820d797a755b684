"""API keys as stored (their hashes, never the keys) and the key events recorded with
each creation and revocation."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, insert, select, update

from serving.audit.db import write_lock
from serving.audit.tables import api_keys, key_events

__all__ = ["KeyRow", "get_key", "insert_key", "list_keys", "revoke_key"]


@dataclass(frozen=True, slots=True)
class KeyRow:
    """An API key as stored: its public id, the SHA-256 of the whole key, and its role."""

    key_id: str
    key_hash: str
    role: str
    label: str | None
    created_at: datetime
    revoked_at: datetime | None


def insert_key(
    *,
    engine: Engine,
    key_id: str,
    key_hash: str,
    role: str,
    label: str | None,
    created_at: datetime,
    actor: str,
) -> None:
    """Store a new key's hash and record its creation, in one transaction."""
    with write_lock(engine), engine.begin() as conn:
        conn.execute(
            insert(api_keys).values(
                key_id=key_id, key_hash=key_hash, role=role, label=label, created_at=created_at
            )
        )
        conn.execute(
            insert(key_events).values(
                created_at=created_at, key_id=key_id, event="created", role=role, actor=actor
            )
        )


def _key_row(row: Any) -> KeyRow:
    return KeyRow(
        key_id=row.key_id,
        key_hash=row.key_hash,
        role=row.role,
        label=row.label,
        created_at=row.created_at,
        revoked_at=row.revoked_at,
    )


def get_key(key_id: str, *, engine: Engine) -> KeyRow | None:
    """The stored key with this public id, revoked or not."""
    with engine.connect() as conn:
        row = conn.execute(select(api_keys).where(api_keys.c.key_id == key_id)).first()
    return None if row is None else _key_row(row)


def list_keys(*, engine: Engine) -> list[KeyRow]:
    """Every key, oldest first."""
    with engine.connect() as conn:
        rows = conn.execute(select(api_keys).order_by(api_keys.c.created_at, api_keys.c.key_id))
        return [_key_row(r) for r in rows]


def revoke_key(key_id: str, *, engine: Engine, revoked_at: datetime, actor: str) -> bool:
    """Mark a key revoked and record it. False when no active key has this id."""
    with write_lock(engine), engine.begin() as conn:
        result = conn.execute(
            update(api_keys)
            .where(api_keys.c.key_id == key_id, api_keys.c.revoked_at.is_(None))
            .values(revoked_at=revoked_at)
        )
        if result.rowcount == 0:
            return False
        role = conn.execute(select(api_keys.c.role).where(api_keys.c.key_id == key_id)).scalar()
        conn.execute(
            insert(key_events).values(
                created_at=revoked_at, key_id=key_id, event="revoked", role=role, actor=actor
            )
        )
    return True
