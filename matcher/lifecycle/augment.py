"""Fewest vacancies, then fewest moves, then least cost: successive shortest augmenting paths.

The starting placement (everyone who may stay, stays) is the cheapest placement of its size:
any other placement filling as many posts moves someone. Successive shortest paths keep that
property while each augmenting path fills one more post (a chain: a free cadre takes a post,
whose holder takes the next post, …, ending at an empty post), so when no path is left the
plan fills the most posts and, among those, has the least lexicographic weight
(:mod:`matcher.lifecycle.network`). One recall is one short path, not a re-solve.

Dijkstra runs backwards from the sink with node potentials (Johnson), so every reduced arc
cost is ≥ 0. The potentials come from the approved plan itself (a filled post is worth its
vacancy cost, a seated cadre its best arc) and are computed once per plan
(:func:`plan_potentials`); events only take cadres off posts and close arcs
(:func:`start_state`), which keeps them valid after a local repair. Each path updates them.
At the end :func:`certificate_holds` re-checks the optimality conditions on every residual arc
whose reduced cost can have changed: no augmenting path (most posts filled) and all reduced
costs ≥ 0 (no cheaper plan of that size). Only then is the plan called optimal.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from matcher.lifecycle.network import MoveNetwork

INF = np.int64(2**62)


@dataclass(slots=True)
class State:
    """A placement with its potentials: slot → node and node arc (−1 free), posts filled per
    node, open node arcs, potentials (slots, nodes, source, sink), vertices whose reduced
    costs may have changed since the last full check."""

    assign: NDArray[np.int64]
    assign_arc: NDArray[np.int64]
    fill: NDArray[np.int64]
    open_arc: NDArray[np.bool_]
    p: NDArray[np.int64]
    touched: NDArray[np.bool_]
    has_open: NDArray[np.bool_]
    paths: int = 0


def _seat_arcs(net: MoveNetwork, assign: NDArray[np.int64]) -> NDArray[np.int64]:
    seated = np.nonzero(assign >= 0)[0]
    keys = net.arc_node * net.n_slots + net.arc_slot
    out = np.full(net.n_slots, -1, dtype=np.int64)
    out[seated] = np.searchsorted(keys, assign[seated] * net.n_slots + seated)
    return out


def _slot_potential(net: MoveNetwork, arcs: NDArray[np.int64]) -> int:
    gain = net.node_vac[net.arc_node[arcs]] - net.arc_w[arcs]
    return int(gain.max()) if len(gain) else 0


def plan_potentials(net: MoveNetwork) -> State | None:
    """The approved plan's placement with potentials that make every reduced cost ≥ 0, or
    None when the plan is not a cheapest placement of its size (then no warm start)."""
    s_n, n_n = net.n_slots, net.n_nodes
    assign = net.start.copy()
    assign_arc = _seat_arcs(net, assign)
    fill = np.bincount(assign[assign >= 0], minlength=n_n).astype(np.int64)
    p = np.zeros(s_n + n_n + 2, dtype=np.int64)
    p[s_n : s_n + n_n] = net.node_vac
    gain = net.node_vac[net.arc_node] - net.arc_w
    best = np.full(s_n, -INF, dtype=np.int64)
    np.maximum.at(best, net.arc_slot, gain)
    seated = assign >= 0
    if np.any(best[seated] != gain[assign_arc[seated]]):
        return None
    p[:s_n] = np.where(best > -INF, best, 0)
    state = State(
        assign,
        assign_arc,
        fill,
        np.ones(len(net.arc_w), dtype=bool),
        p,
        np.zeros(s_n + n_n + 2, dtype=bool),
        best > -INF,
    )
    return state if _set_source(net, state) else None


def _set_source(net: MoveNetwork, st: State) -> bool:
    """Source potential between the free and the seated slots' bounds (False: none exists)."""
    s_n, n_n = net.n_slots, net.n_nodes
    with_arcs = np.nonzero(st.has_open)[0]
    off = st.p[with_arcs] + net.source_cost()[with_arcs]  # p(c) − c(s, c)
    free = st.assign[with_arcs] < 0
    lo = int(off[free].max()) if free.any() else 0
    if (~free).any() and lo > int(off[~free].min()):
        return False
    st.p[s_n + n_n] = lo
    return True


def start_state(
    net: MoveNetwork, base: State, leave: NDArray[np.int64], closed: NDArray[np.int64]
) -> State | None:
    """The placement after events, from the plan's: slots in ``leave`` leave the pool, node
    arcs in ``closed`` close (a cadre unsuitable for its post loses it). Potentials of the
    slots concerned are recomputed over their open arcs; None if no valid ones exist."""
    s_n, n_n = net.n_slots, net.n_nodes
    st = State(
        base.assign.copy(),
        base.assign_arc.copy(),
        base.fill.copy(),
        base.open_arc.copy(),
        base.p.copy(),
        np.zeros(s_n + n_n + 2, dtype=bool),
        base.has_open.copy(),
    )
    affected = np.unique(np.concatenate([leave, net.arc_slot[closed]])).astype(np.int64)
    for s in leave.tolist():
        st.open_arc[net.arcs_of_slot(s)] = False
    st.open_arc[closed] = False
    for s in affected.tolist():
        a = int(st.assign_arc[s])
        if a >= 0 and not st.open_arc[a]:
            st.fill[st.assign[s]] -= 1
            st.assign[s], st.assign_arc[s] = -1, -1
            st.touched[s_n + int(net.arc_node[a])] = True
        arcs = net.arcs_of_slot(s)
        arcs = arcs[st.open_arc[arcs]]
        st.p[s] = _slot_potential(net, arcs)
        st.has_open[s] = len(arcs) > 0
        st.touched[s] = True
    return st if _set_source(net, st) else None


