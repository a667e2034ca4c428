"""The network part as one min-cost flow (OR-Tools SimpleMinCostFlow): exact without side
constraints.

Network::

    source ──(cap 1, 0)──▶ cadre slot ──(cap 1, arc cost)──▶ group ◀── demand = capacity
    source ──(cap capacity − required, vacancy cost)──────────▶ group
    sitting cadre slot (supply 1) ──(cap 1, change)──▶ drop ◀──(0)── source;  drop demand =
    number of sitting cadres


A cadre slot is the cadre (one post per cadre) or the (cadre, post type) pair (rule off:
at most one post per type). A locked cadre's slot gets its own supply of 1 and keeps only the
arcs into the locked community, so the lock must be honoured. The source supplies every post
not covered by a lock; each post is therefore filled by a cadre or left vacant at its
penalty, and flow integrality gives an integral optimum. A cadre holding a current post
gets a supply of 1 too and either takes a post or pays ``change`` on the way to the drop
node, which the source tops up so that the demands balance.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from ortools.graph.python import min_cost_flow

from matcher.engine.problem import ProblemData


@dataclass(frozen=True, slots=True)
class Solution:
    """A plan as arrays: chosen arcs and vacant posts per group."""

    chosen: NDArray[np.bool_]
    vacant: NDArray[np.int32]

    def cost(self, problem: ProblemData) -> int:
        """Objective in points."""
        arcs = int(problem.arc_cost[self.chosen].sum())
        return arcs + self.vacancy_cost(problem) + self.drop_cost(problem)

    def vacancy_cost(self, problem: ProblemData) -> int:
        """Points for vacant posts."""
        return int((problem.group_vacancy_cost * self.vacant).sum())

    def drop_cost(self, problem: ProblemData) -> int:
        """Points for sitting cadres left without a post of their current post's type slot
        (part of the ``change`` term; see :func:`sitting_slots`)."""
        sit, drop = sitting_slots(problem)
        if not len(sit):
            return 0
        held = np.isin(sit, slot_of_arcs_at(problem, np.nonzero(self.chosen)[0]))
        return int(drop[~held].sum())


def slot_of_arcs(problem: ProblemData) -> NDArray[np.int64]:
    """Cadre slot of every arc (see module docstring)."""
    cad = problem.arc_cadre.astype(np.int64)
    if problem.one_post_per_cadre:
        return cad
    return cad * 2 + problem.group_type[problem.arc_group]


def slot_of_arcs_at(problem: ProblemData, arcs: NDArray[np.int64]) -> NDArray[np.int64]:
    """Cadre slot of the given arcs."""
    cad = problem.arc_cadre[arcs].astype(np.int64)
    if problem.one_post_per_cadre:
        return cad
    return cad * 2 + problem.group_type[problem.arc_group[arcs]]


def lock_arcs(problem: ProblemData) -> tuple[NDArray[np.bool_], NDArray[np.bool_]]:
    """``(usable, locked)`` arc masks: arcs a lock leaves open, and arcs that satisfy a lock.

    A lock ties the cadre's slot (the cadre, or with one post per type the (cadre, type)
    pair) to the locked community: the slot's other arcs are closed. An either-type lock
    with one post per type ("a post of either type there") closes nothing: which slot holds
    it is the solver's choice, kept by the lock row of :func:`lock_groups`. Only valid locks
    count (``lock_issue == ""``)."""
    valid = np.array([not s for s in problem.lock_issue], dtype=bool)
    usable = np.ones(problem.n_arcs, dtype=bool)
    locked = np.zeros(problem.n_arcs, dtype=bool)
    if not valid.any():
        return usable, locked
    # only arcs of locked cadres can change: work on that small subset
    named = np.zeros(len(problem.cadre_ids), dtype=bool)
    named[problem.lock_cadre[valid]] = True
    sub = np.nonzero(named[problem.arc_cadre])[0]
    n_com = max(1, len(problem.community_ids))
    g = problem.arc_group[sub]
    a_key = problem.arc_cadre[sub].astype(np.int64) * n_com + problem.group_community[g]
    a_typ = problem.group_type[g].astype(np.int64)
    l_key = problem.lock_cadre[valid].astype(np.int64) * n_com + problem.lock_community[valid]
    l_typ = problem.lock_type[valid].astype(np.int64)
    typed = np.isin(a_key * 2 + a_typ, (l_key * 2 + l_typ)[l_typ >= 0])
    either = np.isin(a_key, l_key[l_typ < 0])
    hit = typed | either
    pins = hit if problem.one_post_per_cadre else typed
    slots = slot_of_arcs(problem)[sub]
    locked[sub] = hit
    usable[sub] = ~np.isin(slots, np.unique(slots[pins])) | hit
    return usable, locked


def sitting_slots(problem: ProblemData) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Slots of cadres who hold a current post and pay a drop cost, with that cost."""
    cads = np.nonzero(problem.cadre_drop_cost > 0)[0].astype(np.int64)
    slots = cads if problem.one_post_per_cadre else cads * 2 + problem.cadre_current_type[cads]
    return slots, problem.cadre_drop_cost[cads]


