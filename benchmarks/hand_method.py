"""Alternative: the hand method planners use today, as a deterministic greedy.

Locked cadres are placed first. Then communities are taken weak first (then in round order),
full-time posts before part-time ones, and each post takes the nearest eligible cadre still
free (ties: roster order). Where a skill-mix rule asks for skilled cadres of the post type,
the community's first posts take the nearest free *skilled* cadres while they are needed and
exist.

Rules it keeps by construction: every pair rule (it only uses eligible pairs: distance,
availability, rank floors, own district, disqualification, pairing, forbidden pairs), one
post per cadre, and valid locks. Rules it may break: coverage (no free eligible cadre left),
source quotas (never looked at) and skill mix (no free skilled cadre left).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from benchmarks.outcome import Outcome
from matcher.engine.flow import Solution
from matcher.engine.problem import ProblemData
from matcher.model.round import Round


class _Greedy:
    """Book-keeping of the greedy: taken cadre slots, chosen arcs, filled posts."""

    def __init__(self, problem: ProblemData) -> None:
        self.p = problem
        self.starts = np.searchsorted(problem.arc_group, np.arange(problem.n_groups + 1))
        self.used: set[int] = set()
        self.chosen = np.zeros(problem.n_arcs, dtype=bool)
        self.filled = np.zeros(problem.n_groups, dtype=np.int64)

    def holder(self, a: int) -> int:
        cad = int(self.p.arc_cadre[a])
        return (
            cad
            if self.p.one_post_per_cadre
            else cad * 2 + int(self.p.group_type[self.p.arc_group[a]])
        )

    def take(self, a: int) -> None:
        self.chosen[a] = True
        self.filled[self.p.arc_group[a]] += 1
        self.used.add(self.holder(a))

    def room(self, g: int) -> bool:
        return bool(self.filled[g] < self.p.group_capacity[g])

    def arcs(self, g: int) -> NDArray[np.int64]:
        """Arcs of group g, nearest first (ties: roster order)."""
        arcs = np.arange(self.starts[g], self.starts[g + 1])
        return arcs[np.lexsort((self.p.arc_cadre[arcs], self.p.arc_distance_m[arcs]))]


def solve(rnd: Round, problem: ProblemData) -> Outcome:
    """Greedy plan (see module docstring)."""
    s = _Greedy(problem)
    table = {
        (int(c), int(t)): g
        for g, (c, t) in enumerate(zip(problem.group_community, problem.group_type, strict=True))
    }
    for i, issue in enumerate(problem.lock_issue):
        cad, com, t = (
            int(problem.lock_cadre[i]),
            int(problem.lock_community[i]),
            int(problem.lock_type[i]),
        )
        for tt in () if issue else (0, 1) if t < 0 else (t,):
            g = table.get((com, tt))
            if g is None or not s.room(g):
                continue
            hit = [
                a for a in s.arcs(g) if problem.arc_cadre[a] == cad and s.holder(a) not in s.used
            ]
            if hit:
                s.take(int(hit[0]))
                break
    wants: dict[int, list[tuple[NDArray[np.bool_], int]]] = {}
    for mix in problem.skill_mixes:
        for c in mix.communities:
            g = table.get((int(c), mix.post_type))
            if g is not None:
                wants.setdefault(g, []).append((mix.skilled, mix.min_count))
    weak = [c.weak for c in rnd.communities]
    order = sorted(range(problem.n_groups), key=lambda g: (not weak[problem.group_community[g]], g))
    for g in order:
        arcs = s.arcs(g)
        held = problem.arc_cadre[arcs[s.chosen[arcs]]]
        for skilled, count in wants.get(g, []):
            missing = count - int(skilled[held].sum())
            for a in arcs:
                if missing <= 0 or not s.room(g):
                    break
                if skilled[problem.arc_cadre[a]] and not s.chosen[a] and s.holder(a) not in s.used:
                    s.take(int(a))
                    missing -= 1
        for a in arcs:
            if not s.room(g):
                break
            if s.holder(a) not in s.used:
                s.take(int(a))
    vacant = (problem.group_capacity - s.filled).astype(np.int32)
    return Outcome("heuristic", Solution(s.chosen, vacant), None, "weak first, nearest free")
