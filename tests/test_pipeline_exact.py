"""Rounds whose candidate pairs leave pairs out are still solved exactly (issue 16, item 1).

Each round has no distance rule and is solved over each community's k nearest eligible cadres
(k forced small); the plan must equal the plan over all pairs, with status ``optimal`` only
once the left-out pairs are proven unable to improve it.
"""

from __future__ import annotations

from typing import Any

import pytest

from geodata.pairs import candidate_pairs
from geodata.pipeline import run_round
from matcher import validate_round
from matcher.engine.problem import build_problem
from matcher.engine.result import Status
from matcher.engine.solve import solve
from tests.geodata.test_truncation import far_own_district

METHODS = ("auto", "flow", "mip", "cpsat")


def _run(raw: dict[str, Any], method: str, k: int) -> Any:
    rnd = validate_round(raw)
    rnd = rnd.model_copy(update={"settings": rnd.settings.model_copy(update={"method": method})})
    return run_round(rnd, pairs=candidate_pairs(rnd, k_nearest=k))


def strong_far_cadre() -> dict[str, Any]:
    """Weak, unrated X: nine 科员 within 2 km, one 正县 20 km away. The 正县's weak pull
    (100·4·10/5 = 800) beats 200 distance points: the optimum is the far cadre."""
    raw = far_own_district()
    raw["communities"][0].update(weak=True, stars=None)
    raw["communities"] = raw["communities"][:1]
    for cad in raw["cadres"]:
        cad.update(level="city", rank="科员")
    raw["cadres"][-1].update(rank="正县", location={"lon": 121.10, "lat": 41.28})
    return raw


@pytest.mark.parametrize("method", METHODS)
def test_far_own_district_cadre_fills_the_post(method: str) -> None:
    """The only eligible cadre, behind ten others, fills X: optimal, not infeasible."""
    plan = _run(far_own_district(), method, 3)
    res = plan.result
    assert res.status is Status.OPTIMAL
    held = {a.community_id: a.cadre_id for a in res.assignments}
    assert held["X"] == "K"


@pytest.mark.parametrize("method", METHODS)
def test_left_out_optimum_is_found_and_proven(method: str) -> None:
    """The far 正县 is outside the 3 nearest, yet the plan takes it and says optimal."""
    raw = strong_far_cadre()
    plan = _run(raw, method, 3)
    rnd = validate_round(raw)
    full = solve(build_problem(rnd, candidate_pairs(rnd)), rnd.settings)  # all pairs
    assert plan.result.status is Status.OPTIMAL
    assert plan.result.objective == full.objective
    assert {a.cadre_id for a in plan.result.assignments} == {"K"}


def test_truncated_pairs_alone_never_claim_optimal() -> None:
    """Solving the 3 nearest without the proof says feasible (it misses the optimum)."""
    rnd = validate_round(strong_far_cadre())
    res = solve(build_problem(rnd, candidate_pairs(rnd, k_nearest=3)), rnd.settings)
    assert res.status is Status.FEASIBLE and res.bound is None
    assert {a.cadre_id for a in res.assignments} != {"K"}


def test_near_optimum_is_proven_without_widening() -> None:
    """When no far cadre can help (no weak pull), the 3 nearest are proven enough as they are."""
    raw = strong_far_cadre()
    raw["communities"][0]["weak"] = False
    plan = _run(raw, "auto", 3)
    assert plan.result.status is Status.OPTIMAL
    assert len(plan.pairs) == 3 and any("proven over all pairs" in n for n in plan.result.notes)


@pytest.mark.parametrize("method", METHODS)
def test_lock_of_a_far_cadre_is_honoured(method: str) -> None:
    """A lock of a cadre 25 km away, outside the nearest, is kept (no 'too far' refusal)."""
    raw = far_own_district()
    raw["rules"]["own_district"] = {"enabled": False}
    raw["rules"]["locks"] = [{"cadre": "K", "community": "Y"}]
    res = _run(raw, method, 3).result
    assert res.status is Status.OPTIMAL
    assert {a.community_id: a.cadre_id for a in res.assignments}["Y"] == "K"
