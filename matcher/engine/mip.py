"""Exact MIP over the eligible arcs with HiGHS, for rounds with side constraints.

Variables: one binary per usable arc, one integer per group with optional posts (vacancies).
Rows: each group's posts are filled or vacant (= capacity); each cadre slot holds ≤ 1 post;
each lock holds (≥ 1 of its arcs; the locked slot's other arcs are closed); then the
side-constraint rows of :mod:`matcher.engine.side_constraints`. The matrix is assembled with numpy
as CSR triplets, never row by row. The assignment structure keeps the LP relaxation nearly
integral, so HiGHS usually proves optimality at the root.

:func:`build_model` also builds the model over a working subset of arcs, optionally with
penalised elastic slacks, and :func:`reduced_costs` prices every other arc against its LP
duals: the column generation and reduced-cost fixing of :mod:`matcher.engine.pricing` rest on it.
"""

from __future__ import annotations

import logging
import math
import os
import sys
from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import Any

import highspy
import numpy as np
from numpy.typing import NDArray
from scipy import sparse

from matcher.engine.flow import Solution, lock_arcs, lock_groups, sitting_slots, slot_of_arcs
from matcher.engine.problem import ProblemData
from matcher.engine.side_constraints import Row, rows
from matcher.model.settings import SolveSettings

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
class ArcModel:
    """A HiGHS model over a subset of arcs, with the row layout needed to price other arcs.

    Row order: one per group, one per cadre slot in ``slots``, one per lock, then ``side``.
    ``obj[a]`` is the objective coefficient of arc a (its cost minus any drop cost it saves).
    With ``elastic``, the lock and side rows get penalised slack columns (cost ``penalty``) so
    that a working subset of arcs always has an LP solution.
    """

    cols: NDArray[np.int64]
    vac_groups: NDArray[np.int64]
    slots: NDArray[np.int64]
    locks: list[NDArray[np.int64]]
    side: list[Row]
    obj: NDArray[np.float64]
    n_elastic: int
    lp: Any


def _objective(problem: ProblemData) -> tuple[NDArray[np.float64], float]:
    """Arc objective coefficients and constant: a sitting cadre pays its drop cost unless its
    slot holds a post, i.e. drop·(1 − Σx) = constant − drop on each arc of that slot."""
    slots = slot_of_arcs(problem)
    sit, drop = sitting_slots(problem)
    slot_drop = np.zeros(int(max(slots.max(initial=0), sit.max(initial=0))) + 1, np.int64)
    slot_drop[sit] = drop
    return (problem.arc_cost - slot_drop[slots]).astype(np.float64), float(drop.sum())


