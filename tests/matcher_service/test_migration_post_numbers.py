"""Migration 0005: plans stored with posts counted from 0 are renumbered from 1, others kept."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa

from matcher_service.migrate import upgrade


def _plan(pid: str, slots: list[int]) -> dict[str, object]:
    result = {
        "status": "optimal",
        "assignments": [
            {"community": "GT01", "post_type": "part-time", "slot": s, "cadre": f"C{s}"}
            for s in slots
        ],
    }
    return {
        "id": pid,
        "round_id": "r1",
        "round_version": 1,
        "job_id": "j1",
        "status": "optimal",
        "objective": 0,
        "result": json.dumps(result),
        "created_at": datetime(2026, 1, 1, tzinfo=UTC),
    }


def test_old_plans_are_renumbered_and_new_ones_kept(tmp_path: Path) -> None:
    """A plan whose posts start at 0 gets 1, 2; a plan already from 1 keeps its bytes."""
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'db.sqlite3'}")
    upgrade(engine, "0004")
    plans = sa.Table("plans", sa.MetaData(), autoload_with=engine)
    with engine.begin() as conn:
        conn.execute(plans.insert(), [_plan("old", [0, 1]), _plan("new", [1, 2])])
        new_before = conn.execute(sa.select(plans.c.result).where(plans.c.id == "new")).scalar()
    upgrade(engine, "head")
    with engine.begin() as conn:
        rows = dict(conn.execute(sa.select(plans.c.id, plans.c.result)).fetchall())
    old = json.loads(rows["old"])["assignments"]
    assert [(p["slot"], p["cadre"]) for p in old] == [(1, "C0"), (2, "C1")]
    assert rows["new"] == new_before
