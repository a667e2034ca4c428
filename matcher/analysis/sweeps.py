"""Sweeps: many solves of one round, in parallel processes or on a Ray cluster.

- :func:`weight_sweep` re-solves the round for each value of one weight and returns the
  trade-off curve (e.g. total travel against the strength of weak communities' first
  secretaries as ``weak_priority`` grows).
- :func:`dropout_study` lets ``fraction`` of the posted cadres withdraw at random, ``trials``
  times, and re-plans from the base plan with ``weights.change > 0`` (current posts = the base
  plan), so the fewest moves fill the gaps: how many posts must change, how KPIs move.

Candidate pairs are measured once by the caller and reused (dropping cadres filters pairs), so
no geography runs here. Each solve is a :class:`SolveTask` of plain picklable data handed to
the module-level :func:`solve_task`; by default a local process pool (spawn context, explicit
``workers``) runs them, and with ``address`` the same tasks run on a Ray cluster
(``ray.init(address=...)``). Ray is imported only in that path.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from multiprocessing import get_context
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from matcher.analysis.diff import diff_plans
from matcher.analysis.kpis import Kpis, plan_kpis
from matcher.analysis.scenario import Scenario, apply_scenario, carry_pairs, from_plan
from matcher.engine.pairs import CandidatePairs
from matcher.engine.problem import build_problem
from matcher.engine.result import Result
from matcher.engine.solve import solve
from matcher.model.round import Round
from matcher.model.weights import Weights

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class SolveTask:
    """One solve as plain data: the round as JSON and the candidate pair arrays."""

    round_json: str
    cadre: NDArray[np.int32]
    community: NDArray[np.int32]
    distance_m: NDArray[np.int32]
    reach_m: NDArray[np.float64] | None = None

    @classmethod
    def of(cls, rnd: Round, pairs: CandidatePairs) -> SolveTask:
        """Pack a round and its pairs (with their reach: truncated pairs stay unproven)."""
        return cls(
            rnd.model_dump_json(), pairs.cadre, pairs.community, pairs.distance_m, pairs.reach_m
        )


def solve_task(task: SolveTask) -> Result:
    """Worker: rebuild the round and pairs, build the problem, solve with the round's settings."""
    rnd = Round.model_validate_json(task.round_json)
    pairs = CandidatePairs(task.cadre, task.community, task.distance_m, task.reach_m)
    return solve(build_problem(rnd, pairs), rnd.settings)


def run_tasks(
    tasks: Sequence[SolveTask], *, workers: int = 2, address: str | None = None
) -> list[Result]:
    """Solve every task; results in task order. ``address``: run on that Ray cluster."""
    if not tasks:
        return []
    if address is not None:
        return _run_ray(tasks, address)
    if workers < 1:
        raise ValueError(f"workers must be at least 1, got {workers}")
    n = min(workers, len(tasks))
    log.info("solving %d rounds in %d local processes", len(tasks), n)
    with ProcessPoolExecutor(max_workers=n, mp_context=get_context("spawn")) as pool:
        return list(pool.map(solve_task, tasks))


def _run_ray(tasks: Sequence[SolveTask], address: str) -> list[Result]:
    import ray  # optional dependency: only this path needs it

    started = not ray.is_initialized()
    if started:
        package = str(Path(__file__).resolve().parent)
        ray.init(
            address=address,
            runtime_env={"py_modules": [package]},
            logging_level=logging.WARNING,
            log_to_driver=False,
        )
    try:
        remote = ray.remote(num_cpus=1)(solve_task)
        log.info("solving %d rounds on Ray at %s", len(tasks), address)
        results: list[Result] = ray.get([remote.remote(t) for t in tasks])
        return results
    finally:
        if started:
            ray.shutdown()


@dataclass(frozen=True, slots=True)
class SweepPoint:
    """One solve of a sweep: the weight value and what the plan achieved."""

    weight: str
    value: int
    status: str
    objective: int | None
    kpis: Kpis | None


