"""Posts numbered from 1: stored plans whose first post is slot 0 are renumbered.

Plans stored before plan format 2 counted the posts of a community and post type from 0; the
API now serves them as people count (the roster's 岗位序号), so ``GET /plans/{id}`` and the
post routes agree with every export. A plan already counted from 1 is left as it is.

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import json

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

PLANS = sa.table("plans", sa.column("id", sa.String), sa.column("result", sa.Text))


def _shift(text: str, by: int) -> str | None:
    """The result with every slot moved by ``by``; None when nothing needs to change."""
    data = json.loads(text)
    posts = data.get("assignments") or []
    slots = [int(p["slot"]) for p in posts]
    if not slots or (by > 0 and min(slots) != 0) or (by < 0 and min(slots) != 1):
        return None
    for p in posts:
        p["slot"] = int(p["slot"]) + by
    return json.dumps(data, ensure_ascii=False)


def _renumber(by: int) -> None:
    bind = op.get_bind()
    for pid, text in bind.execute(sa.select(PLANS.c.id, PLANS.c.result)).fetchall():
        new = _shift(text, by) if text else None
        if new is not None:
            bind.execute(PLANS.update().where(PLANS.c.id == pid).values(result=new))


def upgrade() -> None:
    _renumber(+1)


def downgrade() -> None:
    _renumber(-1)
