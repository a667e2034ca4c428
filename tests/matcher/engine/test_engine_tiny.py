"""The engine on the hand-checkable tiny round: eligibility, costs, plan and determinism."""

from __future__ import annotations

import json

import numpy as np

from matcher.engine.result import Status
from matcher.engine.solve import solve
from tests.matcher.engine_fixtures import load_raw, problem_of


def test_tiny_round_solves_to_the_hand_computed_optimum() -> None:
    """Flow finds the plan worked out by hand: -460 points, 正科 C03 to the weak community."""
    rnd, problem = problem_of(load_raw("tiny.json"))
    res = solve(problem, rnd.settings)
    assert res.status is Status.OPTIMAL and res.gap == 0.0
    assert res.objective == -460 and res.bound == -460
    plan = {(a.community_id, a.post_type): a.cadre_id for a in res.assignments}
    assert plan == {
        ("GT01", "full-time"): "C03",
        ("GT01", "part-time"): "C05",
        ("GT02", "full-time"): "C01",
        ("GT02", "part-time"): "C02",
        ("LH01", "full-time"): "C04",
    }
    assert res.unplaced_cadres == ("C06",)
    assert sum(res.terms.values()) == res.objective
    assert all(sum(a.terms.values()) == a.cost for a in res.assignments)


def test_tiny_problem_arrays_and_prune_counts() -> None:
    """Groups are (community, type) with capacity; pruning is counted per group and rule."""
    _, problem = problem_of(load_raw("tiny.json"))
    assert problem.n_groups == 5 and problem.n_posts == 5
    assert list(problem.group_capacity) == [1, 1, 1, 1, 1]
    k = problem.prune_rules.index("rank_floors[0]")
    assert problem.group_pruned[0, k] == 3  # 科员 C02, C04, C06 below 副科 for weak GT01
    assert problem.group_pruned[:, problem.prune_rules.index("exclude_disqualified")].sum() == 5
    assert np.array_equal(
        problem.arc_cost,
        problem.arc_distance
        + problem.arc_skill_fit
        + problem.arc_weak_priority
        + problem.arc_preference
        + problem.arc_change,
    )


def test_same_input_gives_byte_identical_canonical_json() -> None:
    """Two solves of the same round and seed produce identical canonical JSON."""
    rnd, problem = problem_of(load_raw("tiny.json"))
    a = json.dumps(solve(problem, rnd.settings).canonical_dict(), ensure_ascii=False)
    _, again = problem_of(load_raw("tiny.json"))
    b = json.dumps(solve(again, rnd.settings).canonical_dict(), ensure_ascii=False)
    assert a == b
