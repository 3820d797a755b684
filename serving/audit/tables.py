"""The audit schema as SQLAlchemy Core tables. Alembic revisions mirror this file.

No table holds concern text: only its keyed hash (``text_hmac``) and, when configured, the
redacted text. A score event's ``floor`` is the floor policy's own words, not the concern's;
its ``similar_ids`` the ids of the examples shown beside it, never their text; its
``indicators`` the labels of the indicators found, never the words they were found in.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)

__all__ = [
    "api_keys",
    "check_events",
    "decisions",
    "key_events",
    "model_events",
    "metadata",
    "page_sessions",
    "score_events",
    "settings",
]

metadata = MetaData()

#: Integer primary keys that autoincrement on SQLite and PostgreSQL alike.
_Id = BigInteger().with_variant(Integer(), "sqlite")

api_keys = Table(
    "api_keys",
    metadata,
    Column("key_id", String(32), primary_key=True),
    Column("key_hash", String(64), nullable=False),
    Column("role", String(16), nullable=False),
    Column("label", String(200), nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("revoked_at", DateTime(timezone=True), nullable=True),
)

score_events = Table(
    "score_events",
    metadata,
    Column("id", _Id, primary_key=True, autoincrement=True),
    Column("request_id", String(64), nullable=False),
    #: Position in a batch request; null for a single score.
    Column("item_index", Integer, nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("key_id", String(32), nullable=False),
    Column("role", String(16), nullable=False),
    Column("model_name", String(200), nullable=False),
    Column("model_version", String(64), nullable=False),
    Column("score", Float, nullable=False),
    Column("priority", Integer, nullable=False),
    Column("band", String(16), nullable=False),
    Column("source", String(32), nullable=True),
    Column("contact_id", String(200), nullable=True),
    Column("text_hmac", String(64), nullable=False),
    Column("redacted_text", Text, nullable=True),
    #: The guidance level served (1-4); null for a model without one, or a row from before.
    Column("level", Integer, nullable=True),
    #: Whether practice and guidance differed; null for a row from before it was recorded.
    Column("practice_and_guidance_differ", Boolean, nullable=True),
    #: What the must-never-miss floor said when one applied (policy text); else null.
    Column("floor", Text, nullable=True),
    #: The ids of the similar examples shown beside the score, space-separated in the order
    #: shown (guidance corpus ids, ``past-<digest>`` ids), never their text; "" when none
    #: was shown, null for a row from before they were recorded.
    Column("similar_ids", Text, nullable=True),
    #: The labels of the indicators found live in the contact (neither negated nor dated to
    #: the past, as the floors read them), space-separated and sorted: pattern-file labels,
    #: never concern text; "" when none, null for a row from before they were recorded.
    Column("indicators", Text, nullable=True),
    Index("ix_score_events_contact_id", "contact_id"),
    Index("ix_score_events_created_at", "created_at"),
    Index("ix_score_events_request_id", "request_id"),
)

decisions = Table(
    "decisions",
    metadata,
    Column("id", _Id, primary_key=True, autoincrement=True),
    Column("request_id", String(64), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("contact_id", String(200), nullable=False),
    Column("outcome", String(32), nullable=False),
    Column("key_id", String(32), nullable=False),
    Column("role", String(16), nullable=False),
    Column("note_redacted", Text, nullable=True),
    #: The latest score of this contact when the decision was recorded (null if none).
    Column("score_event_id", _Id, ForeignKey("score_events.id"), nullable=True),
    Index("ix_decisions_contact_id", "contact_id"),
    Index("ix_decisions_created_at", "created_at"),
)

key_events = Table(
    "key_events",
    metadata,
    Column("id", _Id, primary_key=True, autoincrement=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("key_id", String(32), nullable=False),
    Column("event", String(16), nullable=False),
    Column("role", String(16), nullable=True),
    Column("actor", String(64), nullable=True),
)

#: Promotion decisions on the model registry (who, when, why, which checks failed).
model_events = Table(
    "model_events",
    metadata,
    Column("id", _Id, primary_key=True, autoincrement=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("event", String(16), nullable=False),
    Column("model_name", String(200), nullable=False),
    Column("model_version", String(32), nullable=False),
    Column("previous_version", String(32), nullable=True),
    Column("actor", String(64), nullable=True),
    Column("reason", Text, nullable=True),
    Column("failed_checks", Text, nullable=True),
)

#: Referrer self-checks (POST /v1/check and the /check page): counts, the checklist's
#: question ids and the keyed hash of the draft; never the draft.
check_events = Table(
    "check_events",
    metadata,
    Column("id", _Id, primary_key=True, autoincrement=True),
    Column("request_id", String(64), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("key_id", String(32), nullable=False),
    Column("role", String(16), nullable=False),
    Column("channel", String(8), nullable=False),
    Column("checklist_version", String(40), nullable=False),
    Column("questions", Integer, nullable=False),
    Column("questions_missing", Integer, nullable=False),
    #: The missing questions' ids (checklist ids, ``^[a-z][a-z0-9_]*$``), comma-separated.
    Column("missing_questions", String(1000), nullable=False),
    Column("resembling", Integer, nullable=False),
    #: The model whose guidance index gave the examples; null without one.
    Column("model_name", String(200), nullable=True),
    Column("model_version", String(64), nullable=True),
    Column("text_hmac", String(64), nullable=False),
    Index("ix_check_events_created_at", "created_at"),
)

#: The screener page's sessions, server-side, so that signing out, an idle timeout or a
#: revoked key ends every copy of a cookie at once. ``id`` is the SHA-256 of the session's
#: random nonce (the cookie holds the nonce, signed): the table alone signs nobody in.
page_sessions = Table(
    "page_sessions",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("key_id", String(32), nullable=False, index=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("last_seen_at", DateTime(timezone=True), nullable=False),
    Column("ended_at", DateTime(timezone=True), nullable=True),
)

#: Non-secret service state (the model reload generation). Never a key: secrets come from
#: the deployment (decision 0025).
settings = Table(
    "settings",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)
