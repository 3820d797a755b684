"""Score events record the labels of the indicators found live in the contact (neither
negated nor dated to the past; pattern-file labels, never concern text), for the monitor's
indicator shares (decision 0032). Nullable: rows written before read as null.

Revision ID: 0007_score_indicators
Revises: 0006_page_sessions
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007_score_indicators"
down_revision = "0006_page_sessions"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMN (nullable, no default), as 0003 and 0005: no table rebuild.
    op.add_column("score_events", sa.Column("indicators", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("score_events") as batch:
        batch.drop_column("indicators")
