"""Dual potentials of the split network's optimal matching: the prices the proof uses.

The network part of a round is an assignment of posts (rows) to cadre slots and vacancy
columns (:mod:`matcher.engine.post_matching`): min Σ c·x, every post exactly once, every
column at most once. Its LP is integral, so the duals of an optimal matching M give the
matching's own value, with no gap: u_p free per post, v_s ≤ 0 per column, u_p + v_s ≤ c_ps
on every entry, equality on M, v_s = 0 on columns M leaves free.

LAPJVsp returns the matching, not its duals, so they are read back from M: with
v_{m(p)} = c_{p,m(p)} − u_p the constraints become differences between posts,
u_q ≥ u_p − c_{p,m(q)} + c_{q,m(q)} for every entry (p, m(q)), and u_q ≥ c_{q,m(q)} (v ≤ 0).
The least solution is a longest-path labelling: y_q = u_q − c_{q,m(q)} (the column's price,
what the most envious post would gain by taking q's cadre) starts at 0 and rises along the
entries, label-correcting from the posts whose label moved (a wave touches only their
entries; most posts envy nobody and never move). The *least* post prices are the choice that
keeps the proof's radii (:mod:`matcher.engine.completion`) tightest. M optimal means no
positive cycle, so the waves stop; the result is checked entry by entry before it is used
(None otherwise).
"""

from __future__ import annotations

import itertools
import logging
import time
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from matcher.engine.flow import Solution, flex_lock_needs_mip, slot_of_arcs
from matcher.engine.post_matching import PostMatcher, optimal_pairing
from matcher.engine.problem import ProblemData
from matcher.engine.saturated_quotas import saturated_quotas
from matcher.engine.skill_split import split_groups

log = logging.getLogger(__name__)

_TOL = 1e-6
_BLOCK = 1 << 21  # entries per pass block


@dataclass(frozen=True, slots=True)
class MatchingDuals:
    """Optimal duals of a matching: ``post[p]`` (u), ``column[s]`` (v ≤ 0), and the
    matching's value Σ u + Σ v (= Σ of its entries' costs)."""

    post: NDArray[np.float64]
    column: NDArray[np.float64]
    value: float
    matched: NDArray[np.int64]
    """Per post, the CSR entry the matching uses."""


def matching_duals(
    indptr: NDArray[np.int64],
    cols: NDArray[np.integer],
    cost: NDArray[np.int64],
    col_of: NDArray[np.int64],
    n_cols: int,
) -> MatchingDuals | None:
    """Least dual-feasible post prices of the optimal matching ``col_of`` (post → column) of
    the CSR matrix (``indptr``, ``cols``, integer ``cost``); see the module docstring. None
    if the matching is not optimal (the prices never settle) or the check fails."""
    n_posts = len(indptr) - 1
    length = np.diff(indptr)
    owner = np.full(n_cols, -1, dtype=np.int32)
    owner[col_of] = np.arange(n_posts, dtype=np.int32)
    c_match = np.zeros(n_posts, dtype=np.float64)
    matched = np.zeros(n_posts, dtype=np.int64)
    # y_q = u_q − c_{q,m(q)} = −v_{m(q)} ≥ 0: the most a post p would gain by taking q's
    # column, y_q = max(0, max_p y_p + c_{p,m(p)} − c_{p,m(q)}) — a longest path from 0.
    # Label-correcting from the posts whose labels change: a wave touches only their entries.
    # Passes over every entry go in blocks of posts, so memory stays a few arrays of a block.
    blocks = _blocks(indptr)
    for lo, hi in blocks:
        e0, e1 = int(indptr[lo]), int(indptr[hi])
        row = np.repeat(np.arange(lo, hi, dtype=np.int64), length[lo:hi])
        on = np.nonzero(cols[e0:e1] == col_of[row])[0]
        c_match[row[on]] = cost[e0 + on]
        matched[row[on]] = e0 + on
    y = np.zeros(n_posts, dtype=np.float64)
    for lo, hi in blocks:
        e0, e1 = int(indptr[lo]), int(indptr[hi])
        row = np.repeat(np.arange(lo, hi, dtype=np.int64), length[lo:hi])
        dst = owner[cols[e0:e1]]
        gain = c_match[row] - cost[e0:e1]
        hit = (dst >= 0) & (dst != row) & (gain > _TOL)
        np.maximum.at(y, dst[hit], gain[hit])
    wave = np.nonzero(y > 0)[0]
    for _ in range(n_posts + 1):
        if not len(wave):
            break
        ent = _spans(indptr[wave], length[wave])
        src = np.repeat(wave, length[wave])
        dst = owner[cols[ent]]
        ok = (dst >= 0) & (dst != src)
        dst, cand = dst[ok], y[src[ok]] + c_match[src[ok]] - cost[ent[ok]]
        best = y.copy()
        np.maximum.at(best, dst, cand)
        wave = np.nonzero(best > y + _TOL)[0]
        y = best
    else:
        log.warning("matching duals: the prices do not settle (the matching is not optimal)")
        return None
    u = c_match + y
    v = np.zeros(n_cols, dtype=np.float64)
    v[col_of] = -y
    for lo, hi in blocks:  # the check: every entry's reduced cost ≥ 0
        e0, e1 = int(indptr[lo]), int(indptr[hi])
        row = np.repeat(np.arange(lo, hi, dtype=np.int64), length[lo:hi])
        least = float((cost[e0:e1] - u[row] - v[cols[e0:e1]]).min(initial=0.0))
        if least < -_TOL:
            log.warning("matching duals: check failed (reduced cost %.3g)", least)
            return None
    return MatchingDuals(u, v, float(c_match.sum()), matched)


