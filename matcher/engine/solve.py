"""The engine entry point: choose the exact method, run it, and package a :class:`Result`.

``method="auto"`` (the default):

1. Cheap counting checks (locks, quotas, skill mix) — a certain conflict is reported at once.
2. With side rules (or many arcs): the network with the skill mix inside, as a post × slot
   assignment (:mod:`matcher.engine.split_network`); if its plan keeps the remaining rows it is
   optimal, and one broken quota row is settled by Newton on its Lagrangian multiplier.
3. Otherwise min-cost flow over the eligible arcs. Without side constraints it is the whole
   problem: status optimal, gap 0. If the flow is infeasible, so is every rule set
   containing it, and a Hall violator (min cut) names the posts that lack eligible cadres.
4. With quotas or skill mix left open, column generation + reduced-cost fixing + MIP
   (:mod:`matcher.engine.pricing`), or the plain MIP (HiGHS), decides; the flow and split bounds are
   carried along. The time limit and ``should_stop`` are honoured between phases.

``method="flow"`` insists on the flow (side constraints then make it a relaxation and the
result says so); ``"mip"`` skips straight to HiGHS; ``"cpsat"`` uses OR-Tools CP-SAT on the
same model, seeded with the flow plan.
"""

from __future__ import annotations

import logging
import math
import time
from dataclasses import replace

from matcher.engine.assignments import build_assignments, objective_terms, unplaced
from matcher.engine.flow import Solution, flex_lock_needs_mip
from matcher.engine.infeasibility import flow_conflicts, side_conflicts, static_conflicts
from matcher.engine.mip import MipOutcome, solve_mip
from matcher.engine.pricing import PricingStats, solve_priced
from matcher.engine.problem import ProblemData
from matcher.engine.progress import Progress, ProgressCallback, StopCheck, never_stop, no_progress
from matcher.engine.result import Conflict, Result, Status
from matcher.engine.side_constraints import violations
from matcher.engine.sparse_flow import SPARSE_FROM, solve_flow_sparse
from matcher.engine.split_network import solve_split
from matcher.model.settings import SolveSettings

log = logging.getLogger(__name__)


def _result(
    problem: ProblemData,
    status: Status,
    method: str,
    started: float,
    settings: SolveSettings,
    *,
    sol: Solution | None = None,
    bound: float | None = None,
    conflicts: tuple[Conflict, ...] = (),
    notes: list[str] | None = None,
) -> Result:
    notes = list(problem.warnings) + (notes or [])
    if sol is None:
        return Result(
            status=status,
            objective=None,
            bound=bound,
            gap=None,
            terms={},
            method=method,
            time_s=time.perf_counter() - started,
            conflicts=conflicts,
            unplaced_cadres=(),
            seed=settings.seed,
            notes=tuple(notes),
        )
    obj = sol.cost(problem)
    if status is Status.OPTIMAL and bound is None:
        bound = float(obj)
    if status is Status.OPTIMAL and bound is not None and obj > math.ceil(bound - 1e-6):
        # costs are integers: a plan above ⌈bound⌉ is only proven within the relative gap
        status = Status.FEASIBLE
        notes.append(f"proven within the relative gap only: bound {bound:.0f}, not optimal")
    gap = None if bound is None else max(0.0, obj - bound) / max(1.0, abs(obj))
    posts = build_assignments(problem, sol)
    return Result(
        status=status,
        objective=obj,
        bound=bound,
        gap=gap,
        terms=objective_terms(problem, sol),
        method=method,
        time_s=time.perf_counter() - started,
        assignments=posts,
        conflicts=conflicts,
        unplaced_cadres=unplaced(problem, sol),
        seed=settings.seed,
        notes=tuple(notes),
    )


