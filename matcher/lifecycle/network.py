"""The replacement network: sitting cadres, the posts they hold, and every eligible move.

A replacement starts from the plan as it stands after the events: every sitting cadre who may
keep the post keeps it; posts of cadres who left are empty. Nodes are *post nodes* (a group of
interchangeable posts, split into skilled and general posts where one skill-mix rule selects
the group, as in :mod:`matcher.engine.skill_split`) and *cadre slots* (the cadre, or the
(cadre, post type) pair when one cadre may hold a post of each type).

Lexicographic costs as one integer weight per arc (proof of separation in
:func:`move_weight`): ``w = cost + M · [the slot was sitting and this is not its post]``, and
a sitting slot left without a post pays ``M``. ``cost`` is the round's arc cost without the
``change`` term (moves are their own level), a vacancy costs the group's vacancy points.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from matcher.engine.flow import lock_arcs, slot_of_arcs
from matcher.engine.problem import ProblemData
from matcher.engine.skill_split import split_groups


@dataclass(frozen=True, slots=True)
class MoveNetwork:
    """Post nodes, cadre slots and node arcs (sorted by node), with the starting placement.

    Node arc ``e`` lets slot ``arc_slot[e]`` fill a post of node ``arc_node[e]``; it is problem
    arc ``arc_src[e]`` and weighs ``arc_w[e]`` (lexicographic, see module docstring).
    ``start[s]`` is the node slot ``s`` holds at the start (−1: free); ``overflow`` counts
    sitting slots that found no room in their own group (their placement would be a choice,
    so the incremental method is not exact and the levels MIP decides).
    """

    n_slots: int
    node_group: NDArray[np.int64]
    node_cap: NDArray[np.int64]
    node_vac: NDArray[np.int64]
    node_skilled: NDArray[np.bool_]
    node_start: NDArray[np.int64]
    arc_node: NDArray[np.int64]
    arc_slot: NDArray[np.int64]
    arc_src: NDArray[np.int64]
    arc_w: NDArray[np.int64]
    slot_sitting: NDArray[np.bool_]
    slot_orig: NDArray[np.int64]
    start: NDArray[np.int64]
    big_m: int
    overflow: int
    slot_arcs: NDArray[np.int64]
    slot_arc_start: NDArray[np.int64]

    @property
    def n_nodes(self) -> int:
        """Number of post nodes."""
        return len(self.node_cap)

    def arcs_of_slot(self, slot: int) -> NDArray[np.int64]:
        """Node arcs of one slot."""
        return self.slot_arcs[self.slot_arc_start[slot] : self.slot_arc_start[slot + 1]]

    def source_cost(self) -> NDArray[np.int64]:
        """Cost of leaving each slot without a post: ``M`` for a sitting slot, else 0."""
        return np.where(self.slot_sitting, np.int64(self.big_m), np.int64(0))


def move_weight(cost: NDArray[np.int64], vac: NDArray[np.int64], cap: NDArray[np.int64]) -> int:
    """``M`` larger than the spread of the cost level over all plans.

    Each post costs one of its arcs or its vacancy, so two plans differ in cost by less than
    posts × (dearest − cheapest value); one move is worth more than that, so minimising
    ``cost + M·moves`` minimises moves first and cost second, exactly. Integers throughout
    (province scale: M ≈ 3·10¹⁰, plan weights ≈ 10¹⁵, far inside int64)."""
    values = np.concatenate([cost, vac, np.zeros(1, dtype=np.int64)])
    return int(cap.sum()) * int(values.max() - values.min()) + 1


def build_network(
    problem: ProblemData, orig_group: NDArray[np.int64], arc_mask: NDArray[np.bool_] | None = None
) -> MoveNetwork:
    """The network of ``problem`` (restricted to ``arc_mask`` when given). Built once per plan;
    events that only take cadres off posts close arcs in :func:`matcher.lifecycle.augment.
    start_state` instead of rebuilding it.

    ``orig_group[i]`` is the group cadre i held in the approved plan, −1 when the cadre held
    no post, −2 when the post is gone (closed community, recall …: a forced move)."""
    p = problem
    usable, _ = lock_arcs(p)
    if arc_mask is not None:
        usable = usable & arc_mask
    slots_all = slot_of_arcs(p)
    n_slots = len(p.cadre_ids) * (1 if p.one_post_per_cadre else 2)
    cur_type = p.cadre_current_type.astype(np.int64)
    cad = np.arange(len(p.cadre_ids), dtype=np.int64)
    sitting = orig_group != -1
    slot_sitting = np.zeros(n_slots, dtype=bool)
    slot_orig = np.full(n_slots, -1, dtype=np.int64)
    if p.one_post_per_cadre:
        slot_sitting[cad[sitting]] = True
        slot_orig[cad] = np.maximum(orig_group, -1)
    else:
        held = orig_group[sitting]  # the type of the post held decides the slot
        typ = np.where(
            held >= 0, p.group_type[np.maximum(held, 0)], np.maximum(cur_type[sitting], 0)
        )
        sit_slot = cad[sitting] * 2 + typ
        slot_sitting[sit_slot] = True
        slot_orig[sit_slot] = np.maximum(orig_group[sitting], -1)

    split = split_groups(p)
    m = split.group_skilled.astype(np.int64)
    k = p.group_capacity.astype(np.int64)
    # node of each group: skilled node (if m > 0) then general node (if k − m > 0)
    has_sk, has_gen = m > 0, (k - m) > 0
    per = has_sk.astype(np.int64) + has_gen.astype(np.int64)
    ends = np.cumsum(per)
    sk_node = np.where(has_sk, ends - per, -1)
    gen_node = np.where(has_gen, ends - 1, -1)
    n_nodes = int(per.sum())
    node_group = np.zeros(n_nodes, dtype=np.int64)
    node_cap = np.zeros(n_nodes, dtype=np.int64)
    node_skilled = np.zeros(n_nodes, dtype=bool)
    gi = np.arange(p.n_groups, dtype=np.int64)
    node_group[sk_node[has_sk]], node_cap[sk_node[has_sk]] = gi[has_sk], m[has_sk]
    node_skilled[sk_node[has_sk]] = True
    node_group[gen_node[has_gen]], node_cap[gen_node[has_gen]] = gi[has_gen], (k - m)[has_gen]
    node_vac = p.group_vacancy_cost[node_group].astype(np.int64)

    arcs = np.nonzero(usable)[0]
    g = p.arc_group[arcs]
    to_gen = arcs[has_gen[g]]
    to_sk = arcs[has_sk[g] & split.arc_skilled[arcs]]
    del g
    src = np.concatenate([to_gen, to_sk]).astype(np.int64)
    node = np.concatenate([gen_node[p.arc_group[to_gen]], sk_node[p.arc_group[to_sk]]])
    # two runs each sorted by (node, cadre): a stable sort merges them in linear time
    order = np.argsort(node, kind="stable")
    src, node = src[order], node[order]
    slot = slots_all[src]
    cost = p.arc_cost[src] - p.arc_change[src]
    big_m = move_weight(p.arc_cost - p.arc_change, node_vac, node_cap)
    moved = slot_sitting[slot] & (slot_orig[slot] != node_group[node])
    w = cost + np.where(moved, np.int64(big_m), np.int64(0))
    node_start = np.searchsorted(node, np.arange(n_nodes + 1)).astype(np.int64)

    start, overflow = _start(p, slot_orig, node_cap, sk_node, gen_node, split.arc_skilled, usable)
    slot_arcs = np.argsort(slot, kind="stable").astype(np.int64)
    slot_arc_start = np.searchsorted(slot[slot_arcs], np.arange(n_slots + 1)).astype(np.int64)
    return MoveNetwork(
        n_slots=n_slots,
        node_group=node_group,
        node_cap=node_cap,
        node_vac=node_vac,
        node_skilled=node_skilled,
        node_start=node_start,
        arc_node=node,
        arc_slot=slot,
        arc_src=src,
        arc_w=w,
        slot_sitting=slot_sitting,
        slot_orig=slot_orig,
        start=start,
        big_m=big_m,
        overflow=overflow,
        slot_arcs=slot_arcs,
        slot_arc_start=slot_arc_start,
    )


def _start(
    p: ProblemData,
    slot_orig: NDArray[np.int64],
    node_cap: NDArray[np.int64],
    sk_node: NDArray[np.int64],
    gen_node: NDArray[np.int64],
    arc_skilled: NDArray[np.bool_],
    usable: NDArray[np.bool_],
) -> tuple[NDArray[np.int64], int]:
    """Seat every sitting slot whose own post is still open to it: skilled cadres in the
    group's skilled posts first, everyone else in its general posts."""
    start = np.full(len(slot_orig), -1, dtype=np.int64)
    slots_all = slot_of_arcs(p)
    own = np.nonzero(usable & (slot_orig[slots_all] == p.arc_group))[0]
    g = p.arc_group[own].astype(np.int64)
    sk = arc_skilled[own] & (sk_node[g] >= 0)
    order = np.lexsort((~sk, g))
    own, g, sk = own[order], g[order], sk[order]
    first = np.searchsorted(g, g)
    rank = np.arange(len(own)) - first  # position within the group, skilled first
    n_sk = np.bincount(g[sk], minlength=p.n_groups)
    sk_cap = np.where(sk_node >= 0, node_cap[np.maximum(sk_node, 0)], 0)
    to_sk = sk & (rank < sk_cap[g])
    gen_rank = rank - np.minimum(n_sk, sk_cap)[g]
    gen_cap = np.where(gen_node >= 0, node_cap[np.maximum(gen_node, 0)], 0)
    to_gen = ~to_sk & (gen_rank < gen_cap[g])
    start[slots_all[own[to_sk]]] = sk_node[g[to_sk]]
    start[slots_all[own[to_gen]]] = gen_node[g[to_gen]]
    return start, int((~to_sk & ~to_gen).sum())
