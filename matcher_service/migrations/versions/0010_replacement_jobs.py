"""Replacement jobs: a job has a kind (solve or replace), the plan a replacement starts from,
and the replacement's order (events, who, publicity rules, idempotency key) as JSON.

Revision ID: 0010
Revises: 0009
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("jobs") as batch:
        batch.add_column(sa.Column("kind", sa.String(16), nullable=False, server_default="solve"))
        batch.add_column(sa.Column("source_plan_id", sa.String(40), nullable=True))
        batch.add_column(sa.Column("payload", sa.Text, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("jobs") as batch:
        batch.drop_column("payload")
        batch.drop_column("source_plan_id")
        batch.drop_column("kind")
