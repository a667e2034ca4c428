"""Mentor matching: exact against brute force, every rule binding and not, clashes named."""

from __future__ import annotations

import itertools
import random

import numpy as np

from matcher.engine.result import Status
from matcher.practices.mentoring import MentorProblem, solve_mentoring


def _problem(cost: list[list[int]], lo: int, hi: int, **masks: np.ndarray) -> MentorProblem:
    c = np.array(cost, dtype=np.int64)
    n_e, n_m = c.shape
    return MentorProblem(
        tuple(f"M{j}" for j in range(n_m)),
        tuple(f"E{i}" for i in range(n_e)),
        c,
        np.abs(c) * 100,
        np.full(n_m, lo, dtype=np.int64),
        np.full(n_m, hi, dtype=np.int64),
        {k: v.astype(bool) for k, v in masks.items()},
        {"distance": c},
    )


def _brute(p: MentorProblem) -> int | None:
    n_e, n_m = p.cost.shape
    ok = p.allowed()
    best = None
    for choice in itertools.product(range(n_m), repeat=n_e):
        if not all(ok[i, j] for i, j in enumerate(choice)):
            continue
        load = np.bincount(choice, minlength=n_m)
        if (load < p.lo).any() or (load > p.hi).any():
            continue
        cost = sum(int(p.cost[i, j]) for i, j in enumerate(choice))
        best = cost if best is None else min(best, cost)
    return best


def test_hand_checkable_pairs() -> None:
    """Two mentors taking exactly two each: the cheapest split, proven (bound = objective)."""
    p = _problem([[1, 9], [2, 9], [9, 1], [3, 2]], lo=2, hi=2)
    out = solve_mentoring(p)
    assert out.status is Status.OPTIMAL and out.objective == 1 + 2 + 1 + 2 == out.bound
    assert {(x.left, x.right) for x in out.pairs} == {
        ("M0", "E0"),
        ("M0", "E1"),
        ("M1", "E2"),
        ("M1", "E3"),
    }


def test_matches_brute_force_on_random_rounds() -> None:
    """On 60 random small rounds the flow's status and objective equal exhaustive search."""
    rng = random.Random(7)
    for _ in range(60):
        n_e, n_m = rng.randint(1, 6), rng.randint(1, 3)
        cost = [[rng.randint(-20, 40) for _ in range(n_m)] for _ in range(n_e)]
        lo = rng.randint(0, 2)
        hi = rng.randint(max(lo, 1), 4)
        mask = np.array([[rng.random() < 0.8 for _ in range(n_m)] for _ in range(n_e)])
        p = _problem(cost, lo, hi, rule=mask)
        best = _brute(p)
        out = solve_mentoring(p)
        if best is None:
            assert out.status is Status.INFEASIBLE and out.conflicts
        else:
            assert out.status is Status.OPTIMAL and out.objective == best


def test_minimum_above_mentees_is_named() -> None:
    """Three mentors with at least three each cannot share eight mentees: the counts are said."""
    p = _problem([[1, 1, 1]] * 8, lo=3, hi=4)
    out = solve_mentoring(p)
    assert out.status is Status.INFEASIBLE
    assert "共需9名学员，但只有8名学员" in out.conflicts[0]


def test_rule_that_binds_is_named_as_the_way_out() -> None:
    """A mentee whom the district rule leaves without mentors is named; dropping it frees it."""
    same = np.array([[True, True], [False, False]])
    out = solve_mentoring(_problem([[1, 2], [3, 4]], lo=0, hi=2, same_district=same))
    assert out.status is Status.INFEASIBLE
    assert "E1" in out.conflicts[0] and any("同属一个区县" in n for n in out.notes)


def test_rule_that_does_not_bind_changes_nothing() -> None:
    """A mask that allows every pair gives the same plan as no mask."""
    cost = [[5, 1], [2, 7], [3, 3]]
    free = solve_mentoring(_problem(cost, lo=1, hi=2))
    loose = solve_mentoring(_problem(cost, lo=1, hi=2, same_district=np.ones((3, 2))))
    assert free.canonical_dict() == loose.canonical_dict()
