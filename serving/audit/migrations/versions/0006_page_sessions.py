"""Server-side page sessions (decision 0025): sign-out, idle timeout and key revocation end
every copy of a session cookie at once.

Revision ID: 0006_page_sessions
Revises: 0005_score_similar
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_page_sessions"
down_revision = "0005_score_similar"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "page_sessions",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("key_id", sa.String(32), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_page_sessions_key_id", "page_sessions", ["key_id"])


def downgrade() -> None:
    op.drop_index("ix_page_sessions_key_id", table_name="page_sessions")
    op.drop_table("page_sessions")
