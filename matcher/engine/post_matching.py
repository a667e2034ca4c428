"""The network part as a sparse assignment of posts to cadre slots (scipy's LAPJVsp).

Every post is a row and every cadre slot a column; an optional post also has a private
*dummy* column, its vacancy. ``min_weight_full_bipartite_matching`` (LAPJVsp, C) fills every
row at least cost: at province scale (6 M post-level edges) it is an order of magnitude
faster than a general min-cost flow, and faster on all arcs than on a thin working set,
whose longer augmenting paths cost more than the arcs saved. Posts of a group split by
:mod:`matcher.engine.skill_split` accept only skilled arcs in their first ``m`` rows, so the skill
mix is kept by the network itself.

The matrix is built once; :meth:`PostMatcher.solve` only rewrites its values, so a search
over Lagrangian multipliers (:mod:`matcher.engine.quota_search`) pays one matching per step. Costs
are integers: ``scale · (arc cost − drop cost of the slot) + extra``; a locked arc gets a
bonus of ``scale · big_m`` so every satisfiable lock is honoured (:meth:`locks_held` checks).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy import sparse
from scipy.sparse.csgraph import min_weight_full_bipartite_matching

from matcher.engine.flow import Solution, lock_arcs, lock_groups, sitting_slots, slot_of_arcs
from matcher.engine.problem import ProblemData
from matcher.engine.saturated_quotas import Saturated
from matcher.engine.skill_split import SkillSplit

log = logging.getLogger(__name__)


def _spans(first: NDArray[np.int64], length: NDArray[np.int64]) -> NDArray[np.int64]:
    """Concatenated ranges ``first[i] … first[i] + length[i] − 1``."""
    ends = np.cumsum(length)
    total = int(ends[-1]) if len(ends) else 0
    return np.asarray(np.repeat(first - (ends - length), length) + np.arange(total))


@dataclass(frozen=True, slots=True)
class Matched:
    """An optimal plan for the given costs and its scaled cost (drop constant excluded)."""

    solution: Solution
    value: int


class PostMatcher:
    """The post × slot matrix built once over all usable arcs; :meth:`solve` re-prices it."""

    def __init__(
        self, problem: ProblemData, split: SkillSplit, saturated: Saturated | None = None
    ) -> None:
        p = problem
        self.problem, self.split = p, split
        self.usable, self.locked = lock_arcs(p)
        if saturated is not None:  # quotas that fix every post of their type
            self.usable &= ~saturated.closed
        slots = slot_of_arcs(p)
        self.n_slots = len(p.cadre_ids) * (1 if p.one_post_per_cadre else 2)
        sit, drop = sitting_slots(p)
        slot_drop = np.zeros(self.n_slots, dtype=np.int64)
        slot_drop[sit] = drop
        self.base = p.arc_cost - slot_drop[slots]
        self.offset = int(drop.sum())  # paid by every plan; the arc costs subtract it back
        span = int(np.abs(self.base).max(initial=0)) + int(p.group_vacancy_cost.max(initial=0))
        self.big_m = 4 * (span + 1) + 10_000
        m = split.group_skilled.astype(np.int64)
        k = p.group_capacity.astype(np.int64)
        need = np.maximum(m, p.group_required.astype(np.int64))  # posts 0 … need − 1 filled
        if saturated is not None:
            need = np.where(saturated.full, k, need)
        first = np.r_[0, np.cumsum(k)].astype(np.int64)
        self.n_posts = int(first[-1])
        self.post_group = np.repeat(np.arange(p.n_groups, dtype=np.int64), k)
        offset = np.arange(self.n_posts, dtype=np.int64) - first[self.post_group]
        self.post_skilled = offset < m[self.post_group]
        soft = np.nonzero(offset >= need[self.post_group])[0]
        self.soft_posts = soft

        arcs = np.nonzero(self.usable)[0].astype(np.int64)
        g = p.arc_group[arcs].astype(np.int64)
        n_gen = k[g] - m[g]
        n_sk = np.where(split.arc_skilled[arcs], m[g], 0)
        rows = np.r_[_spans(first[g] + m[g], n_gen), _spans(first[g], n_sk), soft]
        cols = np.r_[np.repeat(slots[arcs], n_gen), np.repeat(slots[arcs], n_sk)]
        cols = np.r_[cols, self.n_slots + np.arange(len(soft))]
        # edge id + 1 as the value, so the CSR order of the edges can be read back
        ids = np.arange(1, len(rows) + 1, dtype=np.float64)
        del g
        self.matrix = sparse.csr_matrix(
            (ids, (rows, cols)), shape=(self.n_posts, self.n_slots + len(soft))
        )
        del rows, cols, ids
        order = self.matrix.data.astype(np.int64) - 1
        n_arc_edges = int(n_gen.sum() + n_sk.sum())
        edge_arc = np.r_[np.repeat(arcs, n_gen), np.repeat(arcs, n_sk), -1]
        # per CSR entry: the arc it prices, or −1 − (index of the soft post) for a vacancy
        self.entry = np.where(
            order < n_arc_edges,
            edge_arc[np.minimum(order, n_arc_edges)],
            -1 - (order - n_arc_edges),
        ).astype(np.int32 if p.n_arcs < 2**31 - 1 else np.int64)
        del edge_arc, order
        self.lock_sets = lock_groups(p)

    def costs(self, scale: int, extra: NDArray[np.int64] | None) -> NDArray[np.int64]:
        """Scaled integer arc costs (see module docstring)."""
        cost = scale * self.base - np.where(self.locked, scale * self.big_m, 0)
        return cost if extra is None else cost + extra

    def solve(self, scale: int = 1, extra: NDArray[np.int64] | None = None) -> Matched | None:
        """The least-cost filling of every post under the scaled costs; None if none exists."""
        p = self.problem
        cost = self.costs(scale, extra)
        vac = np.r_[scale * p.group_vacancy_cost[self.post_group[self.soft_posts]], 0]
        at_arc = self.entry >= 0
        data = np.where(
            at_arc, np.r_[cost, 0][np.maximum(self.entry, 0)], vac[np.maximum(-1 - self.entry, 0)]
        ).astype(np.float64)
        data += 1.0 - float(data.min(initial=0.0))
        self.matrix.data = data
        try:
            post, col = min_weight_full_bipartite_matching(self.matrix)
        except ValueError:
            return None
        if len(post) < self.n_posts:  # more posts than columns: LAPJVsp fills the columns
            return None
        filled = col < self.n_slots
        fp, slot = post[filled].astype(np.int64), col[filled].astype(np.int64)
        fg = self.post_group[fp]
        cad = slot if p.one_post_per_cadre else slot // 2
        lo = np.searchsorted(p.arc_group, fg)
        hi = np.searchsorted(p.arc_group, fg, side="right")
        arc = lo + _find(p.arc_cadre, lo, hi, cad)
        chosen = np.zeros(p.n_arcs, dtype=bool)
        chosen[arc] = True
        empty = post[~filled].astype(np.int64)
        vacant = np.bincount(self.post_group[empty], minlength=p.n_groups).astype(np.int32)
        value = int(cost[arc].sum()) + int((scale * p.group_vacancy_cost * vacant).sum())
        return Matched(Solution(chosen, vacant), value)

    def locks_held(self, sol: Solution) -> bool:
        """True when every valid lock holds in the plan."""
        return all(bool(sol.chosen[arcs].any()) for arcs in self.lock_sets)


def _find(
    values: NDArray[np.int32], lo: NDArray[np.int64], hi: NDArray[np.int64], x: NDArray[np.int64]
) -> NDArray[np.int64]:
    """Offset of ``x[i]`` in the sorted slice ``values[lo[i]:hi[i]]`` (known to be there)."""
    # binary search on all slices at once
    left, right = lo.copy(), hi.copy()
    while True:
        open_ = left < right
        if not open_.any():
            return np.asarray(left - lo)
        mid = (left + right) // 2
        less = open_ & (values[np.minimum(mid, len(values) - 1)] < x)
        left = np.where(less, mid + 1, left)
        right = np.where(open_ & ~less, mid, right)