def lock_groups(problem: ProblemData) -> list[NDArray[np.int64]]:
    """Arcs that satisfy each valid lock (the cadre must hold at least one of them)."""
    if not len(problem.lock_issue):
        return []
    n_com = max(1, len(problem.community_ids))
    # only arcs of locked cadres can satisfy a lock: compare on that small subset
    named = np.zeros(len(problem.cadre_ids), dtype=bool)
    named[problem.lock_cadre] = True
    sub = np.nonzero(named[problem.arc_cadre])[0].astype(np.int64)
    g = problem.arc_group[sub]
    a_key = problem.arc_cadre[sub].astype(np.int64) * n_com + problem.group_community[g]
    a_typ = problem.group_type[g]
    out: list[NDArray[np.int64]] = []
    for li, issue in enumerate(problem.lock_issue):
        if issue:
            continue
        key = int(problem.lock_cadre[li]) * n_com + int(problem.lock_community[li])
        hit = a_key == key
        if problem.lock_type[li] >= 0:
            hit &= a_typ == problem.lock_type[li]
        out.append(sub[hit])
    return out


def flex_lock_needs_mip(problem: ProblemData) -> bool:
    """An either-type lock with one post per type (rule off) is not a plain network."""
    if problem.one_post_per_cadre:
        return False
    valid = np.array([not s for s in problem.lock_issue], dtype=bool)
    return bool(np.any(valid & (problem.lock_type < 0)))


@dataclass(frozen=True, slots=True)
class Network:
    """The flow network as arrays (node 0 = source, 1 + slot = cadre slot, then groups, then
    the drop node), with the flows once solved. Arcs ``first_use …`` are the problem arcs
    ``use``; arc potentials for pricing are computed from it (:mod:`matcher.engine.sparse_flow`)."""

    tails: NDArray[np.int64]
    heads: NDArray[np.int64]
    caps: NDArray[np.int64]
    costs: NDArray[np.int64]
    flows: NDArray[np.int64]
    n_nodes: int
    group_node0: int
    use: NDArray[np.int64]


@dataclass(frozen=True, slots=True)
class FlowOutcome:
    """Result of the flow: a solution, or None when the hard rules leave a post unfillable."""

    solution: Solution | None
    status: str
    network: Network | None = None


