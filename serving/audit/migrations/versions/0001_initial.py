"""The initial audit schema: keys, key events, score events, decisions, settings.

Revision ID: 0001_initial
Revises:
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001_initial"
down_revision = None
branch_labels = None
depends_on = None

_Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
_Time = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "api_keys",
        sa.Column("key_id", sa.String(32), primary_key=True),
        sa.Column("key_hash", sa.String(64), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("label", sa.String(200), nullable=True),
        sa.Column("created_at", _Time, nullable=False),
        sa.Column("revoked_at", _Time, nullable=True),
    )
    op.create_table(
        "key_events",
        sa.Column("id", _Id, primary_key=True, autoincrement=True),
        sa.Column("created_at", _Time, nullable=False),
        sa.Column("key_id", sa.String(32), nullable=False),
        sa.Column("event", sa.String(16), nullable=False),
        sa.Column("role", sa.String(16), nullable=True),
        sa.Column("actor", sa.String(64), nullable=True),
    )
    op.create_table(
        "score_events",
        sa.Column("id", _Id, primary_key=True, autoincrement=True),
        sa.Column("request_id", sa.String(64), nullable=False),
        sa.Column("item_index", sa.Integer, nullable=True),
        sa.Column("created_at", _Time, nullable=False),
        sa.Column("key_id", sa.String(32), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("model_name", sa.String(200), nullable=False),
        sa.Column("model_version", sa.String(64), nullable=False),
        sa.Column("score", sa.Float, nullable=False),
        sa.Column("priority", sa.Integer, nullable=False),
        sa.Column("band", sa.String(16), nullable=False),
        sa.Column("source", sa.String(32), nullable=True),
        sa.Column("contact_id", sa.String(200), nullable=True),
        sa.Column("text_hmac", sa.String(64), nullable=False),
        sa.Column("redacted_text", sa.Text, nullable=True),
    )
    op.create_index("ix_score_events_contact_id", "score_events", ["contact_id"])
    op.create_index("ix_score_events_created_at", "score_events", ["created_at"])
    op.create_index("ix_score_events_request_id", "score_events", ["request_id"])
    op.create_table(
        "decisions",
        sa.Column("id", _Id, primary_key=True, autoincrement=True),
        sa.Column("request_id", sa.String(64), nullable=False),
        sa.Column("created_at", _Time, nullable=False),
        sa.Column("contact_id", sa.String(200), nullable=False),
        sa.Column("outcome", sa.String(32), nullable=False),
        sa.Column("key_id", sa.String(32), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("note_redacted", sa.Text, nullable=True),
        sa.Column("score_event_id", _Id, sa.ForeignKey("score_events.id"), nullable=True),
    )
    op.create_index("ix_decisions_contact_id", "decisions", ["contact_id"])
    op.create_index("ix_decisions_created_at", "decisions", ["created_at"])
    op.create_table(
        "settings",
        sa.Column("key", sa.String(64), primary_key=True),
        sa.Column("value", sa.Text, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("settings")
    op.drop_index("ix_decisions_created_at", "decisions")
    op.drop_index("ix_decisions_contact_id", "decisions")
    op.drop_table("decisions")
    op.drop_index("ix_score_events_request_id", "score_events")
    op.drop_index("ix_score_events_created_at", "score_events")
    op.drop_index("ix_score_events_contact_id", "score_events")
    op.drop_table("score_events")
    op.drop_table("key_events")
    op.drop_table("api_keys")
