"""The fast exact phase: the network with the skill mix inside, then at most one quota row.

1. Split skill-mix groups (:mod:`matcher.skill_split`) and fill every post at least cost over
   all arcs (:mod:`matcher.post_matching`). This is a relaxation of the full problem that is
   exact for every split group; if the plan keeps the remaining side rows it is optimal.
2. If exactly one remaining row breaks, Newton on its Lagrangian multiplier
   (:mod:`matcher.quota_search`) usually returns a plan at the Lagrangian bound: optimal.

Anything else (an infeasible network, a broken lock, two broken rows, no exchange that hits
the row exactly, the deadline) returns None with whatever lower bound was proven, and the
general method (flow, column generation, MIP) decides.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

from matcher.flow import Solution
from matcher.post_matching import PostMatcher
from matcher.problem import ProblemData
from matcher.quota_search import search_row
from matcher.side_constraints import violations
from matcher.skill_split import residual_rows, split_groups

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class SplitOutcome:
    """A proven-optimal plan (or None), a lower bound on every plan (or None), notes, and a
    plan that keeps every rule without proof (or None), for a stop at the deadline."""

    solution: Solution | None
    bound: float | None
    method: str
    notes: tuple[str, ...] = ()
    feasible: Solution | None = None


def solve_split(problem: ProblemData, deadline: float) -> SplitOutcome:
    """Try the split network (see module docstring)."""
    split = split_groups(problem)
    matcher = PostMatcher(problem, split)
    got = matcher.solve()
    if got is None or not matcher.locks_held(got.solution):
        return SplitOutcome(None, None, "flow")
    sol = got.solution
    bound = float(sol.cost(problem))
    n_split = int((split.group_skilled > 0).sum())
    name = "split-flow" if n_split else "flow"
    broken = []
    for r in residual_rows(problem, split):
        n = int(sol.chosen[r.arcs].sum())
        if n < r.lo or 0 <= r.hi < n:
            broken.append(r)
    if not broken and not violations(problem, sol):
        inside = (
            f" with the skill mix inside the network ({n_split} groups split into skilled and "
            "general posts)"
            if n_split
            else ""
        )
        note = f"flow optimum{inside} keeps every side constraint, so it is optimal"
        return SplitOutcome(sol, bound, name, (note,))
    if len(broken) != 1 or time.perf_counter() > deadline:
        return SplitOutcome(None, bound, name)
    found = search_row(matcher, broken[0], sol, deadline)
    if found.bound is not None:
        bound = max(bound, found.bound + matcher.offset)
    if found.solution is None or violations(problem, found.solution):
        keeps = found.keeps_row
        feasible = None if keeps is None or violations(problem, keeps) else keeps
        return SplitOutcome(None, bound, name + "+lagrangian", feasible=feasible)
    obj = found.solution.cost(problem)
    if obj > bound + 1e-6:  # pragma: no cover - the exchange keeps the Lagrangian cost
        log.warning("row search plan %d above its bound %.1f", obj, bound)
        return SplitOutcome(None, bound, name + "+lagrangian")
    note = (
        f"flow with the skill mix inside the network ({n_split} groups split), "
        f"{broken[0].label} priced by its Lagrangian multiplier in {found.steps} Newton steps: "
        "plan at the bound, optimal"
    )
    return SplitOutcome(found.solution, bound, name + "+lagrangian", (note,))