def build_model(
    problem: ProblemData,
    mask: NDArray[np.bool_] | None = None,
    *,
    skip: str | Collection[str] | None = None,
    elastic: bool = False,
    penalty: float = 0.0,
    cover: bool = True,
) -> ArcModel:
    """The MIP over the usable arcs in ``mask`` (all usable arcs when None), without the side
    rules named in ``skip`` and, with ``cover=False``, without hard coverage."""
    usable, _ = lock_arcs(problem)
    cols = np.nonzero(usable if mask is None else usable & mask)[0].astype(np.int64)
    nx = len(cols)
    skipped = {skip} if isinstance(skip, str) else set(skip or ())
    required = problem.group_required if cover else np.zeros_like(problem.group_required)
    soft = (problem.group_capacity - required).astype(np.int64)
    vac_groups = np.nonzero(soft > 0)[0].astype(np.int64)

    r_idx: list[NDArray[np.int64]] = []
    c_idx: list[NDArray[np.int64]] = []
    vals: list[NDArray[np.float64]] = []
    lo: list[NDArray[np.float64]] = []
    hi: list[NDArray[np.float64]] = []
    n_rows = 0

    def add(rr: NDArray[np.int64], cc: NDArray[np.int64], lo_: Any, hi_: Any, k: int) -> None:
        nonlocal n_rows
        r_idx.append(rr + n_rows)
        c_idx.append(cc)
        vals.append(np.ones(len(cc)))
        lo.append(np.asarray(lo_, dtype=np.float64).reshape(-1))
        hi.append(np.asarray(hi_, dtype=np.float64).reshape(-1))
        n_rows += k

    # group rows: sum x + v = capacity
    cap = problem.group_capacity.astype(np.float64)
    add(
        np.concatenate([problem.arc_group[cols].astype(np.int64), vac_groups]),
        np.concatenate([np.arange(nx), nx + np.arange(len(vac_groups))]),
        cap,
        cap,
        problem.n_groups,
    )
    # slot rows: sum x <= 1
    uniq, inv = np.unique(slot_of_arcs(problem)[cols], return_inverse=True)
    add(inv.astype(np.int64), np.arange(nx), np.zeros(len(uniq)), np.ones(len(uniq)), len(uniq))
    # lock rows (at least one locked arc each), then side constraints
    pos = np.full(problem.n_arcs, -1, dtype=np.int64)
    pos[cols] = np.arange(nx)
    locks = lock_groups(problem)
    side = [row for row in rows(problem) if row.rule not in skipped]
    first_elastic_row = n_rows
    for arcs in locks:
        cc = pos[arcs]
        cc = cc[cc >= 0]
        add(np.zeros(len(cc), np.int64), cc, 1.0, np.inf, 1)
    for row in side:
        cc = pos[row.arcs]
        cc = cc[cc >= 0]
        add(np.zeros(len(cc), np.int64), cc, row.lo, np.inf if row.hi < 0 else row.hi, 1)
    ncol = nx + len(vac_groups)
    col_cost = [_objective(problem)[0][cols], problem.group_vacancy_cost[vac_groups]]
    col_upper = [np.ones(nx), soft[vac_groups].astype(np.float64)]
    n_elastic = 0
    if elastic:  # +s (shortfall) and −s (excess) on every lock and side row
        k = n_rows - first_elastic_row
        rr = np.arange(first_elastic_row, n_rows, dtype=np.int64)
        r_idx += [rr, rr]
        c_idx += [ncol + np.arange(k), ncol + k + np.arange(k)]
        vals += [np.ones(k), -np.ones(k)]
        n_elastic = 2 * k
        ncol += n_elastic
        col_cost.append(np.full(n_elastic, penalty))
        col_upper.append(np.full(n_elastic, np.inf))

    mat = sparse.csr_matrix(
        (np.concatenate(vals), (np.concatenate(r_idx), np.concatenate(c_idx))),
        shape=(n_rows, ncol),
    )
    lp = highspy.HighsLp()
    lp.num_col_ = ncol
    lp.num_row_ = n_rows
    obj, offset = _objective(problem)
    lp.offset_ = offset
    lp.col_cost_ = np.concatenate(col_cost).astype(np.float64)
    lp.col_lower_ = np.zeros(ncol)
    lp.col_upper_ = np.concatenate(col_upper)
    lp.row_lower_ = np.concatenate(lo)
    lp.row_upper_ = np.concatenate(hi)
    lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
    lp.a_matrix_.start_ = mat.indptr.astype(np.int32)
    lp.a_matrix_.index_ = mat.indices.astype(np.int32)
    lp.a_matrix_.value_ = mat.data
    lp.a_matrix_.num_row_ = n_rows
    lp.a_matrix_.num_col_ = ncol
    lp.integrality_ = [highspy.HighsVarType.kInteger] * (ncol - n_elastic) + [
        highspy.HighsVarType.kContinuous
    ] * n_elastic
    return ArcModel(cols, vac_groups, uniq.astype(np.int64), locks, side, obj, n_elastic, lp)


