"""The selection workflow's gates: the publicity period's start, length and the round's
minimum, who approved with which 落款 and decision, when an objection was answered; each
round's origin plan (lineage); idempotency keys.

Revision ID: 0007
Revises: 0008
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0008"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)
_WORKFLOW = (
    ("min_publicity_days", sa.Integer),
    ("publicity_started", TS),
    ("publicity_days", sa.Integer),
    ("approved_by", sa.String(200)),
    ("approved_at", TS),
    ("signatory", sa.String(200)),
    ("decision", sa.Text),
)


def upgrade() -> None:
    with op.batch_alter_table("workflows") as t:
        for name, kind in _WORKFLOW:
            t.add_column(sa.Column(name, kind, nullable=True))
    with op.batch_alter_table("objections") as t:
        t.add_column(sa.Column("resolved_at", TS, nullable=True))
    op.create_table(
        "round_origins",
        sa.Column("round_id", sa.String(40), sa.ForeignKey("rounds.id"), primary_key=True),
        sa.Column("plan_id", sa.String(40), nullable=False, index=True),
    )
    op.create_table(
        "idempotency_keys",
        sa.Column("key_id", sa.String(32), primary_key=True),
        sa.Column("key", sa.String(200), primary_key=True),
        sa.Column("action", sa.String(64), nullable=False),
        sa.Column("target", sa.String(80), nullable=False),
        sa.Column("outcome", sa.Text, nullable=False),
        sa.Column("round_id", sa.String(40), sa.ForeignKey("rounds.id"), nullable=True),
        sa.Column("created_at", TS, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("idempotency_keys")
    op.drop_table("round_origins")
    with op.batch_alter_table("objections") as t:
        t.drop_column("resolved_at")
    with op.batch_alter_table("workflows") as t:
        for name, _ in reversed(_WORKFLOW):
            t.drop_column(name)
