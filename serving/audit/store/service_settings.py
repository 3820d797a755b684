"""The service's settings rows: read, counted, incremented atomically, deleted."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Engine, Integer, String, cast, delete, func, insert, select, update

from serving.audit.db import write_lock
from serving.audit.tables import settings

__all__ = ["delete_settings", "get_setting", "get_settings_present", "increment_setting"]


def get_setting(key: str, *, engine: Engine) -> str | None:
    """The stored value of a service setting, or None."""
    with engine.connect() as conn:
        return conn.execute(select(settings.c.value).where(settings.c.key == key)).scalar()


def delete_settings(keys: Sequence[str], *, engine: Engine) -> dict[str, str]:
    """Delete the settings named ``keys``; returns the rows deleted (name -> value)."""
    if get_settings_present(keys, engine=engine) == 0:
        return {}
    with write_lock(engine), engine.begin() as conn:
        rows = conn.execute(
            select(settings.c.key, settings.c.value).where(settings.c.key.in_(keys))
        ).all()
        conn.execute(delete(settings).where(settings.c.key.in_(keys)))
    return {row.key: row.value for row in rows}


def get_settings_present(keys: Sequence[str], *, engine: Engine) -> int:
    """How many of the settings ``keys`` are stored (a read, no lock)."""
    with engine.connect() as conn:
        return int(
            conn.execute(
                select(func.count()).select_from(settings).where(settings.c.key.in_(keys))
            ).scalar_one()
        )


def increment_setting(key: str, *, engine: Engine) -> int:
    """Add one to an integer setting (created at 1) and return the new value, atomically."""
    with write_lock(engine), engine.begin() as conn:
        bumped = conn.execute(
            update(settings)
            .where(settings.c.key == key)
            .values(value=cast(cast(settings.c.value, Integer) + 1, String))
        )
        if bumped.rowcount == 0:
            conn.execute(insert(settings).values(key=key, value="1"))
            return 1
        return int(conn.execute(select(settings.c.value).where(settings.c.key == key)).scalar_one())
