"""Score events record the guidance level, whether practice and guidance differed, and the
must-never-miss floor that applied. Nullable: rows written before read as null.

Revision ID: 0003_score_guidance
Revises: 0002_model_events
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_score_guidance"
down_revision = "0002_model_events"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMN (nullable, no default) on both dialects: no table rebuild, so a
    # large score_events table migrates at once and keeps its rows as they are.
    op.add_column("score_events", sa.Column("level", sa.Integer(), nullable=True))
    op.add_column(
        "score_events", sa.Column("practice_and_guidance_differ", sa.Boolean(), nullable=True)
    )
    op.add_column("score_events", sa.Column("floor", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("score_events") as batch:
        batch.drop_column("floor")
        batch.drop_column("practice_and_guidance_differ")
        batch.drop_column("level")