def solve(
    problem: ProblemData,
    settings: SolveSettings | None = None,
    *,
    progress: ProgressCallback | None = None,
    should_stop: StopCheck | None = None,
    reductions: bool = True,
    over_candidates: bool = False,
) -> Result:
    """Solve a problem exactly; never raises for infeasible input (see module docstring).
    ``reductions=False`` runs the split phase without the saturated-quota reduction (the
    earlier path; benchmarks compare both).

    Over candidate pairs that left some out (``problem.pairs_complete`` false) an optimum or
    a conflict holds only for those pairs: the status becomes ``feasible`` (no bound) or
    ``unknown`` unless ``over_candidates`` asks for the answer over the candidates as is
    (:func:`geodata.pipeline.run_round` then proves it over all pairs,
    :mod:`matcher.engine.completion`).
    """
    result = _solve(
        problem, settings, progress=progress, should_stop=should_stop, reductions=reductions
    )
    if problem.pairs_complete or over_candidates:
        return result
    return over_some_pairs(result)


def over_some_pairs(result: Result) -> Result:
    """A result over incomplete candidate pairs, said honestly: no optimum or conflict proven."""
    if result.status is Status.OPTIMAL:
        note = "optimal over the candidate pairs only; left-out pairs were not priced"
        return replace(
            result, status=Status.FEASIBLE, bound=None, gap=None, notes=(*result.notes, note)
        )
    if result.status is Status.INFEASIBLE:
        note = "the rules conflict over the candidate pairs; left-out pairs may resolve it"
        return replace(result, status=Status.UNKNOWN, notes=(*result.notes, note))
    if result.status is Status.FEASIBLE:
        return replace(result, bound=None, gap=None)
    return result