def augment(net: MoveNetwork, st: State) -> bool:
    """Successive shortest paths until none is left; True when the certificate holds.

    A seated slot has one way on (back to its own post node), a free slot one way to the
    source, so both are relaxed in the same vectorised step as the node that reaches them:
    the heap holds post nodes, the sink and the source only. A node whose label is no shorter
    than the source's is not queued (reduced costs are ≥ 0, so it cannot lead to a shorter
    path; its potential moves with the bound like every unreached vertex)."""
    s_n, n_n = net.n_slots, net.n_nodes
    s_id, t_id = s_n + n_n, s_n + n_n + 1
    src_cost = -net.source_cost()  # c(s, c): a seated sitting slot saves M
    p, assign, assign_arc, fill = st.p, st.assign, st.assign_arc, st.fill
    while True:
        lab = np.full(s_n + n_n + 2, INF, dtype=np.int64)
        nxt = np.full(s_n + n_n + 2, -1, dtype=np.int64)
        via = np.full(s_n, -1, dtype=np.int64)
        lab[t_id] = 0
        heap: list[tuple[int, int]] = [(0, t_id)]
        while heap:
            d, v = heapq.heappop(heap)
            if d > lab[v]:
                continue
            if v == s_id:
                break
            if v == t_id:
                spare = np.nonzero(fill < net.node_cap)[0]
                to = s_n + spare
                cand = d - net.node_vac[spare] + p[to] - p[t_id]
                better = cand < lab[to]
                to, cand = to[better], cand[better]
                lab[to], nxt[to] = cand, v
                heap.extend(zip(cand.tolist(), to.tolist(), strict=True))
                heapq.heapify(heap)
                continue
            lo, hi = int(net.node_start[v - s_n]), int(net.node_start[v - s_n + 1])
            slots = net.arc_slot[lo:hi]
            cand = d + net.arc_w[lo:hi] + p[slots] - p[v]
            ok = st.open_arc[lo:hi] & (assign_arc[slots] != np.arange(lo, hi))
            ok &= cand < lab[slots]
            if not ok.any():
                continue
            idx = np.nonzero(ok)[0]
            slots, cand = slots[idx], cand[idx]
            lab[slots], nxt[slots], via[slots] = cand, v, lo + idx
            held = assign[slots]
            free = held < 0
            if free.any():
                fs = slots[free]
                cs = cand[free] + src_cost[fs] + p[s_id] - p[fs]
                k = int(np.argmin(cs))
                if cs[k] < lab[s_id]:
                    lab[s_id], nxt[s_id] = cs[k], fs[k]
                    heapq.heappush(heap, (int(cs[k]), s_id))
            ss = slots[~free]
            if len(ss):
                to = s_n + held[~free]
                cn = cand[~free] - net.arc_w[assign_arc[ss]] + p[to] - p[ss]
                order = np.lexsort((cn, to))
                to, cn, ss = to[order], cn[order], ss[order]
                first = np.r_[True, to[1:] != to[:-1]]
                to, cn, ss = to[first], cn[first], ss[first]
                better = (cn < lab[to]) & (cn < lab[s_id])  # no shorter path past the source
                to, cn, ss = to[better], cn[better], ss[better]
                lab[to], nxt[to] = cn, ss
                for u, du in zip(to.tolist(), cn.tolist(), strict=True):
                    heapq.heappush(heap, (du, u))
        if lab[s_id] >= INF:
            break
        bound = lab[s_id]
        st.touched |= lab <= bound
        p -= np.minimum(lab, bound)
        c = int(nxt[s_id])
        while True:
            e = int(via[c])
            n = int(net.arc_node[e])
            after = int(nxt[s_n + n])
            assign[c], assign_arc[c] = n, e
            if after == t_id:
                fill[n] += 1
                break
            c = after
        st.paths += 1
    return certificate_holds(net, st)


def certificate_holds(net: MoveNetwork, st: State, full: bool = False) -> bool:
    """Optimality conditions: every residual reduced cost ≥ 0, so no cheaper plan fills as
    many posts. Arcs between vertices no path search ever reached kept their reduced cost
    (both ends moved by the same amount), so only arcs at touched vertices are re-checked
    unless ``full``. With no augmenting path left this proves all three levels."""
    s_n, n_n = net.n_slots, net.n_nodes
    s_id, t_id = s_n + n_n, s_n + n_n + 1
    p = st.p
    nodes = np.nonzero(st.touched[s_n : s_n + n_n])[0]
    np.nonzero(st.touched[:s_n])[0]
    if full or len(nodes) > n_n // 8:
        arcs = np.nonzero(st.open_arc)[0]
    else:
        mark = st.touched[:s_n][net.arc_slot]
        for n in nodes.tolist():
            mark[net.node_start[n] : net.node_start[n + 1]] = True
        arcs = np.nonzero(mark & st.open_arc)[0]
    red = net.arc_w[arcs] + p[net.arc_slot[arcs]] - p[s_n + net.arc_node[arcs]]
    used = st.assign_arc[net.arc_slot[arcs]] == arcs
    if np.any(red[~used] < 0) or np.any(red[used] > 0):
        return False
    src = -net.source_cost() + p[s_id] - p[:s_n]
    if np.any(src[st.has_open & (st.assign < 0)] < 0) or np.any(src[st.assign >= 0] > 0):
        return False
    sink = -net.node_vac + p[s_n : s_n + n_n] - p[t_id]
    return not (np.any(sink[st.fill < net.node_cap] < 0) or np.any(sink[st.fill > 0] > 0))
