"""Side constraints that are not a network: source quotas and team skill mix.

Both are linear counts over arcs. This module lists them as rows (arc mask, lower, upper) so
the MIP, the feasibility check of a flow solution and the infeasibility report share one
definition.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from matcher.engine.flow import Solution
from matcher.engine.problem import ProblemData


@dataclass(frozen=True, slots=True)
class Row:
    """``lo ≤ Σ x[arcs] ≤ hi`` (hi = −1: no upper bound). ``label`` names it for planners."""

    arcs: NDArray[np.int64]
    lo: int
    hi: int
    label: str
    rule: str


def group_table(problem: ProblemData) -> NDArray[np.int32]:
    """Group index by [community, type]; −1 where the community has no post of the type."""
    table = np.full((len(problem.community_ids), 2), -1, dtype=np.int32)
    table[problem.group_community, problem.group_type] = np.arange(problem.n_groups, dtype=np.int32)
    return table


def group_starts(problem: ProblemData) -> NDArray[np.int64]:
    """Arcs are sorted by group: group g owns arcs ``starts[g]:starts[g + 1]``."""
    bounds = np.searchsorted(problem.arc_group, np.arange(problem.n_groups + 1))
    return np.asarray(bounds, dtype=np.int64)


def rows(problem: ProblemData) -> list[Row]:
    """Every side-constraint row, quotas first, in rule order."""
    out: list[Row] = []
    a_type = problem.group_type[problem.arc_group]
    for q in problem.quotas:
        arcs = np.nonzero((a_type == q.post_type) & q.member[problem.arc_cadre])[0]
        out.append(Row(arcs.astype(np.int64), max(q.lo, 0), q.hi, q.name, q.source))
    table = group_table(problem)
    starts = group_starts(problem)
    for mix in problem.skill_mixes:
        skilled = mix.skilled[problem.arc_cadre]
        for c in mix.communities:
            g = int(table[c, mix.post_type])
            if g < 0:
                continue  # reported as a conflict (no post of the type) before solving
            span = np.arange(starts[g], starts[g + 1], dtype=np.int64)
            arcs = span[skilled[span]]
            label = f"{mix.name} in {problem.community_ids[c]}"
            out.append(Row(arcs.astype(np.int64), mix.min_count, -1, label, mix.source))
    return out


def violations(problem: ProblemData, sol: Solution, side: list[Row] | None = None) -> list[str]:
    """Rows the solution breaks, as ``label: count outside [lo, hi]`` strings."""
    out: list[str] = []
    for row in rows(problem) if side is None else side:
        n = int(sol.chosen[row.arcs].sum())
        if n < row.lo or (row.hi >= 0 and n > row.hi):
            hi = "∞" if row.hi < 0 else str(row.hi)
            out.append(f"{row.label}: {n} outside [{row.lo}, {hi}]")
    return out
