"""The proof over left-out pairs: priced with the split network's duals (the LP's as a
fallback), side rows covered by the gap, and the time limit honoured in every phase."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest

import geodata.pairs
import geodata.pipeline
from geodata.pairs import candidate_pairs
from geodata.pipeline import run_round
from matcher import validate_round
from matcher.engine.completion import complete
from matcher.engine.problem import build_problem
from matcher.engine.result import Status
from matcher.engine.solve import solve
from matcher.model.round import Round
from tests.crosscheck.rounds import random_round
from tests.test_pipeline_exact import strong_far_cadre


@contextmanager
def unbounded_pairs(k: int) -> Iterator[None]:
    """Make every round "too big for all pairs": the pair search keeps the k nearest."""
    saved = geodata.pairs.ALL_PAIRS_LIMIT, geodata.pairs.DEFAULT_K
    geodata.pairs.ALL_PAIRS_LIMIT, geodata.pairs.DEFAULT_K = 0, k
    try:
        yield
    finally:
        geodata.pairs.ALL_PAIRS_LIMIT, geodata.pairs.DEFAULT_K = saved


def test_no_time_left_means_feasible_and_no_widening() -> None:
    """With no time left the proof prices nothing: the plan stays, status feasible (never
    optimal), no widening is asked for, and a note says why."""
    rnd = validate_round(strong_far_cadre())
    problem = build_problem(rnd, candidate_pairs(rnd, k_nearest=3))
    result = solve(problem, rnd.settings, over_candidates=True)
    done = complete(problem, result, rnd.settings, 0.0)
    assert done.widen_m is None
    assert done.result.status is Status.FEASIBLE
    assert done.result.objective == result.objective
    assert any("time limit" in n for n in done.result.notes)


def test_with_time_the_same_plan_asks_to_widen() -> None:
    """The same plan with time left is priced: the far 正县 lies beyond the reach, so the
    proof asks to widen instead of claiming anything."""
    rnd = validate_round(strong_far_cadre())
    problem = build_problem(rnd, candidate_pairs(rnd, k_nearest=3))
    result = solve(problem, rnd.settings, over_candidates=True)
    done = complete(problem, result, rnd.settings, 60.0)
    assert done.widen_m is not None
    assert done.result.status is not Status.OPTIMAL


def test_the_proof_prices_with_the_split_networks_duals() -> None:
    """Widened once and solved again, the plan takes the far 正县 and is proven with the
    network's own duals (no LP)."""
    rnd = validate_round(strong_far_cadre())
    plan = run_round(rnd, pairs=candidate_pairs(rnd, k_nearest=3))
    assert plan.result.status is Status.OPTIMAL
    assert any("duals of the split network" in n for n in plan.result.notes)


def test_an_either_type_lock_falls_back_to_the_lps_duals() -> None:
    """One post per cadre off and a lock of either type: no network, the LP's duals prove."""
    raw = strong_far_cadre()
    raw["communities"][0]["weak"] = False
    raw["communities"][0]["posts"] = {"full_time": 1, "part_time": 1}
    raw["rules"]["one_post_per_cadre"] = {"enabled": False}
    raw["rules"]["locks"] = [{"cadre": raw["cadres"][0]["id"], "community": "X"}]
    rnd = validate_round(raw)
    plan = run_round(rnd, pairs=candidate_pairs(rnd, k_nearest=3))
    full = solve(build_problem(rnd, candidate_pairs(rnd)), rnd.settings)
    assert plan.result.status is Status.OPTIMAL and plan.result.objective == full.objective
    assert any("LP duals" in n for n in plan.result.notes)


@pytest.mark.parametrize("seed", [9, 15, 17, 20, 36, 40, 46, 62])
def test_side_rows_are_covered_by_the_gap(seed: int) -> None:
    """Rounds whose optimum breaks the network's plan (a quota or skill mix the network
    relaxes), solved from each community's nearest cadre: proven only at the all-pairs
    optimum, never below or above it."""
    rnd = validate_round(random_round(seed, 25, 80, min_communities=3))
    full = solve(build_problem(rnd, candidate_pairs(rnd)), rnd.settings)
    plan = run_round(rnd, pairs=candidate_pairs(rnd, k_nearest=1))
    assert plan.result.status in (Status.OPTIMAL, Status.FEASIBLE)
    if plan.result.status is Status.OPTIMAL:
        assert plan.result.objective == full.objective
    else:
        assert plan.result.objective is not None and full.objective is not None
        assert plan.result.objective >= full.objective


