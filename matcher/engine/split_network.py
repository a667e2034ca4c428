"""The fast exact phase: the network with the skill mix inside, then at most one quota row.

1. Split skill-mix groups (:mod:`matcher.engine.skill_split`), close the arcs that a quota
   covering every post of its type forbids (:mod:`matcher.engine.saturated_quotas`) and fill
   every post at least cost over all arcs (:mod:`matcher.engine.post_matching`). This is a
   relaxation of the full problem that is exact for every split group and every saturated
   quota; if the plan keeps the remaining side rows it is optimal.
2. If a remaining row breaks, Newton on its Lagrangian multiplier (the other rows relaxed,
   :mod:`matcher.engine.quota_search`) usually returns a plan at the Lagrangian bound; if that plan
   keeps every other row too, it is optimal. Each of the first two broken rows is tried.

Anything else (an infeasible network, a broken lock, rows that only hold together, no
exchange that hits the row exactly, the deadline) returns None with whatever lower bound was
proven, and the general method (flow, column generation, MIP) decides.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

from matcher.engine.flow import Solution
from matcher.engine.post_matching import PostMatcher
from matcher.engine.problem import ProblemData
from matcher.engine.quota_search import search_row
from matcher.engine.saturated_quotas import saturated_quotas
from matcher.engine.side_constraints import rows, violations
from matcher.engine.skill_split import residual_rows, split_groups

log = logging.getLogger(__name__)

_MAX_ROWS = 2
"""Broken rows tried one at a time (the others relaxed); more go to the general method."""


@dataclass(frozen=True, slots=True)
class SplitOutcome:
    """A proven-optimal plan (or None), a lower bound on every plan (or None), notes, and a
    plan that keeps every rule without proof (or None), for a stop at the deadline."""

    solution: Solution | None
    bound: float | None
    method: str
    notes: tuple[str, ...] = ()
    feasible: Solution | None = None


def solve_split(
    problem: ProblemData,
    deadline: float,
    should_stop: Callable[[], bool] | None = None,
    *,
    reductions: bool = True,
) -> SplitOutcome:
    """Try the split network (see module docstring); stop at the deadline or when asked.
    ``reductions=False`` skips the saturated-quota reduction (the earlier path, kept so the
    benchmark measures both in one run)."""
    stop = should_stop or (lambda: False)

    def late() -> bool:
        return time.perf_counter() > deadline or stop()

    split = split_groups(problem)
    saturated = saturated_quotas(problem) if reductions else None
    pm = PostMatcher(problem, split, saturated)
    closed = tuple(
        f"quota {q} decides every post of its type (min = all its posts, or max 0): the "
        "network keeps only the arcs that obey it (an exact reduction)"
        for q in (saturated.names if saturated else ())
    )
    got = pm.solve()
    if got is None or not pm.locks_held(got.solution):
        return SplitOutcome(None, None, "flow")
    sol = got.solution
    bound = float(sol.cost(problem))
    n_split = int((split.group_skilled > 0).sum())
    name = "split-flow" if n_split else "flow"
    broken = []
    side = rows(problem)
    for r in residual_rows(problem, split, side):
        n = int(sol.chosen[r.arcs].sum())
        if n < r.lo or 0 <= r.hi < n:
            broken.append(r)
    if not broken and not violations(problem, sol, side):
        inside = (
            f" with the skill mix inside the network ({n_split} groups split into skilled and "
            "general posts)"
            if n_split
            else ""
        )
        note = f"flow optimum{inside} keeps every side constraint, so it is optimal"
        return SplitOutcome(sol, bound, name, (*closed, note))
    feasible: Solution | None = None
    for row in broken[:_MAX_ROWS]:
        if late():
            break
        found = search_row(pm, row, sol, late)
        if found.bound is None:
            continue
        row_bound = found.bound + pm.offset
        bound = max(bound, row_bound)
        keeps = found.keeps_row
        if feasible is None and keeps is not None and not violations(problem, keeps, side):
            feasible = keeps
        plan = found.solution
        if plan is None or violations(problem, plan, side):
            continue
        if plan.cost(problem) > row_bound + 1e-6:  # pragma: no cover - exchanges cost 0
            log.warning("row search plan above its bound %.1f", row_bound)
            continue
        note = (
            f"flow with the skill mix inside the network ({n_split} groups split), "
            f"{row.label} priced by its Lagrangian multiplier in {found.steps} Newton steps: "
            "a plan at that bound keeps every rule, so it is optimal"
        )
        return SplitOutcome(plan, bound, name + "+lagrangian", (*closed, note))
    return SplitOutcome(None, bound, name + ("+lagrangian" if broken else ""), feasible=feasible)
