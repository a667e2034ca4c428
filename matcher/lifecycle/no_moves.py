"""How many posts stay vacant if no sitting cadre moves: the proven optimum of that level.

The replacement's note compares its plan with "nobody who may stay moves": every sitting
cadre whose post the rules still allow keeps it, and the free and new cadres (and those the
events force out) fill what they can. That count is itself an optimisation — which free
cadre takes which empty post — so it is solved exactly (level 1 of
:mod:`matcher.lifecycle.levels` with the stayers locked to their posts), never read off the
starting placement, which has placed no free cadre yet.
"""

from __future__ import annotations

import dataclasses

import numpy as np
from numpy.typing import NDArray

from matcher.engine.problem import ProblemData
from matcher.lifecycle.levels import solve_levels
from matcher.model.settings import SolveSettings


def stayers(problem: ProblemData, orig_group: NDArray[np.int64]) -> NDArray[np.int64]:
    """Cadres who hold a post the problem still allows them (their own arc is open)."""
    p = problem
    own = (orig_group[p.arc_cadre] >= 0) & (p.arc_group == orig_group[p.arc_cadre])
    return np.unique(p.arc_cadre[own]).astype(np.int64)


def no_move_vacancies(
    problem: ProblemData,
    orig_group: NDArray[np.int64],
    arc_mask: NDArray[np.bool_],
    settings: SolveSettings,
    deadline: float,
) -> int | None:
    """Fewest vacant posts when every stayer keeps the post (None: not proven in time, or no
    plan keeps the rules that way)."""
    p = problem
    stay = stayers(p, orig_group)
    if not len(stay):
        return None
    g = orig_group[stay]
    mask = arc_mask.copy()
    moving = np.isin(p.arc_cadre, stay) & (p.arc_group != orig_group[p.arc_cadre])
    if p.one_post_per_cadre:
        mask &= ~moving
    else:  # only the held type's slot is pinned
        mask &= ~(moving & (p.group_type[p.arc_group] == p.group_type[orig_group[p.arc_cadre]]))
    locked = dataclasses.replace(
        p,
        lock_cadre=np.concatenate([p.lock_cadre, stay.astype(np.int32)]),
        lock_community=np.concatenate([p.lock_community, p.group_community[g]]),
        lock_type=np.concatenate([p.lock_type, p.group_type[g].astype(np.int8)]),
        lock_issue=(*p.lock_issue, *([""] * len(stay))),
    )
    out = solve_levels(locked, orig_group, mask, settings, deadline, depth=1)
    if out.status != "optimal" or not out.values:
        return None
    return int(out.values[0])


__all__ = ["no_move_vacancies", "stayers"]
