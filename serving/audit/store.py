"""The only SQL in the project: reads and writes of the audit trail.

Every function takes keyword-only ``engine`` (or ``conn``) and opens its own short
transaction. Scores are written with SQLAlchemy Core (one INSERT per request, one
executemany per batch) because this sits on the hot path of every score.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

from sqlalchemy import (
    Connection,
    Engine,
    Integer,
    String,
    cast,
    delete,
    func,
    insert,
    inspect,
    literal,
    select,
    text,
    update,
)

from serving.audit.db import write_lock
from serving.audit.tables import (
    api_keys,
    check_events,
    decisions,
    key_events,
    model_events,
    page_sessions,
    score_events,
    settings,
)

__all__ = [
    "DecidedContact",
    "AuditTrailMissing",
    "DecisionRow",
    "EventType",
    "PageSessionRow",
    "delete_settings",
    "end_page_session",
    "get_page_session",
    "insert_model_event",
    "insert_page_session",
    "KeyRow",
    "get_key",
    "get_setting",
    "increment_setting",
    "insert_check_event",
    "insert_decision",
    "insert_key",
    "insert_score_events",
    "list_decided_contacts",
    "list_events",
    "list_keys",
    "list_scores_for_queue",
    "probe",
    "scores_with_decisions",
    "revoke_key",
    "touch_page_session",
    "write_heartbeat",
]

EventType = Literal["score", "decision", "key", "model", "check"]


class AuditTrailMissing(LookupError):
    """The database holds no audit trail (no score events or decisions table)."""


@dataclass(frozen=True, slots=True)
class KeyRow:
    """An API key as stored: its public id, the SHA-256 of the whole key, and its role."""

    key_id: str
    key_hash: str
    role: str
    label: str | None
    created_at: datetime
    revoked_at: datetime | None


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


@dataclass(frozen=True, slots=True)
class PageSessionRow:
    """A screener page session as stored (``id`` is the SHA-256 of its nonce)."""

    id: str
    key_id: str
    created_at: datetime
    last_seen_at: datetime
    ended_at: datetime | None


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


# -- settings ---------------------------------------------------------------------------


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


# -- page sessions ----------------------------------------------------------------------


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
        created_at=_aware(row.created_at),
        last_seen_at=_aware(row.last_seen_at),
        ended_at=None if row.ended_at is None else _aware(row.ended_at),
    )


def _aware(value: datetime) -> datetime:
    """SQLite gives naive datetimes back; every time stored here is UTC."""
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def touch_page_session(session_id: str, *, engine: Engine, at: datetime) -> None:
    """Note that the session was used at ``at`` (its idle time starts again)."""
    with write_lock(engine), engine.begin() as conn:
        conn.execute(
            update(page_sessions)
            .where(page_sessions.c.id == session_id, page_sessions.c.ended_at.is_(None))
            .values(last_seen_at=at)
        )


def end_page_session(session_id: str, *, engine: Engine, at: datetime) -> None:
    """End a page session: every copy of its cookie is refused from now on."""
    with write_lock(engine), engine.begin() as conn:
        conn.execute(
            update(page_sessions)
            .where(page_sessions.c.id == session_id, page_sessions.c.ended_at.is_(None))
            .values(ended_at=at)
        )


# -- keys -------------------------------------------------------------------------------


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


# -- scores and decisions ---------------------------------------------------------------


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
    with write_lock(engine), engine.begin() as conn:
        score_event_id = _latest_score_event_id(contact_id, conn=conn)
        new_id = conn.execute(
            insert(decisions)
            .values(
                request_id=request_id,
                created_at=created_at,
                contact_id=contact_id,
                outcome=outcome,
                key_id=key_id,
                role=role,
                note_redacted=note_redacted,
                score_event_id=score_event_id,
            )
            .returning(decisions.c.id)
        ).scalar_one()
    return DecisionRow(
        id=int(new_id),
        request_id=request_id,
        created_at=created_at,
        contact_id=contact_id,
        outcome=outcome,
        key_id=key_id,
        role=role,
        score_event_id=score_event_id,
    )


# -- reading the trail ------------------------------------------------------------------

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
                decided_at=_aware(row.created_at),
                decisions=int(row.n),
                score_event_id=None if row.score_event_id is None else int(row.score_event_id),
                scored_at=None if row.scored_at is None else _aware(row.scored_at),
                source=row.source,
                redacted_text=row.redacted_text,
                score=None if row.score is None else float(row.score),
                band=row.band,
                model_name=row.model_name,
                model_version=row.model_version,
            )
            for row in conn.execute(query)
        ]


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
        row["created_at"] = _aware(row["created_at"])
    return rows
