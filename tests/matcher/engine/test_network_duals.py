"""The split network's duals read back from an optimal matching: feasible, exact, least."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.optimize import linear_sum_assignment

from geodata.pairs import candidate_pairs
from matcher import validate_round
from matcher.engine import network_duals
from matcher.engine.network_duals import matching_duals, split_prices
from matcher.engine.problem import build_problem
from matcher.engine.solve import solve
from tests.crosscheck.rounds import random_round


def _csr(cost: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    n, m = cost.shape
    indptr = np.arange(0, n * m + 1, m, dtype=np.int64)  # every entry present, zeros too
    return indptr, np.tile(np.arange(m, dtype=np.int32), n), cost.ravel().astype(np.int64)


def test_least_post_price_of_a_one_post_matching() -> None:
    """One post, columns at 5 and 3: the matching takes 3 and the least price is 3 (v = 0),
    not 5 (the largest feasible price)."""
    indptr, cols, cost = _csr(np.array([[5, 3]]))
    d = matching_duals(indptr, cols, cost, np.array([1]), 2)
    assert d is not None
    assert d.post.tolist() == [3.0] and d.column.tolist() == [0.0, 0.0] and d.value == 3.0


@pytest.mark.parametrize("seed", range(8))
def test_duals_of_random_assignments_are_optimal(seed: int) -> None:
    """On random rectangular assignments the duals are feasible (reduced costs ≥ 0,
    column prices ≤ 0, free columns 0), tight on the matching and worth its optimum."""
    rng = np.random.default_rng(seed)
    n, m = int(rng.integers(2, 9)), int(rng.integers(9, 15))
    cost = rng.integers(-20, 40, size=(n, m))
    rows, col = linear_sum_assignment(cost)
    indptr, cols, flat = _csr(cost)
    d = matching_duals(indptr, cols, flat, col[np.argsort(rows)].astype(np.int64), m)
    assert d is not None
    assert d.value == cost[rows, col].sum()
    rc = cost - d.post[:, None] - d.column[None, :]
    assert rc.min() >= -1e-9
    assert np.allclose(rc[rows, col], 0.0)
    free = np.setdiff1d(np.arange(m), col)
    assert d.column.max() <= 1e-9 and np.all(d.column[free] == 0.0)
    assert d.post.sum() + d.column.sum() == pytest.approx(d.value)


def test_a_matching_that_is_not_optimal_gets_no_duals() -> None:
    """Two posts crossed at cost 10 + 10 where 1 + 1 exists: a negative cycle, no duals."""
    indptr, cols, cost = _csr(np.array([[1, 10], [10, 1]]))
    assert matching_duals(indptr, cols, cost, np.array([1, 0]), 2) is None


@pytest.mark.parametrize("seed", [9, 10, 15, 19, 20, 22, 36, 42])
def test_split_prices_value_is_a_lower_bound_and_exact_without_side_rows(seed: int) -> None:
    """The network's value never exceeds the round's optimum, and equals it when the
    optimum is the network's own plan (method flow or split-flow)."""
    rnd = validate_round(random_round(seed, 25, 80, min_communities=3))
    problem = build_problem(rnd, candidate_pairs(rnd))
    prices = split_prices(problem)
    result = solve(problem, rnd.settings)
    if prices is None or result.objective is None:
        pytest.skip("no network plan for this round")
    assert prices.value <= result.objective + 1e-6
    if result.method in ("flow", "split-flow"):
        assert prices.value == pytest.approx(result.objective)


def test_duals_computed_in_small_blocks_are_the_same(monkeypatch: pytest.MonkeyPatch) -> None:
    """Passes over the entries in blocks of 5 give the same duals as one block."""
    rng = np.random.default_rng(7)
    cost = rng.integers(-20, 40, size=(9, 14))
    rows, col = linear_sum_assignment(cost)
    args = (*_csr(cost), col[np.argsort(rows)].astype(np.int64), 14)
    whole = matching_duals(*args)
    monkeypatch.setattr(network_duals, "_BLOCK", 5)
    split = matching_duals(*args)
    assert whole is not None and split is not None
    assert np.array_equal(whole.post, split.post) and np.array_equal(whole.column, split.column)
