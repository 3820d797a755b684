"""Alembic migrations of the audit database, configured in code so they run from an
installed package (no alembic.ini needed)."""

from __future__ import annotations

import logging
from pathlib import Path

from sqlalchemy import Engine, text

__all__ = ["current_revision", "head_revision", "upgrade_to_head"]

log = logging.getLogger(__name__)

_SCRIPT_LOCATION = Path(__file__).resolve().parent
#: Any constant: PostgreSQL advisory lock id serialising migrations across workers.
_PG_LOCK_ID = 4_741_201


def _config(engine: Engine):  # type: ignore[no-untyped-def]
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(_SCRIPT_LOCATION))
    cfg.attributes["engine"] = engine
    return cfg


def head_revision() -> str:
    """The newest revision shipped with this package."""
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    cfg = Config()
    cfg.set_main_option("script_location", str(_SCRIPT_LOCATION))
    head = ScriptDirectory.from_config(cfg).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at (None when never migrated)."""
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade_to_head(engine: Engine) -> None:
    """Bring the audit database to the newest schema; a no-op when it is already there.

    Several workers may start at once: on PostgreSQL an advisory lock serialises them; on
    SQLite a loser of the race sees the tables exist, and succeeds if the winner reached
    head.
    """
    from alembic import command

    head = head_revision()
    if current_revision(engine) == head:
        return
    cfg = _config(engine)
    if engine.dialect.name == "postgresql":
        with engine.connect() as conn:
            conn.execute(text("SELECT pg_advisory_lock(:k)"), {"k": _PG_LOCK_ID})
            try:
                cfg.attributes["connection"] = conn
                command.upgrade(cfg, "head")
                conn.commit()
            finally:
                conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": _PG_LOCK_ID})
                conn.commit()
        return
    try:
        command.upgrade(cfg, "head")
    except Exception:
        if current_revision(engine) != head:
            raise
        log.info("audit schema migrated concurrently by another process")