def _solve(
    problem: ProblemData,
    settings: SolveSettings | None = None,
    *,
    progress: ProgressCallback | None = None,
    should_stop: StopCheck | None = None,
    reductions: bool = True,
) -> Result:
    settings = settings or SolveSettings()
    report = progress or no_progress
    stop = should_stop or never_stop
    started = time.perf_counter()
    method = settings.method

    report(Progress("check", 0.0, "checking locks, quotas and skill mix"))
    certain = static_conflicts(problem)
    if certain:
        return _result(problem, Status.INFEASIBLE, "check", started, settings, conflicts=certain)
    if stop():
        return _result(problem, Status.UNKNOWN, method, started, settings, notes=["stopped"])

    # An either-type lock with one post per type is not a network: its flow would force both
    # types (neither a valid plan nor a valid bound), so such rounds go straight to the MIP.
    network = not flex_lock_needs_mip(problem)
    deadline = started + settings.time_limit_s
    split_bound: float | None = None
    fast_path = problem.has_side_constraints or problem.n_arcs >= SPARSE_FROM
    if network and method == "auto" and fast_path:
        report(Progress("flow", 0.1, "network with the skill mix inside"))
        fast = solve_split(problem, deadline, stop, reductions=reductions)
        if fast.solution is not None:
            obj = fast.solution.cost(problem)
            report(Progress("done", 1.0, "optimal", objective=obj, bound=fast.bound))
            return _result(
                problem, Status.OPTIMAL, fast.method, started, settings, sol=fast.solution,
                notes=list(fast.notes),
            )  # fmt: skip
        split_bound = fast.bound
        if (stop() or time.perf_counter() > deadline) and fast.feasible is not None:
            note = "stopped before optimality was proven; the plan keeps every rule"
            return _result(
                problem, Status.FEASIBLE, fast.method, started, settings, sol=fast.feasible,
                bound=split_bound, notes=[note],
            )  # fmt: skip
        if stop() or time.perf_counter() > deadline:
            note = "stopped before a plan was found"
            return _result(
                problem, Status.UNKNOWN, fast.method, started, settings, bound=split_bound,
                notes=[note],
            )  # fmt: skip
    flow_sol: Solution | None = None
    if network and method in ("auto", "flow", "cpsat"):
        report(Progress("flow", 0.1, "min-cost flow over eligible pairs"))
        sparse = solve_flow_sparse(problem, deadline)
        flow = sparse.outcome
        if flow.status == "time limit":
            note = "time limit reached in the min-cost flow"
            return _result(
                problem, Status.UNKNOWN, "flow", started, settings, bound=split_bound,
                notes=[note],
            )  # fmt: skip
        if flow.solution is None:
            conflicts = flow_conflicts(problem)
            return _result(
                problem, Status.INFEASIBLE, "flow", started, settings, conflicts=conflicts
            )
        flow_sol = flow.solution
        flow_obj = flow_sol.cost(problem)
        report(Progress("flow", 0.3, "flow optimum", objective=flow_obj, bound=flow_obj))
        if not problem.has_side_constraints:
            return _result(problem, Status.OPTIMAL, "flow", started, settings, sol=flow_sol)
        broken = violations(problem, flow_sol)
        if not broken:
            note = "flow optimum keeps every side constraint, so it is optimal for the full problem"
            return _result(
                problem, Status.OPTIMAL, "flow", started, settings, sol=flow_sol, notes=[note]
            )
        if method == "flow":
            note = "method 'flow' ignores side constraints; the plan breaks: " + "; ".join(broken)
            return _result(
                problem, Status.UNKNOWN, "flow", started, settings, bound=flow_obj, notes=[note]
            )
    lower = None if flow_sol is None else float(flow_sol.cost(problem))
    if split_bound is not None:
        lower = split_bound if lower is None else max(lower, split_bound)
    remaining = settings.time_limit_s - (time.perf_counter() - started)

    def improved(obj: float, bound: float) -> None:
        report(Progress("search", 0.6, "better plan", objective=round(obj), bound=bound))

    priced: tuple[MipOutcome, PricingStats] | None = None
    pricing_notes: list[str] = []
    if method == "cpsat":
        report(Progress("search", 0.4, "CP-SAT seeded with the flow plan"))
        # imported here: CP-SAT's module pulls in pandas (≈ 1–2 s of every CLI start)
        from matcher.engine.cpsat import solve_cpsat

        outcome: MipOutcome = solve_cpsat(problem, settings, remaining, hint=flow_sol, stop=stop)
        used = "cpsat"
    else:
        if flow_sol is not None:
            report(Progress("search", 0.4, "LP column generation from the flow plan"))
            deadline = started + settings.time_limit_s
            priced = solve_priced(
                problem,
                settings,
                deadline,
                flow_sol,
                sparse.reduced_cost,
                should_stop=stop,
                on_improve=improved,
            )
        if priced is not None:
            outcome, stats = priced
            used = "flow+pricing+mip"
            pricing_notes = [
                f"column generation: {stats.rounds} LP rounds, {stats.working_arcs} working "
                f"arcs; reduced-cost fixing kept {stats.kept_arcs} of {problem.n_arcs} arcs"
            ]
        else:
            report(Progress("search", 0.5, "HiGHS MIP over all eligible pairs"))
            remaining = settings.time_limit_s - (time.perf_counter() - started)
            outcome = solve_mip(problem, settings, remaining, should_stop=stop, on_improve=improved)
            used = "flow+mip" if flow_sol is not None else "mip"
    bound = outcome.bound
    if lower is not None:
        bound = lower if bound is None else max(bound, lower)
    if outcome.status == "infeasible":
        conflicts = side_conflicts(problem)
        return _result(problem, Status.INFEASIBLE, used, started, settings, conflicts=conflicts)
    if outcome.solution is None:
        notes = ["stopped before a plan was found"]
        return _result(problem, Status.UNKNOWN, used, started, settings, bound=bound, notes=notes)
    status = Status.OPTIMAL if outcome.status == "optimal" else Status.FEASIBLE
    notes = pricing_notes if priced is not None else []
    if status is Status.OPTIMAL and outcome.objective is not None:
        bound = float(outcome.objective) if bound is None else min(bound, outcome.objective)
    report(Progress("done", 1.0, status.value, objective=outcome.objective, bound=bound))
    return _result(
        problem, status, used, started, settings, sol=outcome.solution, bound=bound, notes=notes
    )
