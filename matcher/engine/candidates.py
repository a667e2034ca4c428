"""Every candidate (cadre, post) arc, eligible or not, with its cost terms and the rules that
exclude it; and where each cadre sits in a plan.

The engine keeps only eligible arcs (:class:`~matcher.engine.problem.ProblemData`). To answer "why
not that cadre?" the explanations also need the arcs the rules removed, priced the same way, and the
plan as arrays. :class:`PlanView` derives both once from the round, its candidate pairs, the problem
and the result, so per-post questions are cheap slices.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from matcher.engine.eligibility import POST_TYPES, describe_rule, prune, type_code
from matcher.engine.objective import TERMS, arc_terms
from matcher.engine.pairs import CandidatePairs
from matcher.engine.problem import ProblemData
from matcher.engine.result import Result
from matcher.engine.side_constraints import Row, group_table, rows
from matcher.model.round import Round


class PlanView:
    """Candidate arcs sorted by (group, cost, cadre) plus the plan as arrays.

    ``cand_*`` arrays describe candidate arcs; ``cand_excluded[k]`` is the mask of rule
    ``rule_words[k]``; ``cand_arc`` is the index of the eligible arc in the problem (−1 when a
    rule excludes it). ``holder_group[i]`` / ``holder_arc[i]`` give cadre i's group and arc in
    the plan (−1 = no post).
    """

    def __init__(self, rnd: Round, pairs: CandidatePairs, problem: ProblemData, result: Result):
        self.round, self.problem, self.result = rnd, problem, result
        self.table = group_table(problem)
        n_cad = len(problem.cadre_ids)
        cad = np.repeat(pairs.cadre.astype(np.int32), 2)
        com = np.repeat(pairs.community.astype(np.int32), 2)
        typ = np.tile(np.array([0, 1], dtype=np.int8), len(pairs))
        dist = np.repeat(pairs.distance_m.astype(np.int32), 2)
        grp = self.table[com, typ] if len(com) else np.zeros(0, dtype=np.int32)
        keep = grp >= 0
        cad, com, typ, dist, grp = cad[keep], com[keep], typ[keep], dist[keep], grp[keep]
        pruning = prune(rnd, cad, com, typ, dist)
        terms = arc_terms(rnd, cad, com, typ, dist)
        cost = terms.total()
        order = np.lexsort((cad, cost, grp))
        self.cand_cadre, self.cand_group = cad[order], grp[order]
        self.cand_distance_m, self.cand_cost = dist[order], cost[order]
        self.cand_terms = {name: getattr(terms, name)[order] for name in TERMS}
        self.rule_words = tuple(describe_rule(rnd, n) for n in pruning.names)
        self.cand_excluded = (
            np.vstack([m[order] for m in pruning.masks])
            if pruning.masks
            else np.zeros((0, len(order)), dtype=bool)
        )
        self.group_start = np.searchsorted(self.cand_group, np.arange(problem.n_groups + 1))
        self._by_cadre = np.argsort(self.cand_cadre, kind="stable")
        self._cadre_start = np.searchsorted(self.cand_cadre[self._by_cadre], np.arange(n_cad + 1))
        self.arc_key = problem.arc_group.astype(np.int64) * n_cad + problem.arc_cadre
        self.cand_arc = self.arc_of(self.cand_group, self.cand_cadre)

        self.cadre_index = {c: i for i, c in enumerate(problem.cadre_ids)}
        self.chosen = np.zeros(problem.n_arcs, dtype=bool)
        self.holder_group = np.full(n_cad, -1, dtype=np.int32)
        self.holder_arc = np.full(n_cad, -1, dtype=np.int64)
        self.filled = np.zeros(problem.n_groups, dtype=np.int32)
        for a in result.assignments:
            g = self.group(a.community_id, a.post_type)
            if a.cadre_id is None or g < 0:
                continue
            i = self.cadre_index[a.cadre_id]
            arc = int(self.arc_of(np.array([g]), np.array([i]))[0])
            self.holder_group[i], self.holder_arc[i] = g, arc
            self.filled[g] += 1
            if arc >= 0:
                self.chosen[arc] = True
        valid = np.array([not s for s in problem.lock_issue], dtype=bool)
        self.locked_to = {
            int(i): int(c)
            for i, c in zip(problem.lock_cadre[valid], problem.lock_community[valid], strict=True)
        }
        self._rows: list[Row] = rows(problem)
        self._row_count = np.array([int(self.chosen[r.arcs].sum()) for r in self._rows], np.int64)
        flat = [r.arcs for r in self._rows]
        ids = [np.full(len(r.arcs), k, dtype=np.int64) for k, r in enumerate(self._rows)]
        arcs = np.concatenate(flat) if flat else np.zeros(0, dtype=np.int64)
        row_ids = np.concatenate(ids) if ids else np.zeros(0, dtype=np.int64)
        by_arc = np.argsort(arcs, kind="stable")
        self._row_arcs, self._row_ids = arcs[by_arc], row_ids[by_arc]

    def arc_of(self, group: NDArray[np.integer], cadre: NDArray[np.integer]) -> NDArray[np.int64]:
        """Eligible arc index of each (group, cadre), −1 when the pair is not eligible."""
        key = group.astype(np.int64) * len(self.problem.cadre_ids) + cadre
        at = np.searchsorted(self.arc_key, key)
        at = np.clip(at, 0, max(0, len(self.arc_key) - 1))
        hit = (self.arc_key[at] == key) if len(self.arc_key) else np.zeros(len(key), dtype=bool)
        return np.where(hit, at, -1).astype(np.int64)

    def group(self, community_id: str, post_type: str) -> int:
        """Group index of a (community, post type), −1 when the community has no such post."""
        c = self.round.community_index().get(community_id)
        if c is None or post_type not in POST_TYPES:
            return -1
        return int(self.table[c, type_code(post_type)])

    def group_label(self, g: int) -> str:
        """``community id / post type``."""
        return self.problem.group_label(g)

    def candidates(self, g: int) -> range:
        """Candidate positions of group g, cheapest first."""
        return range(int(self.group_start[g]), int(self.group_start[g + 1]))

    def of_cadre(self, i: int) -> NDArray[np.int64]:
        """Candidate positions of cadre i."""
        lo, hi = int(self._cadre_start[i]), int(self._cadre_start[i + 1])
        return self._by_cadre[lo:hi].astype(np.int64)

    def holders(self, g: int) -> set[int]:
        """Cadres holding a post of group g."""
        return {int(i) for i in np.nonzero(self.holder_group == g)[0]}

    def excluded_by(self, k: int) -> tuple[str, ...]:
        """Rule phrases that exclude candidate k (empty when eligible)."""
        hit = self.cand_excluded[:, k]
        return tuple(w for w, h in zip(self.rule_words, hit, strict=True) if h)

    def terms(self, k: int) -> dict[str, int]:
        """Cost terms of candidate k."""
        return {name: int(arr[k]) for name, arr in self.cand_terms.items()}

    def arc_cost(self, arc: int) -> int:
        """Cost of an eligible arc."""
        return int(self.problem.arc_cost[arc])

    def vacancy_allowed(self, g: int, filled_after: int) -> bool:
        """True when group g may have ``filled_after`` filled posts (coverage permits it)."""
        return filled_after >= int(self.problem.group_required[g])

    def broken_rows(self, removed: list[int], added: list[int]) -> list[str]:
        """Side constraints (quotas, skill mix) broken after swapping the given eligible arcs."""
        delta: dict[int, int] = {}
        for sign, arcs in ((-1, removed), (1, added)):
            for arc in arcs:
                lo = np.searchsorted(self._row_arcs, arc, side="left")
                hi = np.searchsorted(self._row_arcs, arc, side="right")
                for r in self._row_ids[lo:hi]:
                    delta[int(r)] = delta.get(int(r), 0) + sign
        out: list[str] = []
        for r, d in sorted(delta.items()):
            row, n = self._rows[r], int(self._row_count[r]) + d
            if d and (n < row.lo or (row.hi >= 0 and n > row.hi)):
                out.append(row.label)
        return out

    def best_free(self, g: int, skip: set[int]) -> tuple[int, int] | None:
        """Cheapest eligible cadre of group g with no post (not in ``skip``): (cadre, arc)."""
        for k in self.candidates(g):
            arc = int(self.cand_arc[k])
            i = int(self.cand_cadre[k])
            if arc >= 0 and self.holder_group[i] < 0 and i not in skip and i not in self.locked_to:
                return i, arc
        return None


__all__ = ["PlanView"]
