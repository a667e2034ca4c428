"""The exact fallback: the lexicographic replacement as three MIPs solved in turn (HiGHS).

Used when side rules bind (a quota the augmenting plan breaks, a skill mix that cannot be
kept by the network), when a lock does not hold, or when the starting placement is a choice.
Level 1 minimises vacant posts; level 2 minimises moves of sitting cadres with vacancies
fixed at their optimum; level 3 minimises cost with both fixed. Each level is proven by
HiGHS (bound = value) or the status says how far it got.
"""

from __future__ import annotations

import dataclasses
import time
from dataclasses import dataclass

import highspy
import numpy as np
from numpy.typing import NDArray

from matcher.engine.flow import Solution
from matcher.engine.mip import _highs, _solution, build_model, run_highs
from matcher.engine.problem import ProblemData
from matcher.model.settings import SolveSettings


@dataclass(frozen=True, slots=True)
class LevelsOutcome:
    """Plan (or None), each level's value and bound, and the status word."""

    solution: Solution | None
    values: tuple[int, ...]
    bounds: tuple[float, ...]
    status: str


def _variant(
    problem: ProblemData,
    arc_cost: NDArray[np.int64],
    vac: NDArray[np.int64],
    drop: NDArray[np.int64],
    cur_type: NDArray[np.int8],
) -> ProblemData:
    return dataclasses.replace(
        problem,
        arc_cost=arc_cost,
        group_vacancy_cost=vac,
        cadre_drop_cost=drop,
        cadre_current_type=cur_type,
        group_required=np.zeros_like(problem.group_required),
    )


def solve_levels(
    problem: ProblemData,
    orig_group: NDArray[np.int64],
    arc_mask: NDArray[np.bool_],
    settings: SolveSettings,
    deadline: float,
    depth: int = 3,
) -> LevelsOutcome:
    """Vacancies, then moves, then cost; each an exact HiGHS solve with the earlier fixed
    (only the first ``depth`` levels)."""
    p = problem
    sitting = orig_group != -1
    held = np.maximum(orig_group, 0)
    held_type = np.where(orig_group >= 0, p.group_type[held], np.maximum(p.cadre_current_type, 0))
    # a move is an arc of the sitting slot (the held post's type) to another group
    own_slot = p.one_post_per_cadre | (p.group_type[p.arc_group] == held_type[p.arc_cadre])
    moved = sitting[p.arc_cadre] & own_slot & (orig_group[p.arc_cadre] != p.arc_group)
    cur_type = np.where(sitting, held_type, -1).astype(np.int8)
    zeros_a = np.zeros(p.n_arcs, dtype=np.int64)
    zeros_c = np.zeros(len(p.cadre_ids), dtype=np.int64)
    levels = [
        _variant(p, zeros_a, np.ones(p.n_groups, np.int64), zeros_c, cur_type),
        _variant(
            p,
            moved.astype(np.int64),
            np.zeros(p.n_groups, np.int64),
            sitting.astype(np.int64),
            cur_type,
        ),
        _variant(p, p.arc_cost - p.arc_change, p.group_vacancy_cost, zeros_c, cur_type),
    ]
    fixed: list[tuple[NDArray[np.int32], NDArray[np.float64], float]] = []
    values: list[int] = []
    bounds: list[float] = []
    sol: Solution | None = None
    for variant in levels[:depth]:
        model = build_model(variant, arc_mask)
        nx, nv = len(model.cols), len(model.vac_groups)
        coef = np.concatenate([model.obj[model.cols], variant.group_vacancy_cost[model.vac_groups]])
        h = _highs(settings, max(0.01, deadline - time.perf_counter()))
        h.setOptionValue("mip_rel_gap", 0.0)  # each level exact, not within a gap
        h.passModel(model.lp)
        for idx, val, rhs in fixed:
            h.addRow(-highspy.kHighsInf, rhs, len(idx), idx, val)
        run_highs(h)
        status = h.getModelStatus()
        info = h.getInfo()
        if status == highspy.HighsModelStatus.kInfeasible:
            return LevelsOutcome(None, tuple(values), tuple(bounds), "infeasible")
        if info.primal_solution_status != highspy.kSolutionStatusFeasible:
            return LevelsOutcome(sol, tuple(values), tuple(bounds), "unknown")
        x = np.asarray(h.getSolution().col_value)
        sol = _solution(variant, model, x)
        offset = float(model.lp.offset_)
        value = round(float(coef @ np.rint(x[: nx + nv])) + offset)
        bound = float(info.mip_dual_bound) if np.isfinite(info.mip_dual_bound) else float(value)
        values.append(value)
        bounds.append(min(bound, float(value)))
        if status != highspy.HighsModelStatus.kOptimal:
            return LevelsOutcome(sol, tuple(values), tuple(bounds), "feasible")
        nz = np.nonzero(coef)[0].astype(np.int32)
        fixed.append((nz, coef[nz].astype(np.float64), value - offset))
    return LevelsOutcome(sol, tuple(values), tuple(bounds), "optimal")
