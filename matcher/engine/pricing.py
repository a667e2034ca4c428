"""Exact MIP on few arcs: column generation over the LP, then reduced-cost fixing.

A whole-city round has ~100 eligible arcs per post, yet an optimal plan uses one and the LP
duals show most others can never pay off. So, with side constraints present:

1. Working set W = the flow optimum's arcs + the ``k`` cheapest arcs of every group.
2. LP over W (elastic side rows, so it is always solvable); price *every* usable arc with the
   LP duals (:func:`matcher.engine.mip.reduced_costs`); add the most negative ones; repeat until
   none is negative, or until the Lagrangian bound (every row dualised but the cadre-slot
   rows, :func:`matcher.engine.mip.lagrangian_bound`) rounds up to the same integer as z(W):
   with integer costs more pricing cannot raise it. LB is valid for every plan on all arcs.
3. MIP over W gives a plan, UB. If UB = LB (or within the relative gap), it is optimal.
4. Otherwise every arc with reduced cost > UB − LB is fixed to 0 — any plan using it costs
   at least LB + its reduced cost — and the MIP over the remaining arcs is solved: optimal
   for the full problem.

If the elastic slacks stay positive (the side rules may be infeasible) or the restricted MIP
finds no plan, ``None`` is returned and the caller solves the full MIP, which decides.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from matcher.engine.flow import Solution, lock_arcs
from matcher.engine.mip import (
    MipOutcome,
    build_model,
    lagrangian_bound,
    reduced_costs,
    solve_lp,
    solve_mip,
)
from matcher.engine.problem import ProblemData
from matcher.engine.sparse_flow import k_best_per_group
from matcher.model.settings import SolveSettings

log = logging.getLogger(__name__)

_START_PER_GROUP = 8
_ADD_PER_GROUP = 4
_MAX_ROUNDS = 60
_EPS = 1e-6


@dataclass(frozen=True, slots=True)
class PricingStats:
    """What the column generation did, for ``Result.notes`` and benchmarks."""

    rounds: int
    working_arcs: int
    kept_arcs: int
    lower_bound: float


def _penalty(problem: ProblemData) -> float:
    big = float(np.abs(problem.arc_cost).max(initial=0)) + float(
        problem.group_vacancy_cost.max(initial=0)
    )
    return 10.0 * big + 1e6


def solve_priced(
    problem: ProblemData,
    settings: SolveSettings,
    deadline: float,
    start: Solution,
    flow_rc: NDArray[np.float64] | None = None,
    *,
    should_stop: Callable[[], bool] | None = None,
    on_improve: Callable[[float, float], None] | None = None,
) -> tuple[MipOutcome, PricingStats] | None:
    """Solve exactly through a priced working set (see module docstring), or return None."""
    usable, _ = lock_arcs(problem)
    key = problem.arc_cost.astype(np.float64) if flow_rc is None else flow_rc
    # candidates for the start: arcs whose key is within the k·groups smallest (cheap to find)
    target = min(problem.n_arcs - 1, 4 * _START_PER_GROUP * max(1, problem.n_groups))
    cut = np.partition(key, target)[target] if target >= 0 else 0.0
    near = usable & (key <= cut)
    work = usable & (start.chosen | k_best_per_group(problem, key, near, _START_PER_GROUP))
    penalty = _penalty(problem)
    lb = -math.inf
    rc = np.zeros(problem.n_arcs)
    rounds = 0
    last = math.inf
    for rounds in range(1, _MAX_ROUNDS + 1):  # noqa: B007 - rounds is reported
        if time.perf_counter() > deadline or (should_stop is not None and should_stop()):
            return None
        model = build_model(problem, work, elastic=True, penalty=penalty)
        lp = solve_lp(model, settings, deadline - time.perf_counter())
        if lp.status != "optimal":
            return None
        rc = reduced_costs(problem, model, lp.row_dual)
        neg = usable & ~work & (rc < -_EPS)
        lagrange, fix_key = lagrangian_bound(problem, model, lp, usable)
        settled = math.ceil(lagrange - _EPS) >= math.ceil(lp.objective - _EPS)
        if not neg.any() or settled:
            if model.n_elastic and lp.values[-model.n_elastic :].max(initial=0) > _EPS:
                return None  # side rows need their slacks: let the full MIP decide
            if neg.any():  # settled by the Lagrangian bound: fix arcs by its penalties
                lb, rc = lagrange, fix_key
            else:  # the LP over W is the LP over all arcs
                lb = lp.objective
            break
        # a stalled objective means degenerate duals: take more arcs per group at once
        stalled = abs(lp.objective - last) <= _EPS * max(1.0, abs(lp.objective))
        last = lp.objective
        work |= k_best_per_group(problem, rc, neg, _ADD_PER_GROUP * (25 if stalled else 1))
    else:
        return None
    remaining = deadline - time.perf_counter()
    first = solve_mip(problem, settings, remaining, mask=work, should_stop=should_stop)
    if first.solution is None or first.objective is None or first.status != "optimal":
        return None
    ub = first.objective
    if on_improve is not None:
        on_improve(float(ub), lb)
    lb_int = math.ceil(lb - _EPS)
    if ub <= lb_int or (ub - lb) <= settings.relative_gap * max(1.0, abs(ub)):
        stats = PricingStats(rounds, int(work.sum()), int(work.sum()), lb)
        return MipOutcome("optimal", first.solution, ub, max(lb, float(lb_int)), 0), stats
    keep = usable & (work | (rc <= ub - lb + _EPS))
    log.info("reduced-cost fixing keeps %d of %d arcs", int(keep.sum()), int(usable.sum()))
    remaining = deadline - time.perf_counter()
    final = solve_mip(
        problem, settings, remaining, mask=keep, should_stop=should_stop, on_improve=on_improve
    )
    if final.solution is None or final.objective is None:
        return MipOutcome("feasible", first.solution, ub, lb, 0), PricingStats(
            rounds, int(work.sum()), int(keep.sum()), lb
        )
    bound = lb if final.bound is None else max(lb, final.bound)
    fixed = int(usable.sum() - keep.sum())
    outcome = MipOutcome(final.status, final.solution, final.objective, bound, fixed)
    return outcome, PricingStats(rounds, int(work.sum()), int(keep.sum()), lb)
