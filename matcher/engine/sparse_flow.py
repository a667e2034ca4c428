"""Min-cost flow on a priced working set of arcs: exact, and fast when pairs are plentiful.

A province round can have tens of millions of eligible arcs (every cadre within 10 km of a
dense city centre), yet an optimal plan uses one arc per post and almost all others cost
more than an arc next door. So:

1. Working set W: in every group, arcs no dearer than a threshold (a global cost quantile,
   raised to the group's cheapest arc so that no group is left without one).
2. Min-cost flow on W (OR-Tools). Node potentials π (LP duals) of that optimum come from
   shortest paths in its residual graph (Bellman–Ford from a virtual root, vectorised).
3. Price every arc outside W: reduced cost c + π(slot) − π(group). If none is negative,
   the flow on W is optimal for all arcs (the potentials certify it); otherwise the negative
   arcs join W and the flow is solved again.

The reduced costs are returned as well: they show which arcs can matter for the LP of the
side constraints (:mod:`matcher.engine.pricing`). Whenever something does not converge quickly
(W infeasible, slow Bellman–Ford), the flow on all arcs is solved instead: same answer.
"""

from __future__ import annotations

import logging
import math
import time
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from matcher.engine.flow import FlowOutcome, Network, lock_arcs, slot_of_arcs, solve_flow
from matcher.engine.problem import ProblemData

log = logging.getLogger(__name__)

SPARSE_FROM = 400_000
"""Below this many arcs the flow on all arcs is fast enough; no working set is used."""
_PER_GROUP = 12
_ADD_PER_GROUP = 6
_MAX_ROUNDS = 12
_MAX_BF_ITER = 3_000


@dataclass(frozen=True, slots=True)
class SparseFlow:
    """The flow outcome, its reduced costs over all arcs (None for a plain flow), rounds."""

    outcome: FlowOutcome
    reduced_cost: NDArray[np.float64] | None
    rounds: int
    working_arcs: int


def potentials(net: Network) -> NDArray[np.float64] | None:
    """Shortest-path distances in the residual graph from a virtual root joined to every
    node at cost 0: feasible node potentials. None if Bellman–Ford does not settle."""
    fwd = net.flows < net.caps
    bwd = net.flows > 0
    tail = np.concatenate([net.tails[fwd], net.heads[bwd]])
    head = np.concatenate([net.heads[fwd], net.tails[bwd]])
    cost = np.concatenate([net.costs[fwd], -net.costs[bwd]]).astype(np.float64)
    order = np.argsort(head, kind="stable")
    tail, head, cost = tail[order], head[order], cost[order]
    heads, starts = np.unique(head, return_index=True)
    d = np.zeros(net.n_nodes, dtype=np.float64)
    for _ in range(_MAX_BF_ITER):
        best = np.minimum.reduceat(d[tail] + cost, starts) if len(tail) else np.zeros(0)
        better = best < d[heads] - 1e-9
        if not better.any():
            return d
        d[heads[better]] = best[better]
    return None


def _initial(problem: ProblemData, usable: NDArray[np.bool_]) -> NDArray[np.bool_]:
    """Arcs within δ of their group's cheapest arc, δ chosen so that groups get about
    ``_PER_GROUP`` arcs on average."""
    cost = problem.arc_cost
    starts = np.searchsorted(problem.arc_group, np.arange(problem.n_groups + 1))
    present = starts[:-1] < starts[1:]
    g_min = np.zeros(problem.n_groups, dtype=np.int64)
    if present.any():
        g_min[present] = np.minimum.reduceat(cost, starts[:-1][present])
    excess = cost - g_min[problem.arc_group]
    target = min(int(usable.sum()) - 1, _PER_GROUP * max(1, problem.n_groups))
    if target < 0:
        return usable
    delta = np.partition(excess[usable], target)[target]
    return np.asarray(usable & (excess <= delta), dtype=bool)


def _big_m(problem: ProblemData) -> int:
    """Cost of leaving a required post empty inside the working set. Any value keeps the
    method exact (a plan that still needs it at convergence sends us to the full flow); a
    moderate one keeps cost scaling quick."""
    span = int(np.abs(problem.arc_cost).max(initial=0)) + int(
        problem.group_vacancy_cost.max(initial=0)
    )
    return 100 * (span + 1) + 1_000_000


def k_best_per_group(
    problem: ProblemData, rc: NDArray[np.float64], candidates: NDArray[np.bool_], k: int
) -> NDArray[np.bool_]:
    """Mask of the ``k`` arcs of every group with the lowest ``rc`` among ``candidates``
    (sorting only the candidates)."""
    idx = np.nonzero(candidates)[0]
    order = idx[np.lexsort((rc[idx], problem.arc_group[idx]))]
    groups = problem.arc_group[order]
    first = np.searchsorted(groups, groups, side="left")
    mask = np.zeros(problem.n_arcs, dtype=bool)
    mask[order[np.arange(len(order)) - first < k]] = True
    return mask


def solve_flow_sparse(problem: ProblemData, deadline: float = math.inf) -> SparseFlow:
    """Exact min-cost flow over all eligible arcs via a priced working set.

    Past ``deadline`` (checked between rounds) the outcome has status ``"time limit"``."""
    if problem.n_arcs < SPARSE_FROM:
        return SparseFlow(solve_flow(problem), None, 0, problem.n_arcs)
    late = SparseFlow(FlowOutcome(None, "time limit"), None, 0, 0)
    usable, locked = lock_arcs(problem)
    work = _initial(problem, usable) | locked  # a locked slot has supply: keep its arcs
    slots = slot_of_arcs(problem)
    big_m = _big_m(problem)
    for rounds in range(1, _MAX_ROUNDS + 1):
        if time.perf_counter() > deadline:
            return late
        out = solve_flow(problem, work, artificial=big_m)
        net = out.network
        if net is None:
            break  # e.g. more locks than posts: decide on all arcs
        d = potentials(net)
        if d is None:
            break
        rc = problem.arc_cost + d[1 + slots] - d[net.group_node0 + problem.arc_group]
        neg = usable & ~work & (rc < -1e-9)
        log.info("sparse flow round %d: %d arcs, %d priced in", rounds, work.sum(), neg.sum())
        if not neg.any():
            if out.solution is None:
                break  # a required post stays empty on every arc: the full flow reports why
            return SparseFlow(out, rc, rounds, int(work.sum()))
        work |= k_best_per_group(problem, rc, neg, _ADD_PER_GROUP)
    if time.perf_counter() > deadline:
        return late
    log.info("sparse flow fell back to all %d arcs", problem.n_arcs)
    return SparseFlow(solve_flow(problem), None, _MAX_ROUNDS, problem.n_arcs)
