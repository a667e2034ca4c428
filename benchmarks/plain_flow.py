"""Alternative: plain min-cost flow over the eligible arcs, side constraints ignored.

The speed floor: the network part of the engine alone (OR-Tools SimpleMinCostFlow through
:func:`matcher.engine.flow.solve_flow`), without quotas or skill mix. Its plan is optimal for the
relaxation only, so its objective is a lower bound and the checker shows the side rules it
breaks.
"""

from __future__ import annotations

from benchmarks.outcome import Outcome
from matcher.engine.flow import solve_flow
from matcher.engine.problem import ProblemData


def solve(problem: ProblemData) -> Outcome:
    """Min-cost flow without side constraints."""
    flow = solve_flow(problem)
    if flow.solution is None:
        return Outcome("infeasible", note=f"flow: {flow.status}")
    sol = flow.solution
    note = "ignores quotas and skill mix" if problem.has_side_constraints else ""
    return Outcome("relaxation", sol, float(sol.cost(problem)), note)
