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


def _fill_reasons(
    problem: ProblemData, arcs: NDArray[np.int64], terms: dict[str, list[int]], locked: list[bool]
) -> list[str]:
    """The technical reason of every filled post (one per arc of ``arcs``)."""
    km = (problem.arc_distance_m[arcs] / 1000).tolist()
    cadre = problem.arc_cadre[arcs]
    rank = problem.cadre_rank[cadre].tolist()
    wishes = (
        np.asarray(problem.cadre_wishes, dtype=np.int64)[cadre].tolist()
        if problem.cadre_wishes
        else [0] * len(arcs)
    )
    out: list[str] = []
    for i in range(len(arcs)):
        parts = [f"{km[i]:.1f} km"]
        if terms["skill_fit"][i]:
            parts.append("has required skills")
        if terms["weak_priority"][i]:
            parts.append(f"{CANONICAL[Rank(rank[i])]} cadre for a weak community")
        if wishes[i] and terms["preference"][i] == 0:
            parts.append("1st choice")  # only a cadre who stated wishes has a choice to name
        if terms["change"][i]:
            parts.append("moved from current post")
        if locked[i]:
            parts.append("locked by planner")
        out.append("; ".join(parts))
    return out


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
    _, locked_arcs = lock_arcs(problem)
    arrays = _term_arrays(problem)
    placed = np.zeros(len(problem.cadre_ids), dtype=bool)
    placed[problem.arc_cadre[sol.chosen]] = True
    chosen = np.nonzero(sol.chosen)[0]
    starts = np.searchsorted(problem.arc_group[chosen], np.arange(problem.n_groups + 1)).tolist()
    # per chosen arc, plain Python values: no numpy scalar per post in the loop below
    terms = {name: arrays[name][chosen].tolist() for name in TERMS}
    locked = locked_arcs[chosen].tolist()
    reasons = _fill_reasons(problem, chosen, terms, locked)
    ids = problem.cadre_ids
    cadre = problem.arc_cadre[chosen].tolist()
    dist = problem.arc_distance_m[chosen].tolist()
    cost = problem.arc_cost[chosen].tolist()
    g_com = problem.group_community.tolist()
    g_type = problem.group_type.tolist()
    split = [dict(zip(TERMS, t, strict=True)) for t in zip(*(terms[n] for n in TERMS), strict=True)]
    vacant = sol.vacant.tolist()
    out: list[Assignment] = []
    for g in range(problem.n_groups):
        com = problem.community_ids[g_com[g]]
        ptype = POST_TYPES[g_type[g]]
        slot = FIRST_SLOT
        for i in range(starts[g], starts[g + 1]):
            out.append(
                Assignment(com, ptype, slot, ids[cadre[i]], dist[i], cost[i], split[i],
                           reasons[i], locked[i])
            )  # fmt: skip
            slot += 1
        if vacant[g]:
            reason = _vacancy_reason(problem, g, sol, placed)
            v_cost = int(problem.group_vacancy_cost[g])
            for _ in range(vacant[g]):
                out.append(
                    Assignment(com, ptype, slot, None, None, v_cost, {"vacancy": v_cost}, reason)
                )
                slot += 1
    return tuple(out)


def unplaced(problem: ProblemData, sol: Solution) -> tuple[str, ...]:
    """Cadres with no post, in round order."""
    placed = np.zeros(len(problem.cadre_ids), dtype=bool)
    placed[problem.arc_cadre[sol.chosen]] = True
    return tuple(problem.cadre_ids[i] for i in np.nonzero(~placed)[0])
