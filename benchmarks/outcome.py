"""What one method returns on one round: a plan (or none), a status, a bound and notes."""

from __future__ import annotations

from dataclasses import dataclass

from benchmarks.checker import Placement
from matcher.engine.eligibility import POST_TYPES
from matcher.engine.flow import Solution
from matcher.engine.problem import ProblemData


@dataclass(frozen=True)
class Outcome:
    """``status`` is optimal, feasible (a plan, optimality not proven), relaxation (a plan
    that ignores some rules), heuristic, unknown (no plan) or skipped."""

    status: str
    solution: Solution | None = None
    bound: float | None = None
    note: str = ""


def placements(problem: ProblemData, sol: Solution) -> list[Placement]:
    """The filled posts of a solution as (community id, post type, cadre id)."""
    out: list[Placement] = []
    for a in sol.chosen.nonzero()[0]:
        g = int(problem.arc_group[a])
        out.append(
            (
                problem.community_ids[int(problem.group_community[g])],
                POST_TYPES[int(problem.group_type[g])],
                problem.cadre_ids[int(problem.arc_cadre[a])],
            )
        )
    return out