def _limited(limit: float) -> Round:
    rnd = validate_round(strong_far_cadre())
    return rnd.model_copy(
        update={"settings": rnd.settings.model_copy(update={"time_limit_s": limit})}
    )


def test_a_spent_time_limit_is_honoured_in_every_phase() -> None:
    """A round without a distance rule whose limit is spent at once: the pair search starts
    no widening, the solve and the proof stop; the answer is a plan said feasible (or none,
    unknown), never optimal without its proof."""
    with unbounded_pairs(1):
        plan = run_round(_limited(1e-6))
    assert plan.result.status in (Status.FEASIBLE, Status.UNKNOWN)
    assert not plan.pairs.complete


@pytest.mark.parametrize("limit", [1e-3, 0.02, 0.1, 60.0])
def test_whatever_the_limit_optimal_means_proven(limit: float) -> None:
    """Under any limit the answer is honest: optimal only at the all-pairs optimum, with its
    proof in the notes; otherwise a feasible plan no better than it."""
    rnd = _limited(limit)
    with unbounded_pairs(1):
        plan = run_round(rnd)
    full = solve(build_problem(rnd, candidate_pairs(rnd)), rnd.settings)
    res = plan.result
    if res.status is Status.OPTIMAL:
        assert res.objective == full.objective
        assert any("proven over all pairs" in n for n in res.notes)
    else:
        assert res.status in (Status.FEASIBLE, Status.UNKNOWN)
        assert res.objective is None or full.objective is None or res.objective >= full.objective


def test_a_widening_that_adds_nobody_reuses_the_plan_and_its_prices(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """X's ten 古塔区 cadres are all candidates; the radius reaches the far 正县, whom own
    district forbids: the widening adds no pair, so the problem is not built again and the
    same plan is proven with the same prices (one build, not two)."""
    raw = strong_far_cadre()
    for c in raw["cadres"]:
        c.update(level="county", home_district="210702", unit="古塔区民政局")
    raw["cadres"][-1].update(home_district="210703", unit="凌河区民政局")
    rnd = validate_round(raw)
    builds: list[int] = []
    real = geodata.pipeline.build_problem

    def counting(*args: Any, **kwargs: Any) -> Any:
        builds.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(geodata.pipeline, "build_problem", counting)
    plan = run_round(rnd, pairs=candidate_pairs(rnd, k_nearest=10))
    assert plan.pairs.reach_m is not None and plan.pairs.reach_m[0] > 20_000  # widened
    assert len(plan.pairs) == 10 and len(builds) == 1
    assert plan.result.status is Status.OPTIMAL
    full = solve(build_problem(rnd, candidate_pairs(rnd)), rnd.settings)
    assert plan.result.objective == full.objective


def test_a_callers_stop_halts_the_pair_search_and_the_proof() -> None:
    """The service's limit arrives as ``should_stop``: told to stop, the round's own 60 s
    notwithstanding, the answer is not optimal and no widening happened."""
    rnd = validate_round(strong_far_cadre())
    with unbounded_pairs(1):
        plan = run_round(rnd, should_stop=lambda: True)
    assert plan.result.status in (Status.FEASIBLE, Status.UNKNOWN)
    assert plan.pairs.reach_m is not None and len(plan.pairs) == 1


def test_no_pricing_when_less_time_is_left_than_the_solve_took() -> None:
    """Pricing matches the network again: with less time left than the solve took, the
    proof does not start it (it would overrun the limit); the plan is feasible."""
    rnd = validate_round(strong_far_cadre())
    problem = build_problem(rnd, candidate_pairs(rnd, k_nearest=3))
    result = solve(problem, rnd.settings, over_candidates=True)
    slow = dataclasses.replace(result, time_s=100.0)
    done = complete(problem, slow, rnd.settings, 50.0)
    assert done.widen_m is None and done.result.status is Status.FEASIBLE
    assert complete(problem, slow, rnd.settings, 200.0).widen_m is not None
