"""规则核对's forbidden-pair row counts the posts that use a forbidden pair: by cadre and
community, for the pair's post type only (or either type when none is given)."""

from __future__ import annotations

from typing import Any

from matcher import validate_round
from matcher.analysis.rule_check import check_rules
from matcher.engine.result import Assignment, Result, Status
from tests.matcher_service.conftest import tiny


def _plan(rnd: Any) -> Result:
    """Each community's first post gets the next cadre in roster order."""
    posts = []
    cadres = iter(rnd.cadres)
    for com in rnd.communities:
        for ptype, n in (("full-time", com.posts.full_time), ("part-time", com.posts.part_time)):
            for slot in range(1, n + 1):
                cad = next(cadres, None)
                cid = None if cad is None else cad.id
                posts.append(Assignment(com.id, ptype, slot, cid, 0 if cid else None, 0, {}))
    return Result(Status.FEASIBLE, 0, None, None, {}, "test", 0.0, tuple(posts))


def _row(rnd: Any, res: Result) -> tuple[str, str]:
    (row,) = [c for c in check_rules(rnd, res, "en") if c.rule == "forbidden pairs"]
    return row.mark(), row.plan


def test_a_used_forbidden_pair_is_counted_for_its_post_type_only() -> None:
    """A pair forbidden for the type the cadre holds is one violation; forbidden for the
    other type, or naming another community, it is none; untyped it counts."""
    raw = tiny()
    rnd = validate_round(raw)
    res = _plan(rnd)
    held = next(a for a in res.assignments if a.cadre_id)
    other = "part-time" if held.post_type == "full-time" else "full-time"
    elsewhere = next(c.id for c in rnd.communities if c.id != held.community_id)
    cases = [
        ([{"cadre": held.cadre_id, "community": held.community_id}], ("✗", "1 used")),
        (
            [{"cadre": held.cadre_id, "community": held.community_id, "post_type": other}],
            ("✓", "0 used"),
        ),
        ([{"cadre": held.cadre_id, "community": elsewhere}], ("✓", "0 used")),
        (
            [
                {"cadre": held.cadre_id, "community": held.community_id,
                 "post_type": held.post_type},
                {"cadre": held.cadre_id, "community": held.community_id},
            ],
            ("✗", "2 used"),
        ),
    ]  # fmt: skip
    for pairs, expected in cases:
        raw["rules"]["forbidden_pairs"] = pairs
        rnd = validate_round(raw)
        assert _row(rnd, _plan(rnd)) == expected, pairs
