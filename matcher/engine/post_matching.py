"""The network part as a sparse assignment of posts to cadre slots (scipy's LAPJVsp).

Every post is a row and every cadre slot a column; an optional post also has a private
*dummy* column, its vacancy. ``min_weight_full_bipartite_matching`` (LAPJVsp, C) fills every
row at least cost: at province scale (6 M post-level edges) it is an order of magnitude
faster than a general min-cost flow, and faster on all arcs than on a thin working set,
whose longer augmenting paths cost more than the arcs saved. Posts of a group split by
:mod:`matcher.engine.skill_split` accept only skilled arcs in their first ``m`` rows, so the skill
mix is kept by the network itself.

The matrix is block diagonal up to a permutation (one block per connected part: a city's
posts and cadres) and is matched block by block (:mod:`matcher.engine.matching_blocks`):
exact, and at province scale about five times faster than one matching of the whole.

The matrix is built once; :meth:`PostMatcher.solve` only rewrites its values, so a search
over Lagrangian multipliers (:mod:`matcher.engine.quota_search`) pays one matching per step. Costs
are integers: ``scale · (arc cost − drop cost of the slot) + extra``; a locked arc gets a
bonus of ``scale · big_m`` so every satisfiable lock is honoured (:meth:`locks_held` checks).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import cached_property

import numpy as np
from numpy.typing import NDArray
from scipy import sparse
from scipy.sparse.csgraph import min_weight_full_bipartite_matching

from matcher.engine.flow import Solution, lock_arcs, lock_groups, sitting_slots
from matcher.engine.matching_blocks import find_blocks
from matcher.engine.problem import ProblemData
from matcher.engine.saturated_quotas import Saturated
from matcher.engine.skill_split import SkillSplit

log = logging.getLogger(__name__)


def _spans(first: NDArray[np.int64], length: NDArray[np.int64]) -> NDArray[np.int64]:
    """Concatenated ranges ``first[i] … first[i] + length[i] − 1``."""
    ends = np.cumsum(length)
    total = int(ends[-1]) if len(ends) else 0
    dtype = np.int32 if total + int(first.max(initial=0)) < 2**31 - 1 else np.int64
    out = np.repeat((first - (ends - length)).astype(dtype), length)
    out += np.arange(total, dtype=dtype)
    return out


def _slots32(problem: ProblemData) -> NDArray[np.int32]:
    """:func:`~matcher.engine.flow.slot_of_arcs` as int32 (the cadre array itself when a
    cadre is one slot): half the memory of int64, no copy."""
    if problem.one_post_per_cadre:
        return problem.arc_cadre
    return np.asarray(problem.arc_cadre * np.int32(2) + problem.group_type[problem.arc_group])


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
        self.any_locked = bool(self.locked.any())
        slots = _slots32(p)
        self.n_slots = len(p.cadre_ids) * (1 if p.one_post_per_cadre else 2)
        sit, drop = sitting_slots(p)
        slot_drop = np.zeros(self.n_slots, dtype=np.int64)
        slot_drop[sit] = drop
        # read only (costs() derives new arrays): the problem's own array when nothing drops
        self.base = p.arc_cost - slot_drop[slots] if len(sit) else p.arc_cost
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
        self.soft_posts = np.nonzero(offset >= need[self.post_group])[0]
        n_soft = len(self.soft_posts)
        # A pool of arc ids: per group its usable arcs then a vacancy marker (−1), then per
        # group its usable skilled arcs. Every post's row is one slice of the pool (a soft
        # post's slice ends on the marker), so the CSR arrays are written directly: no
        # post-level COO triplets, no sort.
        idx = np.int32 if p.n_arcs + n_soft < 2**31 - 1 else np.int64
        every = bool(self.usable.all())
        arcs = np.arange(p.n_arcs, dtype=idx) if every else np.nonzero(self.usable)[0].astype(idx)
        g_of = p.arc_group if every else p.arc_group[arcs]
        n_arc = np.bincount(g_of, minlength=p.n_groups).astype(np.int64)
        gen_ptr = np.r_[0, np.cumsum(n_arc + 1)].astype(np.int64)
        sk = arcs[split.arc_skilled[arcs] & (m[g_of] > 0)]
        n_sk = np.bincount(p.arc_group[sk], minlength=p.n_groups).astype(np.int64)
        sk_ptr = int(gen_ptr[-1]) + np.r_[0, np.cumsum(n_sk)].astype(np.int64)
        self.blocks = find_blocks(g_of, slots if every else slots[arcs], p.n_groups,
                                  self.n_slots, self.post_group, self.soft_posts)  # fmt: skip
        pool = np.full(int(sk_ptr[-1]), -1, dtype=idx)
        # the k-th usable arc sits at k + (its group: one marker per group before it); the
        # skilled arcs follow all markers, in arc order
        at = np.add(g_of, np.arange(len(arcs), dtype=idx), dtype=idx)
        pool[at] = arcs
        pool[int(gen_ptr[-1]) :] = sk
        del g_of, at, arcs, sk
        # rows in block order (:mod:`matcher.engine.matching_blocks`), each a slice of the pool
        order = self.blocks.row_order
        pg = self.post_group[order]
        soft_rank = np.full(self.n_posts, -1, dtype=np.int64)
        soft_rank[self.soft_posts] = np.arange(n_soft)
        vac_id = soft_rank[order]
        skilled = self.post_skilled[order]
        start = np.where(skilled, sk_ptr[pg], gen_ptr[pg])
        length = np.where(skilled, n_sk[pg], n_arc[pg] + (vac_id >= 0))
        ends = np.cumsum(length)
        ptr_type = np.int32 if int(ends[-1] if len(ends) else 0) < 2**31 - 1 else np.int64
        self.indptr = np.r_[0, ends].astype(ptr_type)
        # per CSR entry: the arc it prices, or n_arcs + (index of the soft post) for a vacancy
        entry: NDArray[np.int64] = np.asarray(pool[_spans(start, length)])  # int32 if it fits
        del pool, start, length, ends
        at_vac = self.indptr[1:][vac_id >= 0] - 1
        entry[at_vac] = p.n_arcs + vac_id[vac_id >= 0]
        local = self.blocks.local_col
        col_of = np.r_[local[slots], local[self.n_slots :]]  # by entry value: column in batch
        del slots
        self.block_entry = entry  # CSR entries in block order (see _match)
        self.cols = col_of[entry]
        self.lock_sets = lock_groups(p)

    def costs(self, scale: int, extra: NDArray[np.int64] | None) -> NDArray[np.int64]:
        """Scaled integer arc costs (see module docstring)."""
        cost = scale * self.base
        if self.any_locked:
            cost[self.locked] -= scale * self.big_m
        if extra is not None:
            cost += extra
        return cost

    def solve(self, scale: int = 1, extra: NDArray[np.int64] | None = None) -> Matched | None:
        """The least-cost filling of every post under the scaled costs; None if none exists."""
        p = self.problem
        vac = scale * p.group_vacancy_cost[self.post_group[self.soft_posts]].astype(np.int64)
        # the costs of :meth:`costs` written straight into LAPJVsp's float weights (exact
        # integers below 2⁵³, as a cast of the int64 array would give): one array, not two
        priced = np.empty(p.n_arcs + len(vac), dtype=np.float64)
        arcs = priced[: p.n_arcs]
        np.multiply(self.base, scale, out=arcs)
        if self.any_locked:
            arcs[self.locked] -= scale * self.big_m
        if extra is not None:
            arcs += extra
        priced[p.n_arcs :] = vac
        priced += 1.0 - float(priced.min(initial=0.0))  # LAPJVsp wants positive weights
        found = self._match(priced)
        del priced
        if found is None:
            return None
        post, col = found
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
        cost = scale * self.base[arc]  # the plan's arcs priced as in costs(), in integers
        if self.any_locked:
            cost -= np.where(self.locked[arc], scale * self.big_m, 0)
        if extra is not None:
            cost += extra[arc]
        value = int(cost.sum()) + int((scale * p.group_vacancy_cost * vacant).sum())
        return Matched(Solution(chosen, vacant), value)

    def _match(
        self, priced: NDArray[np.float64]
    ) -> tuple[NDArray[np.int64], NDArray[np.int64]] | None:
        """Matched (post, column) pairs, block by block; None if a post cannot be filled."""
        b, ptr = self.blocks, self.indptr
        posts, cols = [], []
        for k in range(b.n_batches):
            r0, r1 = int(b.row_bounds[k]), int(b.row_bounds[k + 1])
            c0, c1 = int(b.col_bounds[k]), int(b.col_bounds[k + 1])
            lo, hi = ptr[r0], ptr[r1]
            part = sparse.csr_matrix(
                (priced[self.block_entry[lo:hi]], self.cols[lo:hi], ptr[r0 : r1 + 1] - lo),
                shape=(r1 - r0, c1 - c0),
            )
            try:
                row, col = min_weight_full_bipartite_matching(part)
            except ValueError:
                return None
            if len(row) < r1 - r0:  # more posts than columns: LAPJVsp fills the columns
                return None
            posts.append(b.row_order[r0 + row])
            cols.append(b.col_order[c0 + col])
        if not posts:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        return np.concatenate(posts), np.concatenate(cols)

    @cached_property
    def _post_view(self) -> tuple[sparse.csr_matrix, NDArray[np.int64]]:
        """The matrix in post order with global columns, and its entries' arcs (built on
        demand: only the re-pricing of a binding row reads it)."""
        b, ptr = self.blocks, self.indptr.astype(np.int64)
        pos = np.empty(self.n_posts, dtype=np.int64)
        pos[b.row_order] = np.arange(self.n_posts)
        length = np.diff(ptr)[pos]
        take = _spans(ptr[pos], length)
        batch = np.searchsorted(b.row_bounds, pos, side="right") - 1
        first = np.repeat(b.col_bounds[batch], length)
        cols = b.col_order[first + self.cols[take]].astype(np.int32)
        shape = (self.n_posts, self.n_slots + len(self.soft_posts))
        indptr = np.r_[0, np.cumsum(length)].astype(np.int64)
        matrix = sparse.csr_matrix((np.zeros(len(take)), cols, indptr), shape=shape)
        return matrix, np.asarray(self.block_entry[take])

    @property
    def matrix(self) -> sparse.csr_matrix:
        """The post × column matrix in post order, global columns (values unset)."""
        return self._post_view[0]

    @property
    def entry(self) -> NDArray[np.int64]:
        """Per entry of :attr:`matrix`: its arc, or ``n_arcs + i`` for soft post i's vacancy."""
        return self._post_view[1]

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


def optimal_pairing(pm: PostMatcher) -> tuple[NDArray[np.int64], NDArray[np.int64]] | None:
    """An optimal matching at the plain costs (scale 1, no extra), for its dual potentials
    (:mod:`matcher.engine.network_duals`): each entry's integer cost in the CSR order of
    ``pm.matrix`` (locks' bonus included) and each post's column. None if no matching fills
    every post."""
    p = pm.problem
    vac = p.group_vacancy_cost[pm.post_group[pm.soft_posts]].astype(np.int64)
    entry_cost = np.r_[pm.costs(1, None), vac][pm.entry]
    pm.matrix.data[:] = entry_cost - float(entry_cost.min(initial=0)) + 1.0
    try:
        post, col = min_weight_full_bipartite_matching(pm.matrix)
    except ValueError:
        return None
    if len(post) < pm.n_posts:
        return None
    col_of = np.empty(pm.n_posts, dtype=np.int64)
    col_of[post] = col
    return entry_cost, col_of
