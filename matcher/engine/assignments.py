"""Turn a solution (chosen arcs, vacancies per group) into the posts of a :class:`Result`.

Every post is listed: filled posts of a group first (cadres in round order), then its
vacancies, numbered from 1 within the community and post type (as people count: the roster,
``explain --post``, the maps, the API and plan.json all use this number). Each post carries
its cost split into terms and a short technical reason; the roster's reasons in words are
built from the round by :mod:`matcher.model.io.reasons`.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from matcher.engine.eligibility import POST_TYPES
from matcher.engine.flow import Solution, lock_arcs
from matcher.engine.objective import TERMS
from matcher.engine.problem import ProblemData
from matcher.engine.result import FIRST_SLOT, Assignment
from matcher.model.ranks import CANONICAL, Rank


def _term_arrays(problem: ProblemData) -> dict[str, NDArray[np.int64]]:
    return {
        "distance": problem.arc_distance,
        "skill_fit": problem.arc_skill_fit,
        "weak_priority": problem.arc_weak_priority,
        "preference": problem.arc_preference,
        "change": problem.arc_change,
    }


def objective_terms(problem: ProblemData, sol: Solution) -> dict[str, int]:
    """Objective split into named terms (points); they sum to ``sol.cost(problem)``."""
    out = {name: int(arr[sol.chosen].sum()) for name, arr in _term_arrays(problem).items()}
    out["change"] += sol.drop_cost(problem)
    out["vacancy"] = sol.vacancy_cost(problem)
    return out


def _fill_reason(problem: ProblemData, a: int, terms: dict[str, int], locked: bool) -> str:
    parts = [f"{problem.arc_distance_m[a] / 1000:.1f} km"]
    if terms["skill_fit"]:
        parts.append("has required skills")
    if terms["weak_priority"]:
        parts.append(
            f"{CANONICAL[Rank(int(problem.cadre_rank[problem.arc_cadre[a]]))]} cadre "
            "for a weak community"
        )
    cadre = int(problem.arc_cadre[a])
    wishes = problem.cadre_wishes[cadre] if problem.cadre_wishes else 0
    if wishes and terms["preference"] == 0:
        parts.append("1st choice")  # only a cadre who stated wishes has a choice to name
    if terms["change"]:
        parts.append("moved from current post")
    if locked:
        parts.append("locked by planner")
    return "; ".join(parts)


def _vacancy_reason(problem: ProblemData, g: int, sol: Solution, placed: NDArray[np.bool_]) -> str:
    lo, hi = np.searchsorted(problem.arc_group, [g, g + 1])
    eligible = int(hi - lo)
    if eligible == 0:
        cands = int(problem.group_candidates[g])
        why = [
            f"{word}: {int(n)}"
            for word, n in zip(problem.prune_words, problem.group_pruned[g], strict=True)
            if n
        ]
        tail = f" ({'; '.join(why)})" if why else ""
        return f"no eligible cadre among {cands} candidate pairs{tail}"
    if placed[problem.arc_cadre[lo:hi]].all():
        return f"all {eligible} eligible cadres hold other posts"
    return (
        f"vacancy penalty ({int(problem.group_vacancy_cost[g])} points) is below the cost of "
        "every free eligible cadre under the rules in force"
    )


def build_assignments(problem: ProblemData, sol: Solution) -> tuple[Assignment, ...]:
    """Every post of the round, filled or vacant, in group order."""
    _, locked = lock_arcs(problem)
    arrays = _term_arrays(problem)
    placed = np.zeros(len(problem.cadre_ids), dtype=bool)
    placed[problem.arc_cadre[sol.chosen]] = True
    chosen = np.nonzero(sol.chosen)[0]
    starts = np.searchsorted(problem.arc_group[chosen], np.arange(problem.n_groups + 1))
    out: list[Assignment] = []
    for g in range(problem.n_groups):
        com = problem.community_ids[problem.group_community[g]]
        ptype = POST_TYPES[problem.group_type[g]]
        slot = FIRST_SLOT
        for a in chosen[starts[g] : starts[g + 1]]:
            terms = {name: int(arrays[name][a]) for name in TERMS}
            out.append(
                Assignment(
                    community_id=com,
                    post_type=ptype,
                    slot=slot,
                    cadre_id=problem.cadre_ids[problem.arc_cadre[a]],
                    distance_m=int(problem.arc_distance_m[a]),
                    cost=int(problem.arc_cost[a]),
                    terms=terms,
                    reason=_fill_reason(problem, int(a), terms, bool(locked[a])),
                    locked=bool(locked[a]),
                )
            )
            slot += 1
        if sol.vacant[g]:
            reason = _vacancy_reason(problem, g, sol, placed)
            cost = int(problem.group_vacancy_cost[g])
            for _ in range(int(sol.vacant[g])):
                out.append(
                    Assignment(com, ptype, slot, None, None, cost, {"vacancy": cost}, reason)
                )
                slot += 1
    return tuple(out)


def unplaced(problem: ProblemData, sol: Solution) -> tuple[str, ...]:
    """Cadres with no post, in round order."""
    placed = np.zeros(len(problem.cadre_ids), dtype=bool)
    placed[problem.arc_cadre[sol.chosen]] = True
    return tuple(problem.cadre_ids[i] for i in np.nonzero(~placed)[0])
