"""The proof over left-out candidate pairs: how far each community's candidates must reach.

Candidate pairs without a distance rule keep each community's nearest cadres (every cadre
closer than ``reach_m[c]``; :class:`~matcher.engine.pairs.CandidatePairs`). A plan over them
is optimal over *all* pairs when no left-out pair can improve it, and distance is what makes
that checkable: every other term of a pair is bounded (``ProblemData.group_floor``), distance
is not.

Let y be the optimal duals of the LP over the candidates (:func:`matcher.engine.mip.build_model`)
with value LB, and z the plan's objective. A left-out pair a of group g at ``m`` metres has
reduced cost ``rc ≥ dist(m) + floor_g − y_g − Σ⁺ y_side(g)`` (slot duals of ≤ rows only add;
Σ⁺ sums the positive duals of the quota and skill-mix rows that could hold a). If every
left-out pair has rc ≥ z − LB, the y stay dual feasible over all pairs, so LB bounds every
plan and any plan using a left-out pair costs ≥ LB + rc ≥ z: the plan (optimal over the
candidates) is optimal over all. ``dist(m) ≥ T`` holds for ``m ≥ (1000·T − 500) / w``; so each
community needs its candidates to reach that radius. Where they do not, the caller widens
(:func:`geodata.truncation.widen`) and solves again.
"""

from __future__ import annotations

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
from matcher.engine.problem import ProblemData
from matcher.engine.result import Result, Status
from matcher.engine.sparse_flow import k_best_per_group
from matcher.model.settings import SolveSettings

#: Factor by which a community's reach grows when no radius can be computed (no LP duals).
GROWTH = 4.0
_START, _ADD, _ROUNDS = 12, 6, 60  # column generation: arcs per group first, per round, rounds


@dataclass(frozen=True, slots=True)
class Completion:
    """The honest result over the current pairs, and the reach to widen to (None = done)."""

    result: Result
    widen_m: NDArray[np.float64] | None


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
    problem: ProblemData, result: Result, settings: SolveSettings, time_left: float
) -> Completion:
    """Prove ``result`` (over the candidates) over all pairs, or say how far to widen."""
    reach = problem.pairs_reach_m
    if reach is None or problem.pairs_complete:
        return Completion(result, None)
    n_com = len(reach)
    if result.status is Status.INFEASIBLE:
        return _infeasible(problem, result, reach)
    if result.objective is None:
        return Completion(
            _unproven(result, None, "stopped before the left-out pairs were priced"), None
        )
    deadline = time.perf_counter() + time_left
    late = "the time limit ran out before the left-out pairs were priced"
    if time_left <= 0:
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
