"""Reading the trail: the auditor's pages of events, the screener page's queue and the
monitor's scores with their latest decisions. Never concern text."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from sqlalchemy import Engine, String, func, inspect, literal, select

from serving.audit.store.times import aware
from serving.audit.tables import check_events, decisions, key_events, model_events, score_events

__all__ = [
    "AuditTrailMissing",
    "EventType",
    "list_events",
    "list_scores_for_queue",
    "scores_with_decisions",
]


EventType = Literal["score", "decision", "key", "model", "check"]


class AuditTrailMissing(LookupError):
    """The database holds no audit trail (no score events or decisions table)."""


_EVENT_COLUMNS: dict[str, tuple[str, ...]] = {
    "score": (
        "id",
        "request_id",
        "item_index",
        "created_at",
        "key_id",
        "role",
        "model_name",
        "model_version",
        "score",
        "priority",
        "band",
        "source",
        "contact_id",
        "text_hmac",
        "level",
        "practice_and_guidance_differ",
        "floor",
        "similar_ids",
        "indicators",
    ),
    "decision": (
        "id",
        "request_id",
        "created_at",
        "contact_id",
        "outcome",
        "key_id",
        "role",
        "score_event_id",
    ),
    "key": ("id", "created_at", "key_id", "event", "role", "actor"),
    "model": (
        "id",
        "created_at",
        "event",
        "model_name",
        "model_version",
        "previous_version",
        "actor",
        "reason",
        "failed_checks",
    ),
    "check": (
        "id",
        "request_id",
        "created_at",
        "key_id",
        "role",
        "channel",
        "checklist_version",
        "questions",
        "questions_missing",
        "missing_questions",
        "resembling",
        "model_name",
        "model_version",
        "text_hmac",
    ),
}


def list_events(
    *,
    engine: Engine,
    event_type: EventType,
    after_id: int = 0,
    limit: int = 100,
    contact_id: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    model_version: str | None = None,
) -> list[dict[str, Any]]:
    """One page of audit events of one type, in id order, after ``after_id``.

    Never returns text: the redacted text and notes stay in the database. Filters that do
    not apply to the type (``model_version`` on key events) match nothing when given.
    A decision event carries its linked score's model version, score, band, guidance level,
    differ flag and floor for agreement studies. A score event's ``similar`` is the list of
    the ids of the similar examples shown, and its ``indicators`` the labels of the live
    indicators found (each None for a row from before they were recorded).
    """
    table = {
        "score": score_events,
        "decision": decisions,
        "key": key_events,
        "model": model_events,
        "check": check_events,
    }[event_type]
    cols = [table.c[name] for name in _EVENT_COLUMNS[event_type]]
    query = select(*cols)
    if event_type == "decision":
        query = select(
            *cols,
            score_events.c.model_version.label("model_version"),
            score_events.c.score.label("score"),
            score_events.c.band.label("band"),
            score_events.c.level.label("level"),
            score_events.c.practice_and_guidance_differ.label("practice_and_guidance_differ"),
            score_events.c.floor.label("floor"),
            (decisions.c.note_redacted.is_not(None)).label("has_note"),
        ).select_from(
            decisions.outerjoin(score_events, decisions.c.score_event_id == score_events.c.id)
        )
    query = query.where(table.c.id > after_id)
    if contact_id is not None:
        if "contact_id" not in table.c:
            return []
        query = query.where(table.c.contact_id == contact_id)
    if model_version is not None:
        if event_type == "score" or event_type == "decision":
            query = query.where(score_events.c.model_version == model_version)
        elif event_type == "model" or event_type == "check":
            query = query.where(table.c.model_version == model_version)
        else:
            return []
    if since is not None:
        query = query.where(table.c.created_at >= since)
    if until is not None:
        query = query.where(table.c.created_at < until)
    query = query.order_by(table.c.id).limit(limit)
    with engine.connect() as conn:
        rows = [dict(row._mapping) for row in conn.execute(query)]
    if event_type == "score":
        for row in rows:
            ids = row.pop("similar_ids")
            row["similar"] = None if ids is None else ids.split()
            labels = row.pop("indicators")
            row["indicators"] = None if labels is None else labels.split()
    return rows


def list_scores_for_queue(
    *, engine: Engine, since: datetime, limit: int = 500
) -> list[dict[str, Any]]:
    """Scores served since ``since`` for the screener page's queue, highest priority (then
    score, then newest) first, each with ``decided``: whether a decision has been recorded
    for its contact (always False for a score without a contact id), and ``floor``, what a
    must-never-miss floor said (policy text) or None. Never returns concern text."""
    decided = (
        select(decisions.c.id).where(decisions.c.contact_id == score_events.c.contact_id).exists()
    )
    query = (
        select(
            score_events.c.id,
            score_events.c.created_at,
            score_events.c.contact_id,
            score_events.c.source,
            score_events.c.score,
            score_events.c.priority,
            score_events.c.band,
            score_events.c.model_version,
            score_events.c.floor,
            decided.label("decided"),
        )
        .where(score_events.c.created_at >= since)
        .order_by(
            score_events.c.priority.desc(), score_events.c.score.desc(), score_events.c.id.desc()
        )
        .limit(limit)
    )
    with engine.connect() as conn:
        return [dict(row._mapping) for row in conn.execute(query)]


def scores_with_decisions(
    *, engine: Engine, since: datetime, until: datetime
) -> list[dict[str, Any]]:
    """Every score event created in ``[since, until)``, in id order, for the monitor: its
    id, time (UTC), model name and version, score, band, source, contact id, indicator
    labels (the stored string; None for a row from before they were recorded, or a trail
    not migrated to 0007) and the latest decision recorded on it (``decision_id`` and
    ``decision``, the outcome; None for none). Never text. Raises AuditTrailMissing when
    the database holds no score events table (it is not an audit trail, or was never
    migrated)."""
    with engine.connect() as conn:
        names = set(inspect(conn).get_table_names())
        if "score_events" not in names or "decisions" not in names:
            raise AuditTrailMissing("it holds no audit trail (no score_events or decisions table)")
        columns = {c["name"] for c in inspect(conn).get_columns("score_events")}
        latest = (
            select(
                decisions.c.score_event_id.label("score_event_id"),
                func.max(decisions.c.id).label("decision_id"),
            )
            .where(decisions.c.score_event_id.is_not(None))
            .group_by(decisions.c.score_event_id)
            .subquery()
        )
        indicators = (
            score_events.c.indicators
            if "indicators" in columns
            else literal(None, type_=String).label("indicators")
        )
        query = (
            select(
                score_events.c.id,
                score_events.c.created_at,
                score_events.c.model_name,
                score_events.c.model_version,
                score_events.c.score,
                score_events.c.band,
                score_events.c.source,
                score_events.c.contact_id,
                indicators,
                latest.c.decision_id,
                decisions.c.outcome.label("decision"),
            )
            .select_from(
                score_events.outerjoin(
                    latest, latest.c.score_event_id == score_events.c.id
                ).outerjoin(decisions, decisions.c.id == latest.c.decision_id)
            )
            .where(score_events.c.created_at >= since, score_events.c.created_at < until)
            .order_by(score_events.c.id)
        )
        rows = [dict(row._mapping) for row in conn.execute(query)]
    for row in rows:
        row["created_at"] = aware(row["created_at"])
    return rows
