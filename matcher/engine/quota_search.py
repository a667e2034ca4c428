"""One violated side row over the split network: Newton on its Lagrangian multiplier.

With the skill mix inside the network (:mod:`matcher.engine.skill_split`) a round usually keeps
one or two quota rows. For one row ``Σ x[arcs] ≥ rhs`` (an upper bound is the same with the
member sign flipped) the Lagrangian ``L(λ) = min_x c(x) + λ·(rhs − n(x))`` over the network
is concave and piecewise linear; its maximum is the LP bound. Newton's method on it needs a
plan ``a`` below the bound and a plan ``b`` above it: at the multiplier where they tie
(a rational ``P/K``, priced as integers ``K·c + P·member``) the network optimum either ties
too (then ``λ*`` is found and ``L(λ*)`` is a proven bound) or replaces ``a`` or ``b``.

At ``λ*`` both ``a`` and ``b`` are optimal, so every connected component of their difference
(alternating paths and cycles over cadre slots and groups) changes the Lagrangian cost by 0.
Applying a subset of components whose member counts sum to ``rhs − n(a)`` gives a plan with
``n = rhs`` and cost ``L(λ*)``: proven optimal. A first matching at λ = 0 with ties broken
towards members (costs scaled by the number of posts + 1) settles the frequent case λ* = 0.
If no subset fits, None is returned with the bound, and the caller's exact fallback decides.

Each trial multiplier only re-prices the row's arcs, so its matching is repaired from the
nearest proven optimum (:mod:`matcher.engine.reprice`: duals, a primal-dual repair over the
entries of low reduced cost, a certificate over the whole matrix) rather than solved from
scratch; a trial the repair cannot prove is matched from scratch as before.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy import sparse
from scipy.sparse.csgraph import connected_components

from matcher.engine.flow import Solution, slot_of_arcs
from matcher.engine.post_matching import PostMatcher
from matcher.engine.reprice import Repricer
from matcher.engine.side_constraints import Row

log = logging.getLogger(__name__)

_MAX_STEPS = 30


@dataclass(frozen=True, slots=True)
class RowSearch:
    """What the search found: a proven-optimal plan (or None), the Lagrangian bound, and the
    best plan that keeps the row (for a stop at the deadline)."""

    solution: Solution | None
    bound: float | None
    steps: int
    keeps_row: Solution | None = None


def _apply(
    pm: PostMatcher, a: Solution, b: Solution, member: NDArray[np.int64], target: int
) -> Solution | None:
    """``a`` with a subset of the components of ``a Δ b`` whose member counts sum to target."""
    p = pm.problem
    diff = np.nonzero(a.chosen != b.chosen)[0]
    n_slots = pm.n_slots
    slot = slot_of_arcs(p)[diff]
    grp = n_slots + p.arc_group[diff].astype(np.int64)
    n = n_slots + p.n_groups
    graph = sparse.csr_matrix((np.ones(len(diff)), (slot, grp)), shape=(n, n))
    _, label = connected_components(graph, directed=False)
    comp = label[slot]
    sign = np.where(b.chosen[diff], 1, -1) * member[diff]
    d = np.bincount(comp, weights=sign, minlength=int(label.max(initial=0)) + 1).astype(np.int64)
    items = np.nonzero(d > 0)[0]
    if target <= 0 or not len(items):
        return None
    reach = np.zeros(target + 1, dtype=bool)
    reach[0] = True
    came = np.full(target + 1, -1, dtype=np.int64)
    for i in items:
        w = int(d[i])
        if w > target:
            continue
        new = reach[: target + 1 - w] & ~reach[w:]
        hit = np.nonzero(new)[0] + w
        reach[hit] = True
        came[hit] = i
        if reach[target]:
            break
    if not reach[target]:
        return None
    take: list[int] = []
    s = target
    while s > 0:
        item = int(came[s])
        take.append(item)
        s -= int(d[item])
    swap = np.isin(comp, np.array(take, dtype=np.int64))
    chosen = a.chosen.copy()
    chosen[diff[swap]] = b.chosen[diff[swap]]
    filled = np.bincount(p.arc_group[chosen], minlength=p.n_groups)
    vacant = (p.group_capacity - filled).astype(np.int32)
    return Solution(chosen, vacant)


def _estimate(
    pm: PostMatcher,
    member: NDArray[np.int64],
    sign: int,
    plan: Solution,
    need: int,
    spread: int,
) -> int:
    """A first guess of |λ*|: per group holding an arc that counts less than it could, the
    extra cost of its cheapest arc that counts more; the ``need``-th smallest of these (as
    if the swaps did not interact; Newton corrects it). At least 1."""
    p = pm.problem
    up = member == (1 if sign > 0 else 0)
    if p.n_arcs == 0:
        return 2 * spread
    starts = np.searchsorted(p.arc_group, np.arange(p.n_groups))
    big = np.iinfo(np.int64).max // 4
    # groups after the last arc start at n_arcs, which reduceat refuses: clip, then mark every
    # group without arcs as having none
    cheapest = np.minimum.reduceat(
        np.where(up & pm.usable, pm.base, big), np.minimum(starts, p.n_arcs - 1)
    )
    cheapest[np.diff(np.r_[starts, p.n_arcs]) == 0] = big
    low = np.nonzero(plan.chosen & (member == (0 if sign > 0 else -1)))[0]
    delta = cheapest[p.arc_group[low]] - pm.base[low]
    delta = np.sort(delta[delta < big // 2])
    if need <= 0 or need > len(delta):
        return 2 * spread
    return int(max(1, delta[need - 1]))


def search_row(pm: PostMatcher, row: Row, start: Solution, late: Callable[[], bool]) -> RowSearch:
    """Newton on the multiplier of ``row`` from the network optimum ``start`` (which breaks
    the row); see the module docstring. ``late()`` (deadline or stop) is polled per matching."""
    p = pm.problem
    count = int(start.chosen[row.arcs].sum())
    sign = 1 if count < row.lo else -1
    rhs = row.lo if sign > 0 else row.hi
    member = np.zeros(p.n_arcs, dtype=np.int64)
    member[row.arcs] = sign

    def measure(sol: Solution) -> tuple[int, int]:
        c = int(pm.base[sol.chosen].sum()) + sol.vacancy_cost(p)
        return c, int(member[sol.chosen].sum())

    goal = sign * rhs
    rp = Repricer(pm, member, start)
    a = start
    ca, na = measure(a)
    # λ = 0 with ties broken towards members: often enough the row holds at no cost
    tied = rp.solve(pm.n_posts + 1, -1)
    if tied is not None and pm.locks_held(tied.solution):
        ct, nt = measure(tied.solution)
        if ct == ca and nt >= goal:
            log.info("row %s: λ* = 0 (ties)", row.rule)
            return RowSearch(_apply(pm, a, tied.solution, member, goal - na), ca, 1)
        if ct == ca:
            a, na = tied.solution, nt
    spread = int(pm.base.max(initial=0) - pm.base.min(initial=0)) + 1
    b: Solution | None = None
    # multipliers −μ, −4μ, … from an estimate of λ*: a plan still below the bound is a
    # better ``a`` (optimal at its multiplier), so Newton starts from a narrow bracket
    push = _estimate(pm, member, sign, a, goal - na, spread)
    while b is None:
        if late():
            return RowSearch(None, None, 0)
        got = rp.solve(1, -push)
        if got is None or not pm.locks_held(got.solution):
            return RowSearch(None, None, 0)
        cg, ng = measure(got.solution)
        if ng >= goal:
            b = got.solution
        elif push >= 64 * spread:
            return RowSearch(None, None, 0)
        else:
            a, ca, na = got.solution, cg, ng
            push = min(4 * push, 64 * spread)
    cb, nb = measure(b)
    for step in range(1, _MAX_STEPS + 1):
        if late():
            return RowSearch(None, None, step, b)
        k, q = nb - na, ca - cb  # tie at λ = q / k (≤ 0: members are rewarded)
        div = math.gcd(k, abs(q)) or 1
        k, q = k // div, q // div
        got = rp.solve(k, q)
        if got is None or not pm.locks_held(got.solution):
            return RowSearch(None, None, step, b)
        cx, nx = measure(got.solution)
        tie = k * ca + q * na
        if k * cx + q * nx >= tie:  # λ* found: a and b are both optimal there
            bound = (tie - q * goal) / k
            log.info("row %s: λ* = %d/%d after %d steps, bound %.1f", row.rule, q, k, step, bound)
            if nb == goal:
                return RowSearch(b, bound, step, b)
            sol = _apply(pm, a, b, member, goal - na)
            return RowSearch(sol, bound, step, b)
        if nx >= goal:
            b, cb, nb = got.solution, cx, nx
        else:
            a, ca, na = got.solution, cx, nx
    return RowSearch(None, None, _MAX_STEPS, b)
