"""Alternative: the naive slot model (:mod:`benchmarks.slot_model`) as one MIP in HiGHS.

Same Booleans and rows as the naive CP-SAT model, passed to ``highspy`` as a sparse matrix in
one call; HiGHS runs with its defaults (presolve, cuts, heuristics) on one thread and the
round's relative gap. Nothing of the engine's structure is used: no grouped posts, no flow
bound or starting plan, no pricing, no reduced-cost fixing.
"""

from __future__ import annotations

import highspy
import numpy as np

from benchmarks import slot_model
from benchmarks.outcome import Outcome
from matcher.engine.mip import quiet_highs
from matcher.engine.problem import ProblemData
from matcher.model.settings import SolveSettings


def solve(problem: ProblemData, settings: SolveSettings, time_limit: float) -> Outcome:
    """Solve the naive model with HiGHS within ``time_limit`` seconds."""
    model = slot_model.build(problem)
    n = model.n_cols
    lp = highspy.HighsLp()
    lp.num_col_ = n
    lp.num_row_ = model.a.shape[0]
    lp.offset_ = float(model.offset)
    lp.col_cost_ = model.cost.astype(np.float64)
    lp.col_lower_ = np.zeros(n)
    lp.col_upper_ = np.ones(n)
    lp.row_lower_ = model.row_lo
    lp.row_upper_ = model.row_hi
    lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
    lp.a_matrix_.start_ = model.a.indptr.astype(np.int32)
    lp.a_matrix_.index_ = model.a.indices.astype(np.int32)
    lp.a_matrix_.value_ = model.a.data
    lp.a_matrix_.num_row_ = lp.num_row_
    lp.a_matrix_.num_col_ = n
    lp.integrality_ = [highspy.HighsVarType.kInteger] * n
    h = quiet_highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("time_limit", max(0.01, time_limit))
    h.setOptionValue("mip_rel_gap", settings.relative_gap)
    h.setOptionValue("random_seed", settings.seed)
    h.setOptionValue("threads", 1)
    h.passModel(lp)
    h.run()
    status = h.getModelStatus()
    info = h.getInfo()
    bound = float(info.mip_dual_bound) if np.isfinite(info.mip_dual_bound) else None
    if status == highspy.HighsModelStatus.kInfeasible:
        return Outcome("infeasible", note="HiGHS: infeasible")
    if info.primal_solution_status != highspy.kSolutionStatusFeasible:
        return Outcome("unknown", bound=bound, note=f"HiGHS: {h.modelStatusToString(status)}")
    x = np.rint(np.asarray(h.getSolution().col_value)) > 0
    word = "optimal" if status == highspy.HighsModelStatus.kOptimal else "feasible"
    return Outcome(word, slot_model.decode(problem, model, x), bound, f"{n:,} Booleans")
