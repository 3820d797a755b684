"""Whether the audit trail can be written now: the readiness probe, and the heartbeat
that proves a write reached the disk again after one failed."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Engine, insert, select, text, update

from serving.audit.db import write_lock
from serving.audit.tables import api_keys, decisions, key_events, score_events, settings

__all__ = ["HEARTBEAT_SETTING", "probe", "write_heartbeat"]


def probe(*, engine: Engine) -> None:
    """Raise unless a score event could be written now: reads every table, then inserts a
    probe row and rolls it back (nothing is kept)."""
    with write_lock(engine), engine.connect() as conn:
        try:
            conn.execute(text("SELECT 1"))
            for table in (score_events, decisions, key_events, api_keys, settings):
                conn.execute(select(table).limit(0))
            conn.execute(
                insert(score_events).values(
                    request_id="readyz-probe",
                    created_at=datetime.now(UTC),
                    key_id="-",
                    role="-",
                    model_name="-",
                    model_version="-",
                    score=0.0,
                    priority=1,
                    band="low",
                    text_hmac="-",
                )
            )
        finally:
            conn.rollback()


#: The settings row :func:`write_heartbeat` rewrites (a time, nothing secret).
HEARTBEAT_SETTING = "audit_heartbeat"


def write_heartbeat(*, engine: Engine, at: datetime) -> None:
    """Commit a real write (the time, in the settings table): after an audit write failed,
    /readyz says ready again only once a write has gone all the way to disk."""
    with write_lock(engine), engine.begin() as conn:
        bumped = conn.execute(
            update(settings).where(settings.c.key == HEARTBEAT_SETTING).values(value=at.isoformat())
        )
        if bumped.rowcount == 0:
            conn.execute(insert(settings).values(key=HEARTBEAT_SETTING, value=at.isoformat()))
