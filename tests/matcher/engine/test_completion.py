"""The proof over left-out pairs honours the time limit: out of time, the plan is feasible."""

from __future__ import annotations

from geodata.pairs import candidate_pairs
from matcher import validate_round
from matcher.engine.completion import complete
from matcher.engine.problem import build_problem
from matcher.engine.result import Status
from matcher.engine.solve import solve
from tests.test_pipeline_exact import strong_far_cadre


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
