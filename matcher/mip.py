"""Exact MIP over the eligible arcs with HiGHS, for rounds with side constraints.

Variables: one binary per usable arc, one integer per group with optional posts (vacancies).
Rows: each group's posts are filled or vacant (= capacity); each cadre slot holds ≤ 1 post
(= 1 for a locked cadre, whose only usable arcs are the locked ones); then the side-constraint
rows of :mod:`matcher.side_constraints`. The matrix is assembled with numpy as CSR triplets,
never row by row. The assignment structure keeps the LP relaxation nearly integral, so HiGHS
usually proves optimality at the root.

Exact reduced-cost fixing: when an upper bound UB (a feasible plan) and the LP optimum LB are
known, any arc whose LP reduced cost exceeds UB − LB cannot be in an improving plan and is
fixed to 0 before branching.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import highspy
import numpy as np
from numpy.typing import NDArray
from scipy import sparse

from matcher.flow import Solution, lock_arcs, sitting_slots, slot_of_arcs
from matcher.problem import ProblemData
from matcher.settings import SolveSettings
from matcher.side_constraints import rows

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class MipOutcome:
    """What HiGHS returned: status word, best plan (or None), its cost, bound, fixed arcs."""

    status: str
    solution: Solution | None
    objective: int | None
    bound: float | None
    fixed: int


@dataclass(frozen=True, slots=True)
class _Model:
    cols: NDArray[np.int64]  # usable arc index per x column
    vac_groups: NDArray[np.int64]  # group per vacancy column
    lp: Any


def _build(problem: ProblemData, skip: str | None = None) -> _Model:
    usable, locked = lock_arcs(problem)
    cols = np.nonzero(usable)[0].astype(np.int64)
    nx = len(cols)
    soft = (problem.group_capacity - problem.group_required).astype(np.int64)
    vac_groups = np.nonzero(soft > 0)[0].astype(np.int64)
    ncol = nx + len(vac_groups)

    r_idx: list[NDArray[np.int64]] = []
    c_idx: list[NDArray[np.int64]] = []
    lo: list[NDArray[np.float64]] = []
    hi: list[NDArray[np.float64]] = []
    n_rows = 0

    def add(rr: NDArray[np.int64], cc: NDArray[np.int64], lo_: Any, hi_: Any, k: int) -> None:
        nonlocal n_rows
        r_idx.append(rr + n_rows)
        c_idx.append(cc)
        lo.append(np.asarray(lo_, dtype=np.float64).reshape(-1))
        hi.append(np.asarray(hi_, dtype=np.float64).reshape(-1))
        n_rows += k

    # group rows: sum x + v = capacity
    g_cols = problem.arc_group[cols].astype(np.int64)
    cap = problem.group_capacity.astype(np.float64)
    add(
        np.concatenate([g_cols, vac_groups]),
        np.concatenate([np.arange(nx), nx + np.arange(len(vac_groups))]),
        cap,
        cap,
        problem.n_groups,
    )
    # slot rows: sum x <= 1 (= 1 when locked)
    slots = slot_of_arcs(problem)[cols]
    uniq, inv = np.unique(slots, return_inverse=True)
    is_locked = np.zeros(len(uniq), dtype=bool)
    is_locked[inv[locked[cols]]] = True
    slot_lo = np.where(is_locked, 1.0, 0.0)
    add(inv.astype(np.int64), np.arange(nx), slot_lo, np.ones(len(uniq)), len(uniq))
    # side constraints
    pos = np.full(problem.n_arcs, -1, dtype=np.int64)
    pos[cols] = np.arange(nx)
    for row in rows(problem):
        if row.rule == skip:
            continue
        cc = pos[row.arcs]
        cc = cc[cc >= 0]
        add(np.zeros(len(cc), np.int64), cc, row.lo, np.inf if row.hi < 0 else row.hi, 1)

    mat = sparse.csr_matrix(
        (np.ones(sum(len(r) for r in r_idx)), (np.concatenate(r_idx), np.concatenate(c_idx))),
        shape=(n_rows, ncol),
    )
    lp = highspy.HighsLp()
    lp.num_col_ = ncol
    lp.num_row_ = n_rows
    # A sitting cadre pays its drop cost unless its slot holds a post: drop·(1 − Σx) is a
    # constant offset plus −drop on each arc of that slot.
    sit, drop = sitting_slots(problem)
    slot_drop = np.zeros(int(max(slots.max(initial=0), sit.max(initial=0))) + 1, np.int64)
    slot_drop[sit] = drop
    lp.offset_ = float(drop.sum())
    lp.col_cost_ = np.concatenate(
        [problem.arc_cost[cols] - slot_drop[slots], problem.group_vacancy_cost[vac_groups]]
    ).astype(np.float64)
    lp.col_lower_ = np.zeros(ncol)
    lp.col_upper_ = np.concatenate([np.ones(nx), soft[vac_groups]]).astype(np.float64)
    lp.row_lower_ = np.concatenate(lo)
    lp.row_upper_ = np.concatenate(hi)
    lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
    lp.a_matrix_.start_ = mat.indptr.astype(np.int32)
    lp.a_matrix_.index_ = mat.indices.astype(np.int32)
    lp.a_matrix_.value_ = mat.data
    lp.a_matrix_.num_row_ = n_rows
    lp.a_matrix_.num_col_ = ncol
    lp.integrality_ = [highspy.HighsVarType.kInteger] * ncol
    return _Model(cols, vac_groups, lp)


def _new_highs() -> highspy.Highs:
    """A Highs instance; its once-per-process banner goes to /dev/null, not our stdout (the
    CLI prints JSON there)."""
    sys.stdout.flush()
    saved = os.dup(1)
    try:
        with open(os.devnull, "w") as null:
            os.dup2(null.fileno(), 1)
            return highspy.Highs()  # type: ignore[no-untyped-call]
    finally:
        os.dup2(saved, 1)
        os.close(saved)


def _highs(settings: SolveSettings, time_limit: float) -> highspy.Highs:
    h = _new_highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("time_limit", max(0.01, time_limit))
    h.setOptionValue("mip_rel_gap", settings.relative_gap)
    h.setOptionValue("random_seed", settings.seed)
    h.setOptionValue("threads", settings.threads)
    return h


def _solution(problem: ProblemData, model: _Model, values: NDArray[np.float64]) -> Solution:
    nx = len(model.cols)
    chosen = np.zeros(problem.n_arcs, dtype=bool)
    chosen[model.cols[np.rint(values[:nx]) > 0]] = True
    vacant = np.zeros(problem.n_groups, dtype=np.int32)
    vacant[model.vac_groups] = np.rint(values[nx:]).astype(np.int32)
    return Solution(chosen, vacant)


def solve_mip(
    problem: ProblemData,
    settings: SolveSettings,
    time_limit: float,
    *,
    upper_bound: int | None = None,
    should_stop: Callable[[], bool] | None = None,
    on_improve: Callable[[float, float], None] | None = None,
) -> MipOutcome:
    """Solve the full problem to optimality (within ``settings.relative_gap``) with HiGHS."""
    model = _build(problem)
    fixed = 0
    if upper_bound is not None:
        fixed = _reduced_cost_fixing(model, settings, time_limit, upper_bound)
    h = _highs(settings, time_limit)
    h.passModel(model.lp)
    if should_stop is not None:
        stop = should_stop

        def interrupt(e: Any) -> None:
            if stop():
                e.interrupt()

        h.cbMipInterrupt += interrupt
    if on_improve is not None:
        report = on_improve

        def improved(e: Any) -> None:
            report(float(e.data_out.objective_function_value), float(e.data_out.mip_dual_bound))

        h.cbMipImprovingSolution += improved
    h.run()
    status = h.getModelStatus()
    info = h.getInfo()
    bound = float(info.mip_dual_bound) if np.isfinite(info.mip_dual_bound) else None
    if status == highspy.HighsModelStatus.kInfeasible:
        return MipOutcome("infeasible", None, None, None, fixed)
    if info.primal_solution_status != highspy.kSolutionStatusFeasible:
        return MipOutcome("unknown", None, None, bound, fixed)
    sol = _solution(problem, model, np.asarray(h.getSolution().col_value))
    word = "optimal" if status == highspy.HighsModelStatus.kOptimal else "feasible"
    return MipOutcome(word, sol, sol.cost(problem), bound, fixed)


def _reduced_cost_fixing(
    model: _Model, settings: SolveSettings, time_limit: float, upper_bound: int
) -> int:
    """Fix to 0 the arcs whose LP reduced cost exceeds UB − LB (they cannot be optimal)."""
    h = _highs(settings, time_limit)
    h.setOptionValue("solve_relaxation", True)
    h.passModel(model.lp)
    h.run()
    if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        return 0
    lb = float(h.getInfo().objective_function_value)
    dual = np.asarray(h.getSolution().col_dual)
    value = np.asarray(h.getSolution().col_value)
    nx = len(model.cols)
    slack = upper_bound - lb + 1e-6
    fix = np.nonzero((dual[:nx] > slack) & (value[:nx] < 0.5))[0]
    if len(fix):
        upper = np.asarray(model.lp.col_upper_, dtype=np.float64).copy()
        upper[fix] = 0.0
        model.lp.col_upper_ = upper
    log.info("reduced-cost fixing: %d of %d arcs fixed to 0", len(fix), nx)
    return len(fix)


def feasible_without(problem: ProblemData, rule: str, time_limit: float = 10.0) -> bool:
    """True when the problem has a plan once side rule ``rule`` is dropped."""
    h = _highs(SolveSettings(), time_limit)
    h.passModel(_build(problem, skip=rule).lp)
    h.run()
    return bool(h.getInfo().primal_solution_status == highspy.kSolutionStatusFeasible)
