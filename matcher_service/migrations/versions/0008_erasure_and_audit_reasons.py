"""Rounds name the round they were made from (next round, replacement), so erasing a round
finds everything derived from it; audit rows name whose data was read (a cadre's or a
community's id) and the reason given with the action.

Revision ID: 0008
Revises: 0006
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("rounds") as t:
        t.add_column(sa.Column("made_from", sa.String(40), nullable=True))
        t.create_index("ix_rounds_made_from", ["made_from"])
    with op.batch_alter_table("audit") as t:
        t.add_column(sa.Column("subject", sa.String(200), nullable=True))
        t.add_column(sa.Column("reason", sa.Text, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("audit") as t:
        t.drop_column("reason")
        t.drop_column("subject")
    with op.batch_alter_table("rounds") as t:
        t.drop_index("ix_rounds_made_from")
        t.drop_column("made_from")