def reduced_costs(
    problem: ProblemData,
    model: ArcModel,
    row_dual: NDArray[np.float64],
    *,
    with_slots: bool = True,
) -> NDArray[np.float64]:
    """LP reduced cost of every arc (in the model or not) under the model's row duals.

    A slot without a row in the model has a slack ``≤ 1`` row in the extended LP, whose dual
    is 0; so pricing arcs outside the model is exact. ``with_slots=False`` leaves the slot
    duals out (for :func:`lagrangian_bound`, which keeps the slot rows)."""
    y = np.asarray(row_dual, dtype=np.float64)
    ng, ns = problem.n_groups, len(model.slots)
    rc = model.obj - y[problem.arc_group]
    if with_slots and ns:
        slots = slot_of_arcs(problem)
        at = np.clip(np.searchsorted(model.slots, slots), 0, ns - 1)
        rc -= np.where(model.slots[at] == slots, y[ng + at], 0.0)
    k = ng + ns
    for arcs in model.locks:
        rc[arcs] -= y[k]
        k += 1
    for row in model.side:
        rc[row.arcs] -= y[k]
        k += 1
    return np.asarray(rc)


def lagrangian_bound(
    problem: ProblemData, model: ArcModel, lp: LpOutcome, usable: NDArray[np.bool_]
) -> tuple[float, NDArray[np.float64]]:
    """A lower bound on every plan over *all* usable arcs from the model's LP duals, and per
    arc how much using it raises that bound.

    Dualise every row but the cadre-slot rows; what remains splits by slot: each slot takes
    its most negative reduced-cost arc or none. Valid for any duals; tight when the working
    set already holds the arcs that matter. A plan using arc a costs at least
    bound + penalty[a], so arcs with penalty > UB − bound can be fixed to 0."""
    y = lp.row_dual
    ng, ns = problem.n_groups, len(model.slots)
    lo = np.asarray(model.lp.row_lower_, dtype=np.float64)
    hi = np.asarray(model.lp.row_upper_, dtype=np.float64)
    rows = np.r_[np.arange(ng), np.arange(ng + ns, len(y))]
    yr = y[rows]
    side = np.where(yr > 0, lo[rows], np.where(yr < 0, hi[rows], 0.0))
    none = np.full(problem.n_arcs, np.inf)
    if not np.all(np.isfinite(side)):
        return -math.inf, none
    bound = float(model.lp.offset_) + float(yr @ side)
    nx = len(model.cols)
    extra = lp.col_dual[nx:]
    ub = np.asarray(model.lp.col_upper_, dtype=np.float64)[nx:]
    neg = extra < 0
    if np.any(neg & ~np.isfinite(ub)):
        return -math.inf, none
    bound += float((extra[neg] * ub[neg]).sum())
    rc = reduced_costs(problem, model, y, with_slots=False)
    slots = slot_of_arcs(problem)
    best = np.zeros(int(slots.max(initial=0)) + 1)
    np.minimum.at(best, slots[usable], rc[usable])
    return bound + float(best.sum()), np.asarray(rc - best[slots])


def quiet_highs() -> highspy.Highs:
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


def run_highs(h: highspy.Highs) -> None:
    """``h.run()``, and once more after restarting HiGHS's thread scheduler when it refused to
    start: the scheduler is process-wide and keeps the thread count of the first solve, so a
    later solve asking another count fails (kError, nothing solved) instead of solving."""
    status = h.run()
    if (
        status == highspy.HighsStatus.kError
        and h.getModelStatus() == highspy.HighsModelStatus.kNotset
    ):
        highspy.Highs.resetGlobalScheduler(True)
        h.run()


def _highs(settings: SolveSettings, time_limit: float) -> highspy.Highs:
    h = quiet_highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("time_limit", max(0.01, time_limit))
    h.setOptionValue("mip_rel_gap", settings.relative_gap)
    h.setOptionValue("random_seed", settings.seed)
    h.setOptionValue("threads", settings.threads)
    return h


def _solution(problem: ProblemData, model: ArcModel, values: NDArray[np.float64]) -> Solution:
    nx = len(model.cols)
    chosen = np.zeros(problem.n_arcs, dtype=bool)
    chosen[model.cols[np.rint(values[:nx]) > 0]] = True
    vacant = np.zeros(problem.n_groups, dtype=np.int32)
    nv = len(model.vac_groups)
    vacant[model.vac_groups] = np.rint(values[nx : nx + nv]).astype(np.int32)
    return Solution(chosen, vacant)