def weight_sweep(
    rnd: Round,
    pairs: CandidatePairs,
    weight: str,
    values: Sequence[int],
    *,
    workers: int = 2,
    address: str | None = None,
) -> list[SweepPoint]:
    """Solve the round once per value of ``weight`` (a :class:`Weights` field)."""
    if weight not in Weights.model_fields:
        raise ValueError(
            f"unknown weight {weight!r}; expected one of {', '.join(Weights.model_fields)}"
        )
    rounds = [apply_scenario(rnd, Scenario(weights={weight: int(v)})) for v in values]
    results = run_tasks([SolveTask.of(r, pairs) for r in rounds], workers=workers, address=address)
    return [
        SweepPoint(
            weight,
            int(v),
            res.status.value,
            res.objective,
            plan_kpis(r, res) if res.is_feasible() else None,
        )
        for v, r, res in zip(values, rounds, results, strict=True)
    ]


@dataclass(frozen=True, slots=True)
class DropoutTrial:
    """One trial: who withdrew, and how the re-plan differs from the base plan.

    ``posts_changed`` counts posts whose holder differs (the withdrawn cadres' posts
    included); ``moves`` counts cadres who kept a post but a different one; ``newcomers``
    cadres placed now who had no post before.
    """

    trial: int
    withdrawn: tuple[str, ...]
    status: str
    objective: int | None
    posts_changed: int
    moves: int
    newcomers: int
    vacancies: int
    kpis: Kpis | None


def withdrawals(
    cadre_ids: Sequence[str], fraction: float, trials: int, seed: int
) -> list[tuple[str, ...]]:
    """Who withdraws in each trial: ``round(fraction · n)`` (at least 1) of the given cadres,
    drawn in trial t from ``numpy.random.default_rng([seed, t])`` (independent, reproducible)."""
    pool = sorted(cadre_ids)
    k = max(1, round(fraction * len(pool)))
    out: list[tuple[str, ...]] = []
    for t in range(trials):
        rng = np.random.default_rng([seed, t])
        out.append(tuple(sorted(str(c) for c in rng.choice(pool, size=k, replace=False))))
    return out


def dropout_study(
    rnd: Round,
    pairs: CandidatePairs,
    base: Result,
    *,
    fraction: float,
    trials: int,
    seed: int,
    change: int = 1_000,
    allow_vacancies: bool = True,
    workers: int = 2,
    address: str | None = None,
) -> list[DropoutTrial]:
    """Withdraw ``fraction`` of the posted cadres at random in each trial and re-plan.

    Who withdraws is :func:`withdrawals` of the posted cadres. ``change`` is the weight of
    moving a sitting cadre (must be > 0). With ``allow_vacancies`` (the default) a gap that no
    eligible cadre can fill stays open at the vacancy penalty instead of making the whole trial
    infeasible: mid-term, an empty post is an answer the planner needs to see.
    """
    if not 0 < fraction < 1:
        raise ValueError(f"fraction must be between 0 and 1, got {fraction}")
    if change <= 0:
        raise ValueError("change must be positive so the re-plan keeps sitting cadres")
    if not base.is_feasible():
        raise ValueError(f"the base plan is {base.status.value}: nothing to withdraw from")
    sitting = from_plan(rnd, base)
    rules = {"coverage": {"allow_vacancies": True}} if allow_vacancies else {}
    sitting = apply_scenario(sitting, Scenario(weights={"change": change}, rules=rules))
    placed = [a.cadre_id for a in base.assignments if a.cadre_id is not None]
    gone = withdrawals(placed, fraction, trials, seed)
    rounds = [
        apply_scenario(sitting, Scenario(name=f"dropout {t}", remove_cadres=list(out)))
        for t, out in enumerate(gone)
    ]
    tasks = [SolveTask.of(r, carry_pairs(sitting, pairs, r)) for r in rounds]
    results = run_tasks(tasks, workers=workers, address=address)
    trials_out: list[DropoutTrial] = []
    for t, (r, res) in enumerate(zip(rounds, results, strict=True)):
        if not res.is_feasible():
            trials_out.append(DropoutTrial(t, gone[t], res.status.value, None, 0, 0, 0, 0, None))
            continue
        d = diff_plans(sitting, base, r, res)
        counts = d.counts()
        trials_out.append(
            DropoutTrial(
                trial=t,
                withdrawn=gone[t],
                status=res.status.value,
                objective=res.objective,
                posts_changed=len(d.changed()),
                moves=counts["moved"],
                newcomers=counts["new"],
                vacancies=len(res.vacancies),
                kpis=plan_kpis(r, res),
            )
        )
    return trials_out


__all__ = [
    "DropoutTrial",
    "SolveTask",
    "SweepPoint",
    "dropout_study",
    "run_tasks",
    "solve_task",
    "weight_sweep",
    "withdrawals",
]
