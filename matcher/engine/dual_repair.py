"""Repair an optimal post matching after some entries changed cost: primal-dual from its duals.

The matching is the flow ``post → column → sink`` of :mod:`matcher.engine.post_matching`
(every post filled, every column used at most once). With node potentials ``u`` per post and
``v`` per column (sink at 0) the reduced cost of entry ``(p, c)`` is ``c − u[p] − v[c]``; the
plan is optimal when every unmatched entry has reduced cost ≥ 0, every matched one 0, every
used column ``v ≤ 0`` and every unused one ``v ≥ 0`` (no residual arc of negative cost).

After a change of costs, each post's ``u`` drops to its least entry (all its reduced costs
≥ 0 again); a post whose own entry is no longer the least is released, leaving its column
one unit short. Then phases of the primal-dual method: Dijkstra (scipy, C) from all released
posts over the residual graph with reduced costs, potentials raised by the distances (capped
at the nearest short column), and a maximum flow (scipy, C) over the arcs of reduced cost 0
places as many released posts as it can at once. Costs are integers, so each phase moves the
nearest short column by at least 1 and the number of phases is at most the largest change.

:func:`repair` returns the new matching with its potentials only after re-checking every
optimality condition above over the entries it was given; anything else returns None.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy import sparse
from scipy.sparse.csgraph import dijkstra, maximum_flow

_PHASES = 200
"""Primal-dual phases before giving up (the caller then matches from scratch)."""


@dataclass(frozen=True, slots=True)
class Entries:
    """A set of matrix entries, sorted by post then column: ``indptr`` per post, column and
    integer cost per entry."""

    indptr: NDArray[np.int64]
    rows: NDArray[np.int64]
    cols: NDArray[np.int64]
    cost: NDArray[np.int64]
    n_cols: int

    @property
    def n_posts(self) -> int:
        """Number of posts (rows)."""
        return len(self.indptr) - 1


@dataclass(frozen=True, slots=True)
class Matching:
    """Per post the entry it takes, and the potentials that prove it optimal."""

    taken: NDArray[np.int64]
    u: NDArray[np.int64]
    v: NDArray[np.int64]


def repair(
    ent: Entries, taken: NDArray[np.int64], u: NDArray[np.int64], v: NDArray[np.int64]
) -> Matching | None:
    """An optimal matching over ``ent`` from a matching ``taken`` (entry per post) whose
    potentials ``u``, ``v`` kept the column conditions (see module docstring); None when the
    entries fill no plan or the phases run out."""
    n_p, n_c = ent.n_posts, ent.n_cols
    if n_p == 0:
        return Matching(taken, u, v)
    rows, cols = ent.rows, ent.cols
    if np.any(np.diff(ent.indptr) == 0):
        return None
    u = u.copy()
    v = v.copy()
    rc = ent.cost - u[rows] - v[cols]
    low = np.minimum.reduceat(rc, ent.indptr[:-1])
    u += low
    rc -= low[rows]
    used = np.zeros(n_c, dtype=bool)
    used[cols[taken]] = True
    own = np.asarray(taken, dtype=np.int64).copy()
    released = rc[own] > 0
    short = np.zeros(n_c, dtype=bool)
    short[cols[own[released]]] = True
    own[released] = -1
    t = n_p + n_c
    graph = _Residual(ent)
    for _ in range(_PHASES):
        free = np.nonzero(own < 0)[0]
        if not len(free):
            break
        matched = np.zeros(len(cols), dtype=bool)
        matched[own[own >= 0]] = True
        # no path is longer than the cheapest direct entry from a free post to a short column
        direct = rc[~matched & (own < 0)[rows] & short[cols]]
        limit = float(direct.min()) if len(direct) else np.inf
        priced = graph.priced(rc, v, matched, used)
        dist = dijkstra(priced, indices=free, min_only=True, limit=limit)
        reach = dist[n_p + np.nonzero(short)[0]]
        big = float(reach.min(initial=np.inf))
        if not np.isfinite(big):
            return None
        step = np.minimum(dist[: t + 1], big).astype(np.int64)
        u -= step[:n_p]
        v += step[n_p:t]
        u += step[t]
        v -= step[t]
        rc = ent.cost - u[rows] - v[cols]
        # a matched entry may now lie below its row (flow optimality only asks ≤ 0): lift
        # each post to its least entry so matched entries cost exactly 0 again
        low = np.minimum.reduceat(rc, ent.indptr[:-1])
        u += low
        rc -= low[rows]
        # augment along every admissible path (reduced cost 0) at once: a maximum flow
        cap = graph.admissible(rc, v, matched, used, own < 0, short)
        flow = maximum_flow(cap, t + 1, t + 2).flow.tocoo()
        pos = flow.data > 0
        fr, to = flow.row[pos].astype(np.int64), flow.col[pos].astype(np.int64)
        if not len(fr):
            return None
        # post → column: the post takes that entry (it gave up its own, if any, on the way)
        pc = (fr < n_p) & (to >= n_p) & (to < t)
        p_new, c_new = fr[pc], to[pc] - n_p
        own[p_new] = _entry(ent, p_new, c_new)
        ct = (fr >= n_p) & (fr < t) & (to == t)
        used[fr[ct] - n_p] = True
        tc = (fr == t) & (to >= n_p) & (to < t)
        used[to[tc] - n_p] = False
        done = (to == t + 2) & (fr >= n_p) & (fr < t)
        short[fr[done] - n_p] = False
    else:
        return None
    if np.any(own < 0) or not _proof(ent, own, u, v, used):
        return None
    return Matching(own, u, v)


def _entry(ent: Entries, post: NDArray[np.int64], col: NDArray[np.int64]) -> NDArray[np.int64]:
    """Index of entry ``(post[i], col[i])`` (columns sorted within each post)."""
    lo, hi = ent.indptr[post].copy(), ent.indptr[post + 1].copy()
    cols = ent.cols
    while True:
        open_ = lo < hi
        if not open_.any():
            return np.asarray(lo)
        mid = (lo + hi) // 2
        less = open_ & (cols[np.minimum(mid, len(cols) - 1)] < col)
        lo = np.where(less, mid + 1, lo)
        hi = np.where(open_ & ~less, mid, hi)


def _proof(
    ent: Entries,
    own: NDArray[np.int64],
    u: NDArray[np.int64],
    v: NDArray[np.int64],
    used: NDArray[np.bool_],
) -> bool:
    """Every optimality condition of the module docstring, re-checked over ``ent``."""
    if np.any(ent.rows[own] != np.arange(ent.n_posts)):
        return False
    taken_cols = ent.cols[own]
    if np.any(np.bincount(taken_cols, minlength=ent.n_cols) > 1):
        return False
    busy = np.zeros(ent.n_cols, dtype=bool)
    busy[taken_cols] = True
    if np.any(busy != used):
        return False
    rc = ent.cost - u[ent.rows] - v[ent.cols]
    if np.any(rc < 0) or np.any(rc[own] != 0):
        return False
    return not (np.any(v[busy] > 0) or np.any(v[~busy] < 0))


class _Residual:
    """The residual graph of a matching over fixed entries, laid out once as CSR (posts,
    columns, sink, super source, super sink); each phase only rewrites the values.

    Every entry has a forward arc (post → column) and a backward one, every column an arc to
    the sink and one back, the super source an arc to every post and every column one to the
    super sink; an arc absent from the residual graph weighs ∞ (Dijkstra) or has capacity 0
    (maximum flow, where zeros are dropped)."""

    def __init__(self, ent: Entries) -> None:
        n_p, n_c, n_e = ent.n_posts, ent.n_cols, len(ent.rows)
        t = n_p + n_c
        by_col = np.argsort(ent.cols, kind="stable")  # entries by column, posts ascending
        n_back = np.bincount(ent.cols, minlength=n_c).astype(np.int64)
        sizes = np.concatenate([np.diff(ent.indptr), n_back + 2, [n_c, n_p, 0]])
        indptr = np.r_[0, np.cumsum(sizes)].astype(np.int64)
        col_at = indptr[n_p : n_p + n_c]
        back = np.empty(n_e, dtype=np.int64)
        first_of = np.r_[0, np.cumsum(n_back)][ent.cols[by_col]]
        back[by_col] = col_at[ent.cols[by_col]] + np.arange(n_e) - first_of
        cs = np.arange(n_c, dtype=np.int64)
        # where each part's arcs sit in the layout (parts in the order of :meth:`_csr`)
        self.pos = np.concatenate(
            [np.arange(n_e), back, col_at + n_back, indptr[t] + cs,
             indptr[t + 1] + np.arange(n_p), col_at + n_back + 1]
        )  # fmt: skip
        heads = np.concatenate(
            [n_p + ent.cols, ent.rows, np.full(n_c, t), n_p + cs, np.arange(n_p),
             np.full(n_c, t + 2)]
        )  # fmt: skip
        self.indices = np.empty(len(heads), dtype=np.int32)
        self.indices[self.pos] = heads
        self.indptr = indptr.astype(np.int32)
        self.n = t + 3
        self.n_e, self.n_c, self.n_p = n_e, n_c, n_p

    def _csr(
        self, parts: list[NDArray[np.float64]] | list[NDArray[np.int32]], own: bool = False
    ) -> sparse.csr_matrix:
        """The layout with these values (``own``: private index arrays, to be pruned)."""
        flat = np.concatenate(parts)
        data = np.empty(len(flat), dtype=flat.dtype)
        data[self.pos] = flat
        indices, indptr = (
            (self.indices.copy(), self.indptr.copy()) if own else (self.indices, self.indptr)
        )
        return sparse.csr_matrix((data, indices, indptr), shape=(self.n, self.n))

    def priced(
        self,
        rc: NDArray[np.int64],
        v: NDArray[np.int64],
        matched: NDArray[np.bool_],
        used: NDArray[np.bool_],
    ) -> sparse.csr_matrix:
        """Reduced costs of the residual arcs, ∞ for the others."""
        inf = np.inf
        return self._csr(
            [
                np.where(matched, inf, rc.astype(np.float64)),
                np.where(matched, 0.0, inf),
                np.where(used, inf, v.astype(np.float64)),
                np.where(used, -v.astype(np.float64), inf),
                np.full(self.n_p + self.n_c, inf),
            ]
        )

    def admissible(
        self,
        rc: NDArray[np.int64],
        v: NDArray[np.int64],
        matched: NDArray[np.bool_],
        used: NDArray[np.bool_],
        free: NDArray[np.bool_],
        short: NDArray[np.bool_],
    ) -> sparse.csr_matrix:
        """Unit capacities on the residual arcs of reduced cost 0, from the super source to
        the free posts and from the short columns to the super sink."""
        zero = v == 0
        g = self._csr(
            [
                (~matched & (rc == 0)).astype(np.int32),
                matched.astype(np.int32),
                (~used & zero).astype(np.int32),
                (used & zero).astype(np.int32),
                free.astype(np.int32),
                short.astype(np.int32),
            ],
            own=True,
        )
        g.eliminate_zeros()
        return g
