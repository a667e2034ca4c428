"""The re-priced matching (dual repair from the previous optimum) against matching from
scratch: the same optimum on random matrices, on random rounds' post matchings, and through
the whole Lagrangian search, for quota rows that bind and that do not, lower and upper."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy import sparse
from scipy.sparse.csgraph import min_weight_full_bipartite_matching

from matcher.engine.dual_repair import Entries, repair
from matcher.engine.post_matching import PostMatcher
from matcher.engine.reprice import Repricer, _duals
from matcher.engine.result import Status
from matcher.engine.saturated_quotas import saturated_quotas
from matcher.engine.skill_split import residual_rows, split_groups
from matcher.engine.solve import solve
from matcher.engine.split_network import solve_split
from matcher.model.settings import SolveSettings
from tests.crosscheck.rounds import random_round
from tests.matcher.engine.test_engine_split import medium_rounds
from tests.matcher.engine_fixtures import problem_of


def _fresh(ent: Entries) -> int:
    """Least cost of a full matching over ``ent`` by LAPJVsp from scratch."""
    data = (ent.cost - ent.cost.min() + 1).astype(np.float64)
    m = sparse.csr_matrix((data, ent.cols, ent.indptr), shape=(ent.n_posts, ent.n_cols))
    post, col = min_weight_full_bipartite_matching(m)
    return int(sparse.csr_matrix((ent.cost.astype(np.float64), ent.cols, ent.indptr),
                                 shape=m.shape)[post, col].sum())  # fmt: skip


def _random_matrix(rng: np.random.Generator, spread: int) -> tuple[Entries, np.ndarray]:
    n_p = int(rng.integers(1, 25))
    n_c = n_p + int(rng.integers(0, 12))
    mask = rng.random((n_p, n_c)) < rng.uniform(0.15, 0.9)
    mask[np.arange(n_p), rng.permutation(n_c)[:n_p]] = True  # a full matching exists
    rows, cols = np.nonzero(mask)
    indptr = np.r_[0, np.cumsum(mask.sum(1))].astype(np.int64)
    cost = rng.integers(-spread, spread + 1, len(rows)).astype(np.int64)
    ent = Entries(indptr, rows.astype(np.int64), cols.astype(np.int64), cost, n_c)
    member = (rng.random(len(rows)) < 0.4).astype(np.int64)
    return ent, member


def _optimum(ent: Entries) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """An optimal matching (entry per post) with its duals, from scratch."""
    data = (ent.cost - ent.cost.min() + 1).astype(np.float64)
    m = sparse.csr_matrix((data, ent.cols, ent.indptr), shape=(ent.n_posts, ent.n_cols))
    post, col = min_weight_full_bipartite_matching(m)
    col_of = np.empty(ent.n_posts, dtype=np.int64)
    col_of[post] = col
    taken = np.array(
        [ent.indptr[p] + int(np.nonzero(ent.cols[ent.indptr[p] : ent.indptr[p + 1]] == c)[0][0])
         for p, c in enumerate(col_of)], dtype=np.int64,
    )  # fmt: skip
    got = _duals(ent.cost, ent.rows, ent.cols, ent.indptr, taken, ent.n_cols)
    assert got is not None
    return taken, got[0], got[1]


@pytest.mark.parametrize("spread", [2, 20])  # 2: many ties
def test_repair_equals_matching_from_scratch(spread: int) -> None:
    """After member entries shift by q (rewarded or charged), the repaired matching costs
    what a fresh LAPJVsp matching costs, on 150 seeded random matrices."""
    for seed in range(150):
        rng = np.random.default_rng(seed)
        ent, member = _random_matrix(rng, spread)
        taken, u, v = _optimum(ent)
        q = int(rng.integers(-3 * spread, 3 * spread + 1))
        moved = Entries(ent.indptr, ent.rows, ent.cols, ent.cost + q * member, ent.n_cols)
        got = repair(moved, taken, u, v)
        assert got is not None, seed
        assert int(moved.cost[got.taken].sum()) == _fresh(moved), seed
        # the potentials it returns prove it: no negative reduced cost, 0 on the plan
        rc = moved.cost - got.u[moved.rows] - got.v[moved.cols]
        assert rc.min() >= 0 and not rc[got.taken].any()


def test_repair_with_no_change_keeps_the_plan() -> None:
    """Nothing re-priced (q = 0): the plan and its cost stay, no phase needed."""
    ent, _ = _random_matrix(np.random.default_rng(7), 10)
    taken, u, v = _optimum(ent)
    got = repair(ent, taken, u, v)
    assert got is not None
    assert np.array_equal(got.taken, taken)


def _post_matcher(raw: dict[str, Any]) -> tuple[PostMatcher, np.ndarray] | None:
    _, p = problem_of(raw)
    split = split_groups(p)
    pm = PostMatcher(p, split, saturated_quotas(p))
    rows = residual_rows(p, split)
    if not rows or not len(rows[0].arcs):
        return None
    member = np.zeros(p.n_arcs, dtype=np.int64)
    member[rows[0].arcs] = 1 if rows[0].lo > 0 else -1
    return pm, member


def test_repricer_equals_post_matcher_on_random_rounds() -> None:
    """On random rounds' post matchings, every pricing ``k·cost + q·member`` the search may
    ask gets the same optimum value from the repair as from LAPJVsp over the whole matrix,
    and the repair (not the fallback) answers most of them."""
    repaired = asked = 0
    for seed in range(100):
        raw = random_round(seed, max_communities=7, max_cadres=18)
        try:
            got = _post_matcher(raw)
        except ValueError:
            continue
        if got is None:
            continue
        pm, member = got
        start = pm.solve()
        if start is None:
            continue
        rp = Repricer(pm, member, start.solution)
        for k, q in [(1, -3), (1, 2), (pm.n_posts + 1, -1), (3, -7), (1, -40), (2, 5), (1, 0)]:
            mine = rp.solve(k, q)
            full = pm.solve(k, q * member)
            asked += 1
            assert (mine is None) == (full is None), seed
            if mine is not None and full is not None:
                assert mine.value == full.value, (seed, k, q)
        repaired += rp.repairs
    assert asked > 30
    assert repaired > asked // 2


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(medium_rounds())
def test_search_equals_full_rematching(raw: dict[str, Any]) -> None:
    """The Lagrangian search over repaired matchings ends where the search over full
    re-matchings ends: same plan cost, same bound, optimal in the same rounds (quotas
    lower, upper, equal, binding or not)."""
    _, p = problem_of(raw)
    fast = solve_split(p, math.inf)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(Repricer, "solve", lambda self, scale=1, q=0: self._full(scale, q))
        old = solve_split(p, math.inf)
    assert (fast.solution is None) == (old.solution is None)
    if fast.solution is not None and old.solution is not None:
        assert fast.solution.cost(p) == old.solution.cost(p)
    if old.bound is not None and fast.bound is not None:
        assert fast.bound == pytest.approx(old.bound)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(medium_rounds(), st.integers(1, 4))
def test_two_quotas_and_a_skill_mix_stay_proven(raw: dict[str, Any], county_min: int) -> None:
    """With a second quota (county part-timers) beside the city quota and the skill mix,
    ``auto`` (repaired rows, then the exact fallback) proves what the plain MIP proves."""
    raw["rules"]["source_quotas"].append(
        {"post_type": "part-time", "level": "county", "min": county_min}
    )
    _, p = problem_of(raw)
    auto = solve(p, SolveSettings(seed=1, relative_gap=0.0))
    mip = solve(p, SolveSettings(method="mip", seed=1, relative_gap=0.0))
    assert auto.status is mip.status
    if mip.status is Status.OPTIMAL:
        assert auto.objective == mip.objective
