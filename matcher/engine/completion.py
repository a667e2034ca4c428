"""The proof over left-out candidate pairs: how far each community's candidates must reach.

Candidate pairs without a distance rule keep each community's nearest cadres (every cadre
closer than ``reach_m[c]``; :class:`~matcher.engine.pairs.CandidatePairs`). A plan over them
is optimal over *all* pairs when no left-out pair can improve it, and distance is what makes
that checkable: every other term of a pair is bounded below (``ProblemData.group_floor``),
distance is not.

**Priced with the network's own duals** (:mod:`matcher.engine.network_duals`). The split
network (posts × cadre slots, skill mix inside, saturated quotas closed) over *all* pairs is
a relaxation of the round: every plan keeping every rule is one of its matchings, at the same
cost. Let u, v (v ≤ 0) be optimal duals of its optimal matching over the candidates, with
value V (in plan points), and z the plan's objective, optimal over the candidates. A left-out
pair of group g at ``m`` metres gives the entries (p, s), p a post of g, with reduced cost
``c_ps − u_p − v_s ≥ dist(m) + floor_g − max_{p∈g} u_p`` (v ≤ 0; ``floor_g`` already
subtracts the largest drop cost a slot pays). If every left-out entry has reduced cost
≥ z − V (the gap, 0 whenever the plan is the network's optimum), (u, v) stays dual feasible
over all pairs, so any plan using a left-out pair costs ≥ V + its reduced cost ≥ z; every
other plan is over the candidates, where z is optimal. Side rows left outside the network
(a quota, a skill mix that is not split) are covered by the gap: the network relaxes them,
so z − V ≥ 0 prices exactly what they cost. ``dist(m) ≥ T`` holds for
``m ≥ (1000·T − 500) / w``, so each community needs its candidates to reach that radius;
where they do not, the caller widens (:func:`geodata.truncation.widen`: the pairs within
the radius join) and solves again — column generation over distance rings, until no
left-out pair can price out. The network's duals carry no integrality gap, so the radii stay
near each post's own cadre.

**Fallback: the LP's duals** (an either-type lock, which the network cannot express, or a
network that cannot be matched): y the optimal duals of the LP over the candidates
(:func:`matcher.engine.mip.build_model`) with value LB; a left-out pair has reduced cost
``≥ dist(m) + floor_g − y_g − Σ⁺ y_side(g)`` (Σ⁺ sums the positive duals of the quota and
skill-mix rows that could hold it); the same radius argument with the gap z − LB.

Until proven (time limit, stop) the status is ``feasible`` with a bound valid over all pairs
(each post or slot may take one left-out pair at its least reduced cost), never ``optimal``.
"""

from __future__ import annotations

import logging
import math
import time
from dataclasses import dataclass, replace

import numpy as np
from numpy.typing import NDArray

from matcher.engine.flow import lock_arcs
from matcher.engine.mip import (
    ArcModel,
    LpOutcome,
    build_model,
    lagrangian_bound,
    reduced_costs,
    solve_lp,
)
from matcher.engine.network_duals import SplitPrices, split_prices
from matcher.engine.problem import ProblemData
from matcher.engine.result import Result, Status
from matcher.engine.sparse_flow import k_best_per_group
from matcher.model.settings import SolveSettings

log = logging.getLogger(__name__)

#: Factor by which a community's reach grows when no radius can be computed (no LP duals).
GROWTH = 4.0
_START, _ADD, _ROUNDS = 12, 6, 60  # column generation: arcs per group first, per round, rounds


@dataclass(frozen=True, slots=True)
class Completion:
    """The honest result over the current pairs, and the reach to widen to (None = done)."""

    result: Result
    widen_m: NDArray[np.float64] | None
    prices: SplitPrices | None = None
    """The split network's prices over these candidates (reused when a widening adds none)."""


def _dist_points(problem: ProblemData, metres: NDArray[np.float64]) -> NDArray[np.float64]:
    """Least distance points of a pair at ≥ ``metres`` (whole metres, rounded half up)."""
    m = np.ceil(np.maximum(metres - 0.5, 0.0))
    return np.asarray(np.floor((problem.distance_per_km * m + 500) / 1000))


def _radius(problem: ProblemData, threshold: NDArray[np.float64]) -> NDArray[np.float64]:
    """Per group, metres from which every pair's distance points reach ``threshold``."""
    w = problem.distance_per_km
    if w <= 0:
        return np.where(threshold <= 0, 0.0, np.inf)
    return np.where(threshold <= 0, 0.0, np.ceil((1000.0 * threshold - 500.0) / w))


