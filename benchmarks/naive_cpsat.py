"""Alternative: the naive slot model (:mod:`benchmarks.slot_model`) in OR-Tools CP-SAT.

One Boolean per eligible (cadre, seat) pair and every rule as a linear constraint, exactly
as a modeller writes it on day one; no hint, no flow bound. CP-SAT runs its default portfolio
on ``workers`` threads (2: the benchmark machine's cores) with the round's relative gap and
seed, stopped at the time limit (60 s in ``make bench``).
"""

from __future__ import annotations

import numpy as np
from ortools.sat.python import cp_model

from benchmarks import slot_model
from benchmarks.outcome import Outcome
from matcher.engine.problem import ProblemData
from matcher.model.settings import SolveSettings


def solve(
    problem: ProblemData, settings: SolveSettings, time_limit: float, workers: int = 2
) -> Outcome:
    """Solve the naive model with CP-SAT within ``time_limit`` seconds."""
    model = slot_model.build(problem)
    m = cp_model.CpModel()
    x = [m.new_bool_var(f"x{k}") for k in range(model.n_cols)]
    a = model.a
    for r in range(a.shape[0]):
        idx = a.indices[a.indptr[r] : a.indptr[r + 1]]
        expr = cp_model.LinearExpr.sum([x[k] for k in idx])
        lo, hi = model.row_lo[r], model.row_hi[r]
        if np.isfinite(hi):
            m.add_linear_constraint(expr, int(lo), int(hi))
        else:
            m.add(expr >= int(lo))
    m.minimize(cp_model.LinearExpr.weighted_sum(x, model.cost.tolist()) + model.offset)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.01, time_limit)
    solver.parameters.num_workers = workers
    solver.parameters.random_seed = settings.seed
    solver.parameters.relative_gap_limit = settings.relative_gap
    status = solver.solve(m)
    if status == cp_model.INFEASIBLE:
        return Outcome("infeasible", note="CP-SAT: infeasible")
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return Outcome("unknown", note=f"CP-SAT: {solver.status_name(status)}")
    values = np.array([solver.boolean_value(v) for v in x], dtype=bool)
    word = "optimal" if status == cp_model.OPTIMAL else "feasible"
    note = f"{model.n_cols:,} Booleans"
    sol = slot_model.decode(problem, model, values)
    return Outcome(word, sol, float(solver.best_objective_bound), note)
