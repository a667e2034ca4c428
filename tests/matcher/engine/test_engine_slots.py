"""One post per cadre off: current posts and type-less locks as docs/round.md defines them.

With the rule off a cadre holds at most one post of each type. A sitting cadre who keeps the
current post and also takes one of the other type has not moved (no ``change``); a lock
without a post type means "a post of either type there" and leaves the other slot free.
"""

from __future__ import annotations

from typing import Any

import pytest

from matcher import validate_round
from matcher.engine.problem import build_problem
from matcher.engine.result import Status
from matcher.engine.solve import solve
from tests.matcher.engine_fixtures import all_pairs

METHODS = ("auto", "flow", "mip", "cpsat")


def _round(**rules: Any) -> dict[str, Any]:
    """X has one full-time post, Y one part-time post; K sits near both, L is 40 km away."""
    district = {"code": "210702", "name": "古塔区"}
    return {
        "name": "slots",
        "communities": [
            {"id": "X", "name": "X社区", "district": district,
             "location": {"lon": 121.10, "lat": 41.10}, "posts": {"full_time": 1, "part_time": 0}},
            {"id": "Y", "name": "Y社区", "district": district,
             "location": {"lon": 121.11, "lat": 41.10}, "posts": {"full_time": 0, "part_time": 1}},
        ],
        "cadres": [
            {"id": "K", "name": "甲", "unit": "市委组织部", "level": "city",
             "political_status": "中共党员", "home_district": "210702", "rank": "副科",
             "location": {"lon": 121.10, "lat": 41.10}},
            {"id": "L", "name": "乙", "unit": "市财政局", "level": "city",
             "political_status": "中共党员", "home_district": "210702", "rank": "副科",
             "location": {"lon": 121.58, "lat": 41.10}},
        ],
        "rules": {"one_post_per_cadre": {"enabled": False}, "max_distance": {"enabled": False},
                  **rules},
        "weights": {"change": 1000},
    }  # fmt: skip


def _solve(raw: dict[str, Any], method: str) -> Any:
    rnd = validate_round(raw)
    rnd = rnd.model_copy(update={"settings": rnd.settings.model_copy(update={"method": method})})
    return solve(build_problem(rnd, all_pairs(rnd)), rnd.settings)


@pytest.mark.parametrize("method", METHODS)
def test_keeping_the_post_and_taking_another_type_costs_no_change(method: str) -> None:
    """A sitting cadre who keeps the post and takes one of the other type pays no change."""
    raw = _round()
    raw["cadres"][0]["current_post"] = {"community": "X", "post_type": "full-time"}
    res = _solve(raw, method)
    assert res.status is Status.OPTIMAL
    held = {(a.community_id, a.post_type): a.cadre_id for a in res.assignments}
    assert held == {("X", "full-time"): "K", ("Y", "part-time"): "K"}
    assert res.terms["change"] == 0


@pytest.mark.parametrize("method", METHODS)
def test_leaving_the_current_type_costs_change_once(method: str) -> None:
    """A sitting cadre who gives up the current post pays change once, even with another post."""
    raw = _round()
    raw["communities"][0]["posts"] = {"full_time": 0, "part_time": 1}
    raw["communities"][1]["posts"] = {"full_time": 1, "part_time": 0}
    raw["cadres"][0]["current_post"] = {"community": "Y", "post_type": "part-time"}
    raw["cadres"] = raw["cadres"][:1]
    res = _solve(raw, method)  # K must take X part-time and Y full-time: Y part-time is gone
    assert res.status is Status.OPTIMAL
    assert res.terms["change"] == 1000
    assert res.objective == sum(res.terms.values())


@pytest.mark.parametrize("method", METHODS)
def test_typeless_lock_leaves_the_other_slot_free(method: str) -> None:
    """A lock without a post type pins one post there, not both of the cadre's slots."""
    raw = _round(
        locks=[{"cadre": "K", "community": "X"}],
        forbidden_pairs=[{"cadre": "L", "community": "Y"}],
    )
    raw["communities"][0]["posts"] = {"full_time": 1, "part_time": 1}
    raw["cadres"][1]["availability"] = "part-time"
    # L can only take X part-time, so K must hold X full-time and Y part-time
    res = _solve(raw, method)
    assert res.status is Status.OPTIMAL
    held = {(a.community_id, a.post_type): a.cadre_id for a in res.assignments}
    assert held == {("X", "full-time"): "K", ("X", "part-time"): "L", ("Y", "part-time"): "K"}


@pytest.mark.parametrize("method", METHODS)
def test_typeless_lock_still_binds(method: str) -> None:
    """A lock without a post type still places the cadre there when it costs points."""
    raw = _round(locks=[{"cadre": "L", "community": "X"}])
    res = _solve(raw, method)
    assert res.status is Status.OPTIMAL
    held = {(a.community_id, a.post_type): a.cadre_id for a in res.assignments}
    assert held[("X", "full-time")] == "L"
