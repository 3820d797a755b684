"""Screeners' decisions: recorded against the contact's latest score, and read back as each
contact's latest decision with the score it answers (the export of decisions as training
data)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Engine, func, insert, select

from serving.audit.db import write_lock
from serving.audit.store.times import aware
from serving.audit.tables import decisions, score_events

__all__ = ["DecidedContact", "DecisionRow", "insert_decision", "list_decided_contacts"]


@dataclass(frozen=True, slots=True)
class DecisionRow:
    """A recorded screener decision and the score event it answers (if any)."""

    id: int
    request_id: str
    created_at: datetime
    contact_id: str
    outcome: str
    key_id: str
    role: str
    score_event_id: int | None


def _latest_score_event_id(contact_id: str, *, conn: Connection) -> int | None:
    return conn.execute(
        select(func.max(score_events.c.id)).where(score_events.c.contact_id == contact_id)
    ).scalar()


def insert_decision(
    *,
    engine: Engine,
    request_id: str,
    created_at: datetime,
    contact_id: str,
    outcome: str,
    key_id: str,
    role: str,
    note_redacted: str | None,
) -> DecisionRow:
    """Record a screener's decision, linked to the latest score of the same contact."""
    recorded: dict[str, Any] = {
        "request_id": request_id,
        "created_at": created_at,
        "contact_id": contact_id,
        "outcome": outcome,
        "key_id": key_id,
        "role": role,
    }
    with write_lock(engine), engine.begin() as conn:
        score_event_id = _latest_score_event_id(contact_id, conn=conn)
        new_id = conn.execute(
            insert(decisions)
            .values(**recorded, note_redacted=note_redacted, score_event_id=score_event_id)
            .returning(decisions.c.id)
        ).scalar_one()
    return DecisionRow(id=int(new_id), **recorded, score_event_id=score_event_id)


@dataclass(frozen=True, slots=True)
class DecidedContact:
    """A contact's latest recorded decision and the score it answers.

    ``decisions`` counts every decision recorded for the contact (the latest is this
    one). The score fields are None when the decision was recorded for a contact never
    scored here; ``redacted_text`` is None when the score was recorded while the service
    kept no redacted text (``AUDIT_STORE_REDACTED_TEXT`` off)."""

    decision_id: int
    contact_id: str
    outcome: str
    decided_at: datetime
    decisions: int
    score_event_id: int | None
    scored_at: datetime | None
    source: str | None
    redacted_text: str | None
    score: float | None
    band: str | None
    model_name: str | None
    model_version: str | None


def list_decided_contacts(
    *, engine: Engine, since: datetime | None = None, until: datetime | None = None
) -> list[DecidedContact]:
    """Every contact whose latest decision was recorded in ``[since, until)``, with that
    decision and the score event it is linked to (the contact's latest score when the
    decision was recorded), in the order the decisions were recorded.

    The latest decision is the last one recorded (highest id): a contact decided again
    is exported with its new outcome, and a contact whose latest decision is before
    ``since`` is left out even when an earlier one is not. Returns the stored redacted
    text: the caller must keep it out of logs and messages."""
    latest = (
        select(
            decisions.c.contact_id.label("contact_id"),
            func.max(decisions.c.id).label("latest_id"),
            func.count().label("n"),
        )
        .group_by(decisions.c.contact_id)
        .subquery()
    )
    query = (
        select(
            decisions.c.id,
            decisions.c.contact_id,
            decisions.c.outcome,
            decisions.c.created_at,
            latest.c.n,
            score_events.c.id.label("score_event_id"),
            score_events.c.created_at.label("scored_at"),
            score_events.c.source,
            score_events.c.redacted_text,
            score_events.c.score,
            score_events.c.band,
            score_events.c.model_name,
            score_events.c.model_version,
        )
        .select_from(
            decisions.join(latest, decisions.c.id == latest.c.latest_id).outerjoin(
                score_events, decisions.c.score_event_id == score_events.c.id
            )
        )
        .order_by(decisions.c.id)
    )
    if since is not None:
        query = query.where(decisions.c.created_at >= since)
    if until is not None:
        query = query.where(decisions.c.created_at < until)
    with engine.connect() as conn:
        return [
            DecidedContact(
                decision_id=int(row.id),
                contact_id=row.contact_id,
                outcome=row.outcome,
                decided_at=aware(row.created_at),
                decisions=int(row.n),
                score_event_id=None if row.score_event_id is None else int(row.score_event_id),
                scored_at=None if row.scored_at is None else aware(row.scored_at),
                source=row.source,
                redacted_text=row.redacted_text,
                score=None if row.score is None else float(row.score),
                band=row.band,
                model_name=row.model_name,
                model_version=row.model_version,
            )
            for row in conn.execute(query)
        ]
