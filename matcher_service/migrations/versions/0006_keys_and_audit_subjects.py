"""API keys expire and record their last use; audit rows name the job, plan and round
version; failed authentications are counted per minute and source, not one row each.

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table("api_keys") as t:
        t.add_column(sa.Column("expires_at", TS, nullable=True))
        t.add_column(sa.Column("last_used_at", TS, nullable=True))
    with op.batch_alter_table("audit") as t:
        t.add_column(sa.Column("job_id", sa.String(40), nullable=True))
        t.add_column(sa.Column("plan_id", sa.String(40), nullable=True))
        t.add_column(sa.Column("version", sa.Integer, nullable=True))
    op.create_table(
        "auth_failures",
        sa.Column("minute", TS, primary_key=True),
        sa.Column("source", sa.String(80), primary_key=True),
        sa.Column("count", sa.Integer, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("auth_failures")
    with op.batch_alter_table("audit") as t:
        t.drop_column("version")
        t.drop_column("plan_id")
        t.drop_column("job_id")
    with op.batch_alter_table("api_keys") as t:
        t.drop_column("last_used_at")
        t.drop_column("expires_at")
