"""Compare the engine's answer on a round with the independent model's (see independent.py).

:func:`disagreements` solves the round through :func:`geodata.pipeline.run_round` (pairs from
geodata, then the engine) with one method and lists, in words, everything the engine says that the
independent model contradicts: status, objective, terms, bound, every rule on the plan, and
infeasibility reports that name rules the round does not have.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from geodata.pairs import candidate_pairs
from geodata.pipeline import run_round
from matcher import validate_round
from matcher.engine.result import Result, Status
from matcher.model.round import Round
from tests.crosscheck.independent import (
    TERM_NAMES,
    TYPES,
    Optimum,
    Triple,
    broken_rules,
    distances,
    optimum,
    plan_terms,
)

METHODS = ("auto", "flow", "mip", "cpsat")


def rule_names(rnd: Round) -> set[str]:
    """Names of the hard rules in force in the round, as conflicts may cite them."""
    r = rnd.rules
    names = {
        name
        for name, on in (
            ("one_post_per_cadre", r.one_post_per_cadre.enabled),
            ("coverage", r.coverage.enabled and not r.coverage.allow_vacancies),
            ("availability", r.availability.enabled),
            ("max_distance", r.max_distance.enabled),
            ("own_district", r.own_district.enabled),
            ("exclude_disqualified", r.exclude_disqualified.enabled),
            ("pairing", r.pairing.enabled),
            ("forbidden_pairs", bool(r.forbidden_pairs)),
            ("locks", bool(r.locks)),
            ("clearances", r.clearances.enabled and bool(r.clearances.required)),
            ("party_secretary", r.party_secretary.enabled),
            ("vetting", r.vetting.enabled),
        )
        if on
    }
    names |= {f"rank_floors[{k}]" for k, f in enumerate(r.rank_floors) if f.enabled}
    names |= {f"source_quotas[{k}]" for k, q in enumerate(r.source_quotas) if q.enabled}
    names |= {f"skill_mix[{k}]" for k, m in enumerate(r.skill_mix) if m.enabled}
    return names


def plan_of(rnd: Round, result: Result) -> list[Triple]:
    """The engine's filled posts as (cadre, community, type) triples."""
    cad, com = rnd.cadre_index(), rnd.community_index()
    return [
        (cad[a.cadre_id], com[a.community_id], TYPES.index(a.post_type))
        for a in result.assignments
        if a.cadre_id is not None
    ]


def check_result(
    rnd: Round, dist: np.ndarray, best: Optimum, result: Result, method: str
) -> list[str]:
    """What the engine's result says that the independent answer ``best`` contradicts."""
    out: list[str] = []
    side = any(q.enabled for q in rnd.rules.source_quotas) or any(
        m.enabled for m in rnd.rules.skill_mix
    )
    st = result.status
    if st is Status.INFEASIBLE:
        if not best.infeasible:
            out.append(f"engine infeasible, independent optimum {best.objective}")
        extra = {n for c in result.conflicts for n in c.rules} - rule_names(rnd)
        if extra:
            out.append(f"conflicts name rules not in the round: {sorted(extra)}")
        if not result.conflicts:
            out.append("infeasible without a conflict")
        return out
    if st is Status.UNKNOWN:
        stopped = any("stopped" in n or "time limit" in n for n in result.notes)
        if not (method == "flow" and side) and not stopped:  # a time-out claims nothing
            out.append(f"status unknown ({'; '.join(result.notes)})")
        elif (
            best.objective is not None
            and (-math.inf if result.bound is None else result.bound) > best.objective + 1e-6
        ):
            out.append(f"bound {result.bound} above the optimum {best.objective}")
        return out
    plan = plan_of(rnd, result)
    broken = broken_rules(rnd, dist, plan)
    if broken:
        out.append("plan breaks: " + "; ".join(broken[:5]))
    terms = plan_terms(rnd, dist, plan)
    total = sum(terms.values())
    if result.objective != total:
        out.append(f"objective {result.objective}, recomputed from the plan {total}")
    for name in TERM_NAMES:
        if result.terms.get(name, 0) != terms[name]:
            out.append(f"term {name}: {result.terms.get(name, 0)} vs {terms[name]}")
    if best.infeasible:
        out.append(f"engine {st.value} {result.objective}, independent model infeasible")
        return out
    assert best.objective is not None
    if st is Status.OPTIMAL and result.objective != best.objective:
        out.append(f"optimal {result.objective}, independent optimum {best.objective}")
    if st is Status.FEASIBLE:
        if result.objective is not None and result.objective < best.objective:
            out.append(f"feasible {result.objective} below the optimum {best.objective}")
        if result.bound is not None and result.bound > best.objective + 1e-6:
            out.append(f"bound {result.bound} above the optimum {best.objective}")
    return out


def disagreements(
    raw: dict[str, Any], methods: tuple[str, ...] = METHODS, k_nearest: int | None = None
) -> list[str]:
    """Every disagreement between the engine (each method) and the independent model; with
    ``k_nearest`` the engine starts from each community's k nearest eligible cadres (the
    truncated candidates of big rounds without a distance rule) and must prove the rest."""
    rnd = validate_round(raw)
    dist = distances(rnd)
    best = optimum(rnd, dist)
    out: list[str] = []
    for method in methods:
        settings = rnd.settings.model_copy(update={"method": method})
        solved = rnd.model_copy(update={"settings": settings})
        pairs = None if k_nearest is None else candidate_pairs(solved, k_nearest=k_nearest)
        result = run_round(solved, pairs=pairs).result
        out += [f"{method}: {d}" for d in check_result(rnd, dist, best, result, method)]
    return out
