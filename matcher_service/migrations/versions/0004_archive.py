"""The posting archive (一人一档): postings, plan approvals, replacement plans.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "postings",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("cadre_id", sa.String(64), nullable=False, index=True),
        sa.Column("cadre_name", sa.Text, nullable=False),
        sa.Column("community_id", sa.String(64), nullable=False, index=True),
        sa.Column("community_name", sa.Text, nullable=False),
        sa.Column("post_type", sa.String(16), nullable=False),
        sa.Column("round_id", sa.String(40), nullable=False),
        sa.Column("plan_id", sa.String(40), nullable=False, index=True),
        sa.Column("start", sa.Date, nullable=False),
        sa.Column("term_months", sa.Integer, nullable=False),
        sa.Column("term_end", sa.Date, nullable=False),
        sa.Column("outcome", sa.String(16), nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("ended", sa.Date, nullable=True),
        sa.Column("ended_by_plan", sa.String(40), nullable=True),
        sa.Column("recorded_by", sa.String(200), nullable=False),
        sa.Column("recorded_at", TS, nullable=False),
    )
    op.create_table(
        "plan_approvals",
        sa.Column("plan_id", sa.String(40), primary_key=True),
        sa.Column("round_id", sa.String(40), nullable=False, index=True),
        sa.Column("start", sa.Date, nullable=False),
        sa.Column("replaces", sa.String(40), nullable=True),
        sa.Column("approved_by", sa.String(200), nullable=False),
        sa.Column("approved_at", TS, nullable=False),
    )
    op.create_table(
        "replacements",
        sa.Column("plan_id", sa.String(40), primary_key=True),
        sa.Column("source_plan_id", sa.String(40), nullable=False, index=True),
        sa.Column("round_id", sa.String(40), nullable=False),
        sa.Column("events", sa.Text, nullable=False),
        sa.Column("report", sa.Text, nullable=False),
        sa.Column("created_by", sa.String(200), nullable=False),
        sa.Column("created_at", TS, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("replacements")
    op.drop_table("plan_approvals")
    op.drop_table("postings")
