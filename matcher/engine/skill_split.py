"""Skill mix inside the network: split a group into a skilled and a general sub-group.

A (community, post type) group of capacity k under a single skill-mix rule "≥ m members with
a skill in S" is split into m *skilled* posts (only arcs of cadres with a skill in S, always
filled) and k − m *general* posts (every eligible arc; ``max(0, required − m)`` of them
filled). Arc costs depend on (cadre, community, type) only, so a team with ≥ m skilled
members maps to a filling of the split posts at the same cost and back: the split is exact
and the rule leaves the side rows. Groups under two or more skill-mix rules (or with
``m`` above the capacity, a reported conflict) are not split; their rows stay side rows.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from matcher.engine.problem import ProblemData
from matcher.engine.side_constraints import Row, group_starts, group_table, rows


@dataclass(frozen=True, slots=True)
class SkillSplit:
    """Per group the number of skilled posts (0 = not split); per arc whether it may fill
    a skilled post of its group."""

    group_skilled: NDArray[np.int32]
    arc_skilled: NDArray[np.bool_]

    @property
    def any(self) -> bool:
        """True when at least one group is split."""
        return bool(self.group_skilled.any())


def split_groups(problem: ProblemData) -> SkillSplit:
    """Split every group that exactly one skill-mix rule selects (see module docstring)."""
    table = group_table(problem)
    hits = np.zeros(problem.n_groups, dtype=np.int32)
    for mix in problem.skill_mixes:
        g = table[mix.communities, mix.post_type]
        hits[g[g >= 0]] += 1
    skilled_cap = np.zeros(problem.n_groups, dtype=np.int32)
    arc_skilled = np.zeros(problem.n_arcs, dtype=bool)
    for mix in problem.skill_mixes:
        g = table[mix.communities, mix.post_type]
        g = g[g >= 0]
        g = g[(hits[g] == 1) & (problem.group_capacity[g] >= mix.min_count)]
        if not len(g) or mix.min_count <= 0:
            continue
        skilled_cap[g] = mix.min_count
        in_split = np.zeros(problem.n_groups, dtype=bool)
        in_split[g] = True
        sel = in_split[problem.arc_group]
        arc_skilled[sel] = mix.skilled[problem.arc_cadre[sel]]
    return SkillSplit(skilled_cap, arc_skilled)


def residual_rows(
    problem: ProblemData, split: SkillSplit, side: list[Row] | None = None
) -> list[Row]:
    """Side rows the split network does not already keep: quotas and unsplit skill mixes.
    ``side``: every side row (:func:`~matcher.engine.side_constraints.rows`), if at hand."""
    out = [row for row in (rows(problem) if side is None else side)
           if not row.rule.startswith("skill_mix[")]  # fmt: skip
    table = group_table(problem)
    starts = group_starts(problem)
    for mix in problem.skill_mixes:
        for c in mix.communities:
            g = int(table[c, mix.post_type])
            if g < 0 or split.group_skilled[g] > 0:
                continue
            span = np.arange(starts[g], starts[g + 1], dtype=np.int64)
            label = f"{mix.name} in {problem.community_ids[c]}"
            skilled = mix.skilled[problem.arc_cadre[span]]
            out.append(Row(span[skilled], mix.min_count, -1, label, mix.source))
    return out
