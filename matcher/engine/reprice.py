"""Re-pricing one side row's arcs: the post matching repaired from its duals, not re-solved.

A Lagrangian search (:mod:`matcher.engine.quota_search`) solves the post × slot matching of
:mod:`matcher.engine.post_matching` many times, each time with the costs of the row's arcs
shifted by ``q / k``. Everything else stays put, so the optimum moves little. With duals
``(u, v)`` of the first optimum (``u`` per post, ``v ≤ 0`` per column, ``0`` on free
columns), each entry's reduced cost ``r = c − u − v ≥ 0`` says how far it is from a plan.

A trial at ``(k, q)`` works on the entries with ``k·r + q·member ≤ k·T`` only (a few percent
of the matrix): from the proven optimum of the nearest multiplier tried so far, the
primal-dual repair of :mod:`matcher.engine.dual_repair` restores optimality over that set
and returns potentials ``(u', v')`` that prove it there. An entry outside the set has reduced
cost ``≥ k·T + 1 − Δu − Δv`` where ``Δu``, ``Δv`` are the largest rises of ``u'`` over
``k·u`` and of ``v'`` over ``k·v``: when ``Δu + Δv ≤ k·T + 1`` the optimum is proven over the
whole matrix. Otherwise every entry is priced exactly; violators join the set and the trial
repeats. Whatever cannot conclude re-solves the full matrix (:meth:`PostMatcher.solve`).

The first duals are the label-correcting shortest paths of the first plan (Bellman–Ford from
the changed columns only, a few passes over the matrix).
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from matcher.engine.dual_repair import Entries, repair
from matcher.engine.flow import Solution, slot_of_arcs
from matcher.engine.post_matching import Matched, PostMatcher

log = logging.getLogger(__name__)

_ROUNDS = 4
"""Working-set rounds per trial before the full matrix is matched instead."""
_WIDTH = 0.04
"""Share of the matrix in the first working set (each post's cheapest entries)."""


def _spans(first: NDArray[np.int64], length: NDArray[np.int64]) -> NDArray[np.int64]:
    """Concatenated ranges ``first[i] … first[i] + length[i] − 1``."""
    ends = np.cumsum(length)
    total = int(ends[-1]) if len(ends) else 0
    return np.asarray(np.repeat(first - (ends - length), length) + np.arange(total))


@dataclass(frozen=True, slots=True)
class _State:
    """A proven optimum at ``(k, q)``: per post its entry, and its potentials."""

    k: int
    q: int
    taken: NDArray[np.int64]
    u: NDArray[np.int64]
    v: NDArray[np.int64]


class Repricer:
    """Matchings of ``pm`` under ``scale · cost + q · member`` certified by reduced costs.

    ``member`` (per arc, in {−1, 0, 1}) is the row the search prices. :meth:`solve` returns
    the same optimum value as :meth:`PostMatcher.solve` with ``extra = q · member`` (the plan
    may differ among ties) or None when no filling exists."""

    def __init__(self, pm: PostMatcher, member: NDArray[np.int64], start: Solution) -> None:
        p = pm.problem
        self.pm = pm
        m = pm.matrix
        self.n_cols = int(m.shape[1])
        self.indptr = m.indptr.astype(np.int64)
        self.cols = m.indices
        self.rows = np.repeat(
            np.arange(pm.n_posts, dtype=np.int32), np.diff(self.indptr).astype(np.int64)
        )
        vac = p.group_vacancy_cost[pm.post_group[pm.soft_posts]].astype(np.int64)
        self.cost = np.r_[pm.costs(1, None), vac][pm.entry]
        self.member = member
        self.mem = np.r_[member, np.zeros(len(vac), dtype=np.int64)][pm.entry].astype(np.int8)
        signs = np.unique(member[member != 0])
        self.sign = int(signs[0]) if len(signs) else 1
        self.full_solves = 0
        self.repairs = 0
        # the bound on the entries left out assumes one sign on the row
        self.ready = len(signs) <= 1 and self._first_duals(start)

    def _first_duals(self, start: Solution) -> bool:
        """Duals of ``start`` (optimal at λ = 0) valid on every entry; False when the
        labels do not settle (then ``start`` was not optimal and the full path decides)."""
        pm = self.pm
        self.start = _entries_of(pm, start, self.cols, self.indptr)
        got = _duals(self.cost, self.rows, self.cols, self.indptr, self.start, self.n_cols)
        if got is None:
            return False
        u, v = got
        r = self.cost - u[self.rows] - v[self.cols]
        if r.min(initial=0) < 0:  # pragma: no cover - settled labels price every entry ≥ 0
            return False
        self.u, self.v = u, v
        self.states = [_State(1, 0, self.start, u, v)]
        # the reduced cost below which an entry joins every working set
        self.thr = max(1, int(np.quantile(r, _WIDTH)))
        order = np.nonzero(self.mem != 0)[0]
        self.mem_sorted = order[np.argsort(r[order], kind="stable")]
        self.mem_r = r[self.mem_sorted]
        self.cap = max(self.thr, int(np.quantile(r, 4 * _WIDTH)))
        order = np.nonzero((self.mem == 0) & (r <= self.cap))[0]
        self.plain_sorted = order[np.argsort(r[order], kind="stable")]
        self.plain_r = r[self.plain_sorted]
        return True

    def solve(self, scale: int = 1, q: int = 0) -> Matched | None:
        """The least-cost filling under ``scale · cost + q · member`` (see class docstring)."""
        if not self.ready:
            return self._full(scale, q)
        # repair from the proven state nearest in multiplier among those whose scale divides
        # a small multiple of this one (a finer scale has more distance levels, more phases)
        fit = [st for st in self.states if (scale * st.k) // math.gcd(scale, st.k) <= 4 * scale]
        near = min(fit, key=lambda st: abs(st.q * scale - q * st.k) / (st.k * scale))
        asked = (scale, q)
        big = (scale * near.k) // math.gcd(scale, near.k)
        k, q = big, q * (big // scale)
        up = big // near.k  # the state's potentials at the common scale
        # every entry with k·r + q·mem ≤ k·T joins; the potentials move by about |q|/k
        t_cut = min(self.cap, self.thr + 2 * (-(-abs(q) // k)))
        n_plain = int(np.searchsorted(self.plain_r, t_cut, side="right"))
        # members: r ≤ ⌊(k·T − q·sign) / k⌋ (one sign on the row)
        lim = (k * t_cut - q * self.sign) // k
        n_mem = int(np.searchsorted(self.mem_r, lim, side="right"))
        work = self._union(
            self.plain_sorted[:n_plain], self.mem_sorted[:n_mem], self.start, near.taken
        )
        floor = k * t_cut + 1  # every entry left out has k·r + q·mem ≥ floor
        taken, u, v = near.taken, up * near.u, up * near.v
        for _ in range(_ROUNDS):
            ent = self._entries(work, k, q)
            got = repair(ent, np.searchsorted(work, taken), u, v)
            if got is None:
                break
            taken, u, v = work[got.taken], got.u, got.v
            du = int((u - k * self.u).max(initial=0))
            dv = int((v - k * self.v).max(initial=0))
            log.debug(
                "trial %d/%d: %d entries, du %d dv %d floor %d", q, k, len(work), du, dv, floor
            )
            proven = du + dv <= floor  # no entry outside the set has a negative reduced cost
            if not proven:
                r = k * self.cost + q * self.mem.astype(np.int64) - u[self.rows] - v[self.cols]
                bad = np.nonzero(r < 0)[0]
                del r
                log.debug("trial: %d below 0 over the whole matrix", len(bad))
                proven = not len(bad)
            if proven:
                self.repairs += 1
                self.states.append(_State(k, q, taken, u, v))
                plan = self._plan(taken, k, q)
                return Matched(plan.solution, plan.value // (big // scale))
            work = self._union(work, bad)
        return self._full(*asked)

    def _union(self, *parts: NDArray[np.int64]) -> NDArray[np.int64]:
        """Sorted entries in any of ``parts`` (a mask over the matrix: faster than sorting)."""
        mark = np.zeros(len(self.cost), dtype=bool)
        for part in parts:
            mark[part] = True
        return np.nonzero(mark)[0]

    def _entries(self, work: NDArray[np.int64], k: int, q: int) -> Entries:
        """The working set as :class:`Entries` priced at ``(k, q)``."""
        rows = self.rows[work].astype(np.int64)
        n_posts = self.pm.n_posts
        indptr = np.r_[0, np.cumsum(np.bincount(rows, minlength=n_posts))].astype(np.int64)
        cost = k * self.cost[work] + q * self.mem[work].astype(np.int64)
        return Entries(indptr, rows, self.cols[work].astype(np.int64), cost, self.n_cols)

    def _plan(self, taken: NDArray[np.int64], k: int, q: int) -> Matched:
        """The plan of the entries taken, with its scaled value."""
        pm, p = self.pm, self.pm.problem
        arc = pm.entry[taken].astype(np.int64)
        real = arc < p.n_arcs
        chosen = np.zeros(p.n_arcs, dtype=bool)
        chosen[arc[real]] = True
        soft = pm.soft_posts[arc[~real] - p.n_arcs]
        vacant = np.bincount(pm.post_group[soft], minlength=p.n_groups).astype(np.int32)
        value = int((k * self.cost[taken] + q * self.mem[taken].astype(np.int64)).sum())
        return Matched(Solution(chosen, vacant), value)

    def _full(self, scale: int, q: int) -> Matched | None:
        """The whole matrix matched from scratch (the exact path when a repair cannot
        conclude)."""
        self.full_solves += 1
        return self.pm.solve(scale, q * self.member)


def _locate(
    cols: NDArray[np.int32], indptr: NDArray[np.int64], col_of: NDArray[np.int64]
) -> NDArray[np.int64]:
    """Per row, the index of the entry in column ``col_of[row]`` (rows' columns sorted)."""
    left, right = indptr[:-1].copy(), indptr[1:].copy()
    while True:
        open_ = left < right
        if not open_.any():
            return np.asarray(left)
        mid = (left + right) // 2
        less = open_ & (cols[np.minimum(mid, len(cols) - 1)] < col_of)
        left = np.where(less, mid + 1, left)
        right = np.where(open_ & ~less, mid, right)


def _duals(
    c: NDArray[np.int64],
    rows: NDArray[np.int64] | NDArray[np.int32],
    cols: NDArray[np.int64] | NDArray[np.int32],
    indptr: NDArray[np.int64],
    at: NDArray[np.int64],
    n_cols: int,
) -> tuple[NDArray[np.int64], NDArray[np.int64]] | None:
    """Duals of an optimal matching (post ``i`` takes entry ``at[i]``): the largest ``v ≤ 0``
    with ``v[col] ≤ v[own col of the post] + c − c[own entry]`` on every entry (shortest
    paths, label correcting from the changed columns only), and ``u = c[own] − v[own col]``.
    None when a free column ends below 0 or the labels do not settle (not optimal)."""
    n_posts = len(at)
    own_col = cols[at]
    own_c = c[at]
    w = c - own_c[rows]
    v = np.zeros(n_cols, dtype=np.int64)
    post_of = np.full(n_cols, -1, dtype=np.int64)
    post_of[own_col] = np.arange(n_posts)
    front = np.arange(n_posts, dtype=np.int64)
    for _ in range(4 * n_posts + 10):
        if not len(front):
            break
        if len(front) == n_posts:
            e = np.arange(len(c), dtype=np.int64)
        else:
            e = _spans(indptr[front], indptr[front + 1] - indptr[front])
        cand = v[own_col[rows[e]]] + w[e]
        target = cols[e]
        hit = cand < v[target]
        if not hit.any():
            break
        target, cand = target[hit], cand[hit]
        before = v[target]
        np.minimum.at(v, target, cand)
        owners = post_of[target[v[target] < before]]
        mark = np.zeros(n_posts, dtype=bool)
        mark[owners[owners >= 0]] = True
        front = np.nonzero(mark)[0]
    else:
        return None
    if np.any(v[post_of < 0] < 0):
        return None
    return own_c - v[own_col], v


def _entries_of(
    pm: PostMatcher, sol: Solution, cols: NDArray[np.int32], indptr: NDArray[np.int64]
) -> NDArray[np.int64]:
    """The matrix entries of a plan of ``pm``: per group its chosen arcs fill the posts in
    order, skilled arcs first (the skilled posts come first), vacancies the last posts."""
    p = pm.problem
    arcs = np.nonzero(sol.chosen)[0].astype(np.int64)
    g = p.arc_group[arcs].astype(np.int64)
    skilled = pm.split.arc_skilled[arcs] & (pm.split.group_skilled[g] > 0)
    order = np.lexsort((~skilled, g))
    arcs, g = arcs[order], g[order]
    first = np.r_[0, np.cumsum(p.group_capacity.astype(np.int64))]
    n_in = np.bincount(g, minlength=p.n_groups).astype(np.int64)
    rank = np.arange(len(arcs), dtype=np.int64) - np.r_[0, np.cumsum(n_in)][g]
    post = np.full(pm.n_posts, -1, dtype=np.int64)
    col = np.full(pm.n_posts, -1, dtype=np.int64)
    at_post = first[g] + rank
    post[at_post] = at_post
    col[at_post] = slot_of_arcs(p)[arcs]
    soft_col = np.full(pm.n_posts, -1, dtype=np.int64)
    soft_col[pm.soft_posts] = pm.n_slots + np.arange(len(pm.soft_posts))
    empty = col < 0
    col[empty] = soft_col[empty]
    return _locate(cols, indptr, col)