def _side_push(
    problem: ProblemData, model: ArcModel, y: NDArray[np.float64]
) -> NDArray[np.float64]:
    """Per group, the positive duals of side rows a left-out pair of the group could join."""
    ng = problem.n_groups
    push = np.zeros(ng)
    first = ng + len(model.slots) + len(model.locks)
    quota_type = {q.source: q.post_type for q in problem.quotas}
    for k, row in enumerate(model.side):
        yk = float(y[first + k]) if first + k < len(y) else 0.0
        if yk <= 0:
            continue
        if row.rule in quota_type:
            groups = np.nonzero(problem.group_type == quota_type[row.rule])[0]
        else:
            groups = np.unique(problem.arc_group[row.arcs])
        push[groups] += yk
    return push


def complete(
    problem: ProblemData,
    result: Result,
    settings: SolveSettings,
    time_left: float,
    prices: SplitPrices | None = None,
) -> Completion:
    """Prove ``result`` (over the candidates) over all pairs, or say how far to widen.
    ``prices``: the split network's prices over the same arcs, priced earlier (a widening
    that found no allowed cadre only lengthens the reach)."""
    reach = problem.pairs_reach_m
    if reach is None or problem.pairs_complete:
        return Completion(result, None)
    if result.status is Status.INFEASIBLE:
        return _infeasible(problem, result, reach)
    if result.objective is None or result.status is not Status.OPTIMAL:
        # the solve stopped (time limit, stop): pricing now would overrun the limit
        return Completion(
            _unproven(result, None, "stopped before the left-out pairs were priced"), None
        )
    deadline = time.perf_counter() + time_left
    late = "the time limit ran out before the left-out pairs were priced"
    if time_left <= 0:
        return Completion(_unproven(result, None, late), None)
    if prices is None and time_left < result.time_s:
        # pricing matches the network once more (one C call, not interruptible): about what
        # the solve took; with less time left it would overrun the limit
        return Completion(_unproven(result, None, late), None)
    prices = prices if prices is not None else split_prices(problem)
    if prices is not None:
        by_network = _by_network(problem, result, prices, reach)
        if by_network is not None:
            return by_network
    if time.perf_counter() > deadline:
        return Completion(_unproven(result, None, late), None)
    return _by_lp(problem, result, settings, deadline, reach)


def _by_network(
    problem: ProblemData, result: Result, prices: SplitPrices, reach: NDArray[np.float64]
) -> Completion | None:
    """The proof with the split network's duals (module docstring); None when the plan
    costs less than the network's optimum (inconsistent: the LP decides instead)."""
    if result.objective is None:
        return None
    gap = float(result.objective) - prices.value
    if gap < -1e-6:
        log.warning("plan %.0f below the network optimum %.0f", result.objective, prices.value)
        return None
    floor = problem.group_floor if problem.group_floor is not None else np.zeros(problem.n_groups)
    price = np.full(problem.n_groups, -np.inf)
    np.maximum.at(price, prices.post_group, prices.post_price)
    com = problem.group_community
    radius = _radius(problem, price - floor + max(0.0, gap) + 1e-6)
    need = np.zeros(len(reach))
    np.maximum.at(need, com, radius - 0.5)
    short = need > reach
    if not short.any():
        note = (
            "proven over all pairs: every left-out pair lies beyond the distance at which it "
            "could improve the plan (duals of the split network over the candidates)"
        )
        return Completion(replace(result, notes=(*result.notes, note)), None)
    # a bound over all pairs: each post may take one left-out pair at its least reduced cost
    g = prices.post_group
    least = _dist_points(problem, reach[com[g]]) + floor[g] - prices.post_price
    bound = prices.value + float(np.minimum(least, 0.0).sum())
    widen = np.where(short, need, reach)
    note = f"{int(short.sum())} communities need candidates farther out before the plan is proven"
    return Completion(_unproven(result, bound, note), widen, prices)