def solve_flow(
    problem: ProblemData, mask: NDArray[np.bool_] | None = None, artificial: int = 0
) -> FlowOutcome:
    """Min-cost flow over the eligible arcs (only those in ``mask`` when given).

    ``artificial`` > 0 lets required posts go empty at that cost, so a thin working set always
    has a flow; a plan that uses such a vacancy is reported with status ``"artificial"``."""
    cost = problem.arc_cost
    usable, locked = lock_arcs(problem)
    n_groups = problem.n_groups
    n_slots = len(problem.cadre_ids) * (1 if problem.one_post_per_cadre else 2)
    group_node0 = 1 + n_slots

    use = np.nonzero(usable if mask is None else usable & mask)[0]
    locked_idx = np.nonzero(locked)[0]
    locked_slots = np.unique(slot_of_arcs_at(problem, locked_idx))
    sit, drop = sitting_slots(problem)
    keep = ~np.isin(sit, locked_slots)
    sit, drop = sit[keep], drop[keep]
    # every other slot gets a source arc, used or not (exact potentials need them all)
    free_slots = np.setdiff1d(np.arange(n_slots), np.concatenate([locked_slots, sit]))

    tails = [np.zeros(len(free_slots), np.int64), 1 + slot_of_arcs_at(problem, use)]
    heads = [1 + free_slots, group_node0 + problem.arc_group[use].astype(np.int64)]
    caps = [np.ones(len(free_slots), np.int64), np.ones(len(use), np.int64)]
    costs = [np.zeros(len(free_slots), np.int64), cost[use]]
    soft = problem.group_capacity - problem.group_required
    if artificial:
        soft = problem.group_capacity.copy()
    vg = np.nonzero(soft > 0)[0]
    tails.append(np.zeros(len(vg), np.int64))
    heads.append(group_node0 + vg.astype(np.int64))
    caps.append(soft[vg].astype(np.int64))
    vac_cost = problem.group_vacancy_cost[vg].copy()
    if artificial:
        vac_cost[problem.group_required[vg] > 0] = artificial
    costs.append(vac_cost)
    drop_node = group_node0 + n_groups
    tails += [1 + sit, np.zeros(1, np.int64)]
    heads += [np.full(len(sit), drop_node, np.int64), np.full(1, drop_node, np.int64)]
    caps += [np.ones(len(sit), np.int64), np.full(1, len(sit), np.int64)]
    costs += [drop, np.zeros(1, np.int64)]

    mcf = min_cost_flow.SimpleMinCostFlow()
    first_arc_of_use = len(free_slots)
    all_tails, all_heads = np.concatenate(tails), np.concatenate(heads)
    all_caps, all_costs = np.concatenate(caps), np.concatenate(costs)
    mcf.add_arcs_with_capacity_and_unit_cost(all_tails, all_heads, all_caps, all_costs)
    n_nodes = drop_node + 1
    supply = np.zeros(n_nodes, dtype=np.int64)
    supply[1 + locked_slots] = 1
    supply[1 + sit] = 1
    supply[group_node0:drop_node] = -problem.group_capacity
    supply[drop_node] = -len(sit)
    supply[0] = -int(supply[1:].sum())
    if supply[0] < 0:  # more locks than posts
        return FlowOutcome(None, "infeasible")
    mcf.set_nodes_supplies(np.arange(n_nodes, dtype=np.int64), supply)
    status = mcf.solve()
    if status != mcf.OPTIMAL:
        return FlowOutcome(None, "infeasible" if status == mcf.INFEASIBLE else status.name)
    flows = mcf.flows(np.arange(mcf.num_arcs(), dtype=np.int64))
    chosen = np.zeros(problem.n_arcs, dtype=bool)
    chosen[use] = flows[first_arc_of_use : first_arc_of_use + len(use)] > 0
    vacant = np.zeros(n_groups, dtype=np.int32)
    vacant[vg] = flows[first_arc_of_use + len(use) : first_arc_of_use + len(use) + len(vg)]
    net = Network(all_tails, all_heads, all_caps, all_costs, flows, n_nodes, group_node0, use)
    if artificial and (vacant[problem.group_required > 0] > 0).any():
        return FlowOutcome(None, "artificial", net)
    return FlowOutcome(Solution(chosen, vacant), "optimal", net)
