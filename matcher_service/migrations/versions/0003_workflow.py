"""Selection workflow: key scopes, workflows, nominations, clearances, objections, events.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)
_ROUND = sa.ForeignKey("rounds.id")


def upgrade() -> None:
    op.create_table(
        "key_scopes",
        sa.Column("key_id", sa.String(32), sa.ForeignKey("api_keys.id"), primary_key=True),
        sa.Column("scope", sa.String(200), nullable=False),
    )
    op.create_table(
        "workflows",
        sa.Column("round_id", sa.String(40), _ROUND, primary_key=True),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("pool_version", sa.Integer, nullable=True),
        sa.Column("reviewed_version", sa.Integer, nullable=True),
        sa.Column("plan_id", sa.String(40), nullable=True),
        sa.Column("publicity_ends", TS, nullable=True),
        sa.Column("next_round_id", sa.String(40), nullable=True),
        sa.Column("updated_at", TS, nullable=False),
    )
    op.create_table(
        "nominations",
        sa.Column("round_id", sa.String(40), sa.ForeignKey("rounds.id"), primary_key=True),
        sa.Column("cadre_id", sa.String(64), primary_key=True),
        sa.Column("unit", sa.String(200), nullable=False, index=True),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("nominated_by", sa.String(200), nullable=False),
        sa.Column("nominated_at", TS, nullable=False),
        sa.Column("decision", sa.String(16), nullable=False),
        sa.Column("decision_reason", sa.Text, nullable=False),
    )
    op.create_table(
        "clearances",
        sa.Column("round_id", sa.String(40), sa.ForeignKey("rounds.id"), primary_key=True),
        sa.Column("cadre_id", sa.String(64), primary_key=True),
        sa.Column("department", sa.String(64), primary_key=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("date", sa.String(10), nullable=True),
        sa.Column("note", sa.Text, nullable=False),
        sa.Column("given_by", sa.String(200), nullable=False),
        sa.Column("given_at", TS, nullable=False),
    )
    op.create_table(
        "objections",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("round_id", sa.String(40), sa.ForeignKey("rounds.id"), nullable=False),
        sa.Column("cadre_id", sa.String(64), nullable=True),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("recorded_by", sa.String(200), nullable=False),
        sa.Column("recorded_at", TS, nullable=False),
        sa.Column("resolution", sa.Text, nullable=False),
        sa.Column("resolved_by", sa.String(200), nullable=False),
    )
    op.create_index("ix_objections_round_id", "objections", ["round_id"])
    op.create_table(
        "workflow_events",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("round_id", sa.String(40), sa.ForeignKey("rounds.id"), nullable=False),
        sa.Column("at", TS, nullable=False),
        sa.Column("who", sa.String(200), nullable=False),
        sa.Column("role", sa.String(32), nullable=False),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("subject", sa.String(200), nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
    )
    op.create_index("ix_workflow_events_round_id", "workflow_events", ["round_id"])


def downgrade() -> None:
    for name in ("workflow_events", "objections", "clearances", "nominations", "workflows"):
        op.drop_table(name)
    op.drop_table("key_scopes")