def _by_lp(
    problem: ProblemData,
    result: Result,
    settings: SolveSettings,
    deadline: float,
    reach: NDArray[np.float64],
) -> Completion:
    """The fallback proof with the LP's duals over the candidates (module docstring)."""
    n_com = len(reach)
    late = "the time limit ran out before the left-out pairs were priced"
    if result.objective is None:
        return Completion(_unproven(result, None, late), None)
    got = _candidate_lp(problem, settings, deadline)
    if got is None:  # column generation did not settle: the LP over every candidate
        if time.perf_counter() > deadline:  # building it alone may take longer than is left
            return Completion(_unproven(result, None, late), None)
        model = build_model(problem)
        got = model, solve_lp(model, settings, max(0.01, deadline - time.perf_counter()))
    model, lp = got
    if lp.status not in ("optimal", "empty"):
        grow = np.where(np.isinf(reach), reach, reach * GROWTH + 1000.0)
        return Completion(_unproven(result, None, "no LP duals to price the left-out pairs"), grow)
    y = lp.row_dual if len(lp.row_dual) else np.zeros(model.lp.num_row_)
    floor = problem.group_floor if problem.group_floor is not None else np.zeros(problem.n_groups)
    y_g = y[: problem.n_groups]
    push = _side_push(problem, model, y)
    gap = max(0.0, float(result.objective) - lp.objective)
    radius = _radius(problem, y_g + push - floor + gap + 1e-6)
    need = np.zeros(n_com)
    np.maximum.at(need, problem.group_community, radius - 0.5)
    short = need > reach
    if not short.any():
        note = (
            "proven over all pairs: every left-out pair lies beyond the distance at which it "
            "could improve the plan (LP duals over the candidate pairs)"
        )
        return Completion(replace(result, notes=(*result.notes, note)), None)
    # not yet proven: a bound valid over all pairs, each slot may take one left-out pair
    usable, _ = lock_arcs(problem)
    bound_s, _ = lagrangian_bound(problem, model, lp, usable)
    worst = _dist_points(problem, reach[problem.group_community]) + floor - y_g - push
    slots = len(problem.cadre_ids) * (1 if problem.one_post_per_cadre else 2)
    bound = bound_s + slots * min(0.0, float(worst.min(initial=0.0)))
    widen = np.where(short, need, reach)
    note = f"{int(short.sum())} communities need candidates farther out before the plan is proven"
    return Completion(_unproven(result, bound if math.isfinite(bound) else None, note), widen)


def _candidate_lp(
    problem: ProblemData, settings: SolveSettings, deadline: float
) -> tuple[ArcModel, LpOutcome] | None:
    """The LP over the candidates by column generation (each group's cheapest arcs first,
    then the arcs its duals price below zero), so its duals come without the LP over millions
    of arcs; None when it does not settle with zero elastic slack."""
    usable, locked = lock_arcs(problem)
    cost = problem.arc_cost.astype(np.float64)
    work = usable & (locked | k_best_per_group(problem, cost, usable, _START))
    span = float(np.abs(problem.arc_cost).max(initial=0))
    penalty = 10.0 * (span + float(problem.group_vacancy_cost.max(initial=0))) + 1e6
    for _ in range(_ROUNDS):
        if time.perf_counter() > deadline:
            return None
        model = build_model(problem, work, elastic=True, penalty=penalty)
        lp = solve_lp(model, settings, max(0.01, deadline - time.perf_counter()))
        if lp.status != "optimal":
            return None
        rc = reduced_costs(problem, model, lp.row_dual)
        neg = usable & ~work & (rc < -1e-7)
        if not neg.any():
            slack = lp.values[len(lp.values) - model.n_elastic :] if model.n_elastic else None
            return None if slack is not None and slack.max(initial=0) > 1e-7 else (model, lp)
        work |= k_best_per_group(problem, rc, neg, _ADD)
    return None


def _unproven(result: Result, bound: float | None, note: str) -> Result:
    """``feasible`` (or ``unknown`` without a plan) with a bound valid over all pairs."""
    status = Status.FEASIBLE if result.objective is not None else Status.UNKNOWN
    if result.status is Status.FEASIBLE and result.bound is not None and bound is not None:
        bound = min(bound, result.bound)
    gap = None
    if bound is not None and result.objective is not None:
        gap = max(0.0, result.objective - bound) / max(1.0, abs(result.objective))
    return replace(result, status=status, bound=bound, gap=gap, notes=(*result.notes, note))


def _infeasible(problem: ProblemData, result: Result, reach: NDArray[np.float64]) -> Completion:
    """A conflict over the candidates is proven when it rests on locks alone or names only
    communities whose candidates are complete; else the named communities take every cadre
    (a few communities: cheap), or, when none is named, all reaches grow ×GROWTH."""
    index = {c: i for i, c in enumerate(problem.community_ids)}
    named: set[int] = set()
    proven = True
    for c in result.conflicts:
        if c.rules == ("locks",):
            continue
        if not c.communities:
            proven = False
            named = set(range(len(reach)))
            break
        ids = {index[x] for x in c.communities if x in index}
        named |= ids
        proven &= all(math.isinf(reach[i]) for i in ids)
    if proven:
        return Completion(result, None)
    grow = reach.copy()
    everyone = len(named) == len(reach)  # no community named: widen all step by step
    for i in named:
        grow[i] = reach[i] * GROWTH + 1000.0 if everyone else math.inf
    note = "the rules conflict over the candidate pairs; left-out pairs may resolve it"
    unknown = replace(result, status=Status.UNKNOWN, notes=(*result.notes, note))
    return Completion(unknown, grow)
