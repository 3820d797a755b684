"""Writing the events of the trail: scores served (on the hot path of every score: SQLAlchemy
Core, one INSERT per request, one executemany per batch), referrer self-checks and
promotion decisions."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, insert

from serving.audit.db import write_lock
from serving.audit.tables import check_events, model_events, score_events

__all__ = ["insert_check_event", "insert_model_event", "insert_score_events"]


def insert_score_events(rows: Sequence[Mapping[str, Any]], *, engine: Engine) -> None:
    """Record scores served: one row per contact, in one transaction (all or nothing).

    Each mapping holds the ``score_events`` columns except ``id``.
    """
    if not rows:
        return
    # insert(table) with a parameter list compiles once and is cached by SQLAlchemy;
    # .values(**row) would build and compile a new statement for every request.
    with write_lock(engine), engine.begin() as conn:
        conn.execute(insert(score_events), list(rows))


def insert_check_event(row: Mapping[str, Any], *, engine: Engine) -> int:
    """Record one referrer self-check (the ``check_events`` columns except ``id``: counts,
    question ids, the draft's keyed hash; never its text); returns its id."""
    with write_lock(engine), engine.begin() as conn:
        key = conn.execute(insert(check_events).values(**row)).inserted_primary_key
        assert key is not None  # an INSERT always has one
        return int(key[0])


def insert_model_event(
    *,
    engine: Engine,
    event: str,
    model_name: str,
    model_version: str,
    previous_version: str | None,
    actor: str | None,
    reason: str | None,
    failed_checks: str | None,
    created_at: datetime,
) -> int:
    """Record a promotion decision (promoted, forced or refused); returns its id."""
    with write_lock(engine), engine.begin() as conn:
        result = conn.execute(
            insert(model_events).values(
                created_at=created_at,
                event=event,
                model_name=model_name,
                model_version=model_version,
                previous_version=previous_version,
                actor=actor,
                reason=reason,
                failed_checks=failed_checks,
            )
        )
        key = result.inserted_primary_key
        assert key is not None  # an INSERT always has one
        return int(key[0])