def solve_mip(
    problem: ProblemData,
    settings: SolveSettings,
    time_limit: float,
    *,
    mask: NDArray[np.bool_] | None = None,
    should_stop: Callable[[], bool] | None = None,
    on_improve: Callable[[float, float], None] | None = None,
) -> MipOutcome:
    """Solve over the arcs in ``mask`` (all when None) to optimality within
    ``settings.relative_gap`` with HiGHS. With a mask the result is optimal only for the
    restricted arc set; :mod:`matcher.engine.pricing` decides when that is enough."""
    model = build_model(problem, mask)
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
    run_highs(h)
    status = h.getModelStatus()
    if status == highspy.HighsModelStatus.kModelEmpty:
        return _empty_model(problem, model)
    info = h.getInfo()
    bound = float(info.mip_dual_bound) if np.isfinite(info.mip_dual_bound) else None
    if status == highspy.HighsModelStatus.kInfeasible:
        return MipOutcome("infeasible", None, None, None, 0)
    if info.primal_solution_status != highspy.kSolutionStatusFeasible:
        return MipOutcome("unknown", None, None, bound, 0)
    sol = _solution(problem, model, np.asarray(h.getSolution().col_value))
    word = "optimal" if status == highspy.HighsModelStatus.kOptimal else "feasible"
    return MipOutcome(word, sol, sol.cost(problem), bound, 0)


@dataclass(frozen=True, slots=True)
class LpOutcome:
    """LP relaxation: status word, objective (with offset), column values and row duals."""

    status: str
    objective: float
    values: NDArray[np.float64]
    row_dual: NDArray[np.float64]
    col_dual: NDArray[np.float64]


def solve_lp(model: ArcModel, settings: SolveSettings, time_limit: float) -> LpOutcome:
    """The LP relaxation of a model (dual simplex)."""
    h = _highs(settings, time_limit)
    h.setOptionValue("solve_relaxation", True)
    h.passModel(model.lp)
    run_highs(h)
    status = h.getModelStatus()
    if status == highspy.HighsModelStatus.kModelEmpty:
        empty = np.zeros(0)
        rows = np.zeros(model.lp.num_row_)
        return LpOutcome("empty", float(model.lp.offset_), empty, rows, empty)
    if status != highspy.HighsModelStatus.kOptimal:
        word = "infeasible" if status == highspy.HighsModelStatus.kInfeasible else "unknown"
        return LpOutcome(word, float("nan"), np.zeros(0), np.zeros(0), np.zeros(0))
    sol = h.getSolution()
    return LpOutcome(
        "optimal",
        float(h.getInfo().objective_function_value),
        np.asarray(sol.col_value, dtype=np.float64),
        np.asarray(sol.row_dual, dtype=np.float64),
        np.asarray(sol.col_dual, dtype=np.float64),
    )


def _empty_model(problem: ProblemData, model: ArcModel) -> MipOutcome:
    """No columns: feasible exactly when every row admits 0 (the empty plan)."""
    lo = np.asarray(model.lp.row_lower_, dtype=np.float64)
    hi = np.asarray(model.lp.row_upper_, dtype=np.float64)
    if np.any(lo > 0) or np.any(hi < 0):
        return MipOutcome("infeasible", None, None, None, 0)
    sol = _solution(problem, model, np.zeros(0))
    cost = sol.cost(problem)
    return MipOutcome("optimal", sol, cost, float(cost), 0)


def feasible_without(
    problem: ProblemData, rule: str | Collection[str], time_limit: float = 10.0, cover: bool = True
) -> bool:
    """True when the problem has a plan once side rule(s) ``rule`` are dropped (and hard
    coverage too with ``cover=False``)."""
    h = _highs(SolveSettings(), time_limit)
    h.passModel(build_model(problem, skip=rule, cover=cover).lp)
    run_highs(h)
    status = h.getModelStatus()
    if status == highspy.HighsModelStatus.kModelEmpty:
        model = build_model(problem, skip=rule, cover=cover)
        return _empty_model(problem, model).status != "infeasible"
    return bool(h.getInfo().primal_solution_status == highspy.kSolutionStatusFeasible)
