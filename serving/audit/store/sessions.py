"""Server-side records of the screener page's sessions: started, read, used, ended."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine, insert, select, update

from serving.audit.db import write_lock
from serving.audit.store.times import aware
from serving.audit.tables import page_sessions

__all__ = [
    "PageSessionRow",
    "end_page_session",
    "get_page_session",
    "insert_page_session",
    "touch_page_session",
]


@dataclass(frozen=True, slots=True)
class PageSessionRow:
    """A screener page session as stored (``id`` is the SHA-256 of its nonce)."""

    id: str
    key_id: str
    created_at: datetime
    last_seen_at: datetime
    ended_at: datetime | None


def insert_page_session(
    *, engine: Engine, session_id: str, key_id: str, created_at: datetime
) -> None:
    """Record a new page session (signed in at ``created_at``)."""
    with write_lock(engine), engine.begin() as conn:
        conn.execute(
            insert(page_sessions).values(
                id=session_id, key_id=key_id, created_at=created_at, last_seen_at=created_at
            )
        )


def get_page_session(session_id: str, *, engine: Engine) -> PageSessionRow | None:
    """The stored page session with this id, ended or not."""
    with engine.connect() as conn:
        row = conn.execute(select(page_sessions).where(page_sessions.c.id == session_id)).first()
    if row is None:
        return None
    return PageSessionRow(
        id=row.id,
        key_id=row.key_id,
        created_at=aware(row.created_at),
        last_seen_at=aware(row.last_seen_at),
        ended_at=None if row.ended_at is None else aware(row.ended_at),
    )


def touch_page_session(session_id: str, *, engine: Engine, at: datetime) -> None:
    """Note that the session was used at ``at`` (its idle time starts again)."""
    _update_open_session(session_id, engine=engine, last_seen_at=at)


def end_page_session(session_id: str, *, engine: Engine, at: datetime) -> None:
    """End a page session: every copy of its cookie is refused from now on."""
    _update_open_session(session_id, engine=engine, ended_at=at)


def _update_open_session(session_id: str, *, engine: Engine, **values: datetime) -> None:
    """Set ``values`` on the session unless it has ended (an ended session stays so)."""
    with write_lock(engine), engine.begin() as conn:
        conn.execute(
            update(page_sessions)
            .where(page_sessions.c.id == session_id, page_sessions.c.ended_at.is_(None))
            .values(**values)
        )
