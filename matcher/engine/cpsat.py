"""The same model in OR-Tools CP-SAT, seeded with the flow plan (``method="cpsat"``).

Kept as an alternative exact method for comparison in benchmarks: on large rounds the HiGHS
MIP proves optimality much faster (see docs/engine.md), but CP-SAT can be useful on small,
tightly constrained rounds. Same variables and rows as :mod:`matcher.engine.mip`.

With more than one worker CP-SAT races a portfolio: which worker finds which of several plans
of equal cost first depends on the operating system's scheduling, so the same round and seed
could give different plans. A proven optimum is therefore canonicalised: one more solve with a
single worker (deterministic for a seed) fixes the objective at the proven value and returns the
first plan it finds from the same hint. ``interleave_search`` (CP-SAT's deterministic parallel
mode) was measured ten times slower on a 70-cadre round and still depended on the worker count.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable

import numpy as np
from ortools.sat.python import cp_model

from matcher.engine.flow import Solution, lock_arcs, lock_groups, sitting_slots, slot_of_arcs
from matcher.engine.mip import MipOutcome
from matcher.engine.problem import ProblemData
from matcher.engine.side_constraints import rows
from matcher.model.settings import SolveSettings


class _Stopper(cp_model.CpSolverSolutionCallback):
    def __init__(self, stop: Callable[[], bool]) -> None:
        super().__init__()
        self._stop = stop

    def on_solution_callback(self) -> None:
        if self._stop():
            self.stop_search()


def solve_cpsat(
    problem: ProblemData,
    settings: SolveSettings,
    time_limit: float,
    *,
    hint: Solution | None = None,
    stop: Callable[[], bool] | None = None,
) -> MipOutcome:
    """Solve with CP-SAT; the flow plan (if any) is given as a hint."""
    usable, _ = lock_arcs(problem)
    cols = np.nonzero(usable)[0]
    m = cp_model.CpModel()
    x = {int(a): m.new_bool_var(f"x{a}") for a in cols}
    soft = problem.group_capacity - problem.group_required
    vac = {
        g: m.new_int_var(0, int(soft[g]), f"v{g}") for g in range(problem.n_groups) if soft[g] > 0
    }
    by_group: dict[int, list[cp_model.IntVar]] = {}
    by_slot: dict[int, list[cp_model.IntVar]] = {}
    slots = slot_of_arcs(problem)
    for a in cols:
        by_group.setdefault(int(problem.arc_group[a]), []).append(x[int(a)])
        by_slot.setdefault(int(slots[a]), []).append(x[int(a)])
    for g in range(problem.n_groups):
        terms = by_group.get(g, []) + ([vac[g]] if g in vac else [])
        m.add(sum(terms) == int(problem.group_capacity[g]))
    for xs in by_slot.values():
        m.add(sum(xs) <= 1)
    for arcs in lock_groups(problem):
        m.add(sum(x[int(a)] for a in arcs) >= 1)
    for row in rows(problem):
        xs = [x[int(a)] for a in row.arcs if int(a) in x]
        m.add(sum(xs) >= row.lo)
        if row.hi >= 0:
            m.add(sum(xs) <= row.hi)
    sit, drop = sitting_slots(problem)
    dropped = [(int(d), 1 - sum(by_slot.get(int(s), []))) for s, d in zip(sit, drop, strict=True)]
    objective = (
        sum(int(problem.arc_cost[k]) * v for k, v in x.items())
        + sum(int(problem.group_vacancy_cost[g]) * v for g, v in vac.items())
        + sum(d * expr for d, expr in dropped)
    )
    m.minimize(objective)
    if hint is not None:
        for k, v in x.items():
            m.add_hint(v, bool(hint.chosen[k]))
        for g, v in vac.items():
            m.add_hint(v, int(hint.vacant[g]))
    started = time.monotonic()
    solver = _solver(settings, time_limit, settings.threads)
    status = solver.solve(m, _Stopper(stop) if stop is not None else None)
    if status == cp_model.INFEASIBLE:
        return MipOutcome("infeasible", None, None, None, 0)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return MipOutcome("unknown", None, None, None, 0)
    value, bound = solver.objective_value, solver.best_objective_bound
    if value <= math.ceil(bound - 1e-6):
        # Proven optimum: one worker picks the plan among those of this value, deterministically.
        m.clear_objective()  # type: ignore[no-untyped-call]
        m.add(objective == round(value))
        single = _solver(settings, time_limit - (time.monotonic() - started), 1)
        if single.solve(m) in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            solver = single
    return _outcome(problem, solver, x, vac, status, bound)


def _solver(settings: SolveSettings, time_limit: float, workers: int) -> cp_model.CpSolver:
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.01, time_limit)
    solver.parameters.random_seed = settings.seed
    solver.parameters.num_workers = workers
    solver.parameters.relative_gap_limit = settings.relative_gap
    return solver


def _outcome(
    problem: ProblemData,
    solver: cp_model.CpSolver,
    x: dict[int, cp_model.IntVar],
    vac: dict[int, cp_model.IntVar],
    status: cp_model.CpSolverStatus,
    bound: float,
) -> MipOutcome:
    """The plan ``solver`` holds, with the status and bound of the (first) proving solve."""
    chosen = np.zeros(problem.n_arcs, dtype=bool)
    for k, v in x.items():
        chosen[k] = bool(solver.boolean_value(v))
    vacant = np.zeros(problem.n_groups, dtype=np.int32)
    for g, v in vac.items():
        vacant[g] = int(solver.value(v))
    sol = Solution(chosen, vacant)
    word = "optimal" if status == cp_model.OPTIMAL else "feasible"
    return MipOutcome(word, sol, sol.cost(problem), float(bound), 0)