def _blocks(indptr: NDArray[np.int64]) -> list[tuple[int, int]]:
    """Post ranges of about :data:`_BLOCK` entries each."""
    cut = np.searchsorted(indptr, np.arange(0, int(indptr[-1]), _BLOCK), side="right") - 1
    edges = np.unique(np.r_[cut, len(indptr) - 1])
    return [(int(a), int(b)) for a, b in itertools.pairwise(edges) if b > a]


def _spans(first: NDArray[np.int64], length: NDArray[np.int64]) -> NDArray[np.int64]:
    """Concatenated ranges ``first[i] … first[i] + length[i] − 1``."""
    ends = np.cumsum(length)
    total = int(ends[-1]) if len(ends) else 0
    return np.asarray(np.repeat(first - (ends - length), length) + np.arange(total))


@dataclass(frozen=True, slots=True)
class SplitPrices:
    """The split network's optimum over the problem's arcs, priced: its value in plan points
    (drop costs and the locks' bonus added back: no plan keeping every rule over these arcs
    costs less) and each post's least dual price ``post_price``, with its group."""

    value: float
    post_price: NDArray[np.float64]
    post_group: NDArray[np.int64]


def split_prices(problem: ProblemData) -> SplitPrices | None:
    """Match the split network (skill mix inside, saturated quotas closed, as
    :func:`matcher.engine.split_network.solve_split` does) and read its duals; None when no
    matching fills every post and keeps the locks, or the duals fail their check.

    A plan keeping every rule holds each locked slot with one locked arc, so it gets the
    locks' bonus once per locked slot: that many bonuses are added back to the value."""
    if flex_lock_needs_mip(problem):
        return None
    t0 = time.perf_counter()
    pm = PostMatcher(problem, split_groups(problem), saturated_quotas(problem))
    got = optimal_pairing(pm)
    if got is None:
        return None
    t1 = time.perf_counter()
    cost, col_of = got
    indptr = pm.matrix.indptr.astype(np.int64)
    duals = matching_duals(indptr, pm.matrix.indices, cost, col_of, pm.matrix.shape[1])
    log.info(
        "split network priced: matching %.1f s, duals %.1f s", t1 - t0, time.perf_counter() - t1
    )
    if duals is None:
        return None
    on_slot = col_of < pm.n_slots
    chosen = np.zeros(problem.n_arcs, dtype=bool)
    chosen[pm.entry[duals.matched[on_slot]].astype(np.int64)] = True
    if not pm.locks_held(Solution(chosen, np.zeros(problem.n_groups, dtype=np.int32))):
        return None
    locked_slots = len(np.unique(slot_of_arcs(problem)[pm.usable & pm.locked]))
    value = duals.value + pm.big_m * locked_slots + pm.offset
    return SplitPrices(value, duals.post, pm.post_group)
