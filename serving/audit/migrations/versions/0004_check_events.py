"""Referrer self-checks in the audit trail: counts, question ids and the keyed hash of the
draft, never its text.

Revision ID: 0004_check_events
Revises: 0003_score_guidance
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_check_events"
down_revision = "0003_score_guidance"
branch_labels = None
depends_on = None

_Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "check_events",
        sa.Column("id", _Id, primary_key=True, autoincrement=True),
        sa.Column("request_id", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("key_id", sa.String(32), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("channel", sa.String(8), nullable=False),
        sa.Column("checklist_version", sa.String(40), nullable=False),
        sa.Column("questions", sa.Integer(), nullable=False),
        sa.Column("questions_missing", sa.Integer(), nullable=False),
        sa.Column("missing_questions", sa.String(1000), nullable=False),
        sa.Column("resembling", sa.Integer(), nullable=False),
        sa.Column("model_name", sa.String(200), nullable=True),
        sa.Column("model_version", sa.String(64), nullable=True),
        sa.Column("text_hmac", sa.String(64), nullable=False),
    )
    op.create_index("ix_check_events_created_at", "check_events", ["created_at"])


def downgrade() -> None:
    op.drop_index("ix_check_events_created_at", table_name="check_events")
    op.drop_table("check_events")
