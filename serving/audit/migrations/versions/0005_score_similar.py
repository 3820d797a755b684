"""Score events record the ids of the similar examples shown beside the score (guidance
corpus ids, past-<digest> ids; never their text). Nullable: rows written before read as null.

Revision ID: 0005_score_similar
Revises: 0004_check_events
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_score_similar"
down_revision = "0004_check_events"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMN (nullable, no default), as 0003: no table rebuild on either dialect.
    op.add_column("score_events", sa.Column("similar_ids", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("score_events") as batch:
        batch.drop_column("similar_ids")
