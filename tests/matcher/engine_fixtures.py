"""Shared helpers for engine tests: load rounds and build candidate pairs by haversine."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

from matcher import Round, validate_round
from matcher.engine.pairs import CandidatePairs
from matcher.engine.problem import ProblemData, build_problem
from matcher.engine.result import Result
from matcher.engine.solve import solve

ROUNDS = Path(__file__).resolve().parents[1] / "data" / "rounds"


def haversine_m(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Great-circle distance in metres on a 6,371 km sphere."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6_371_000 * math.asin(math.sqrt(h))


def all_pairs(rnd: Round) -> CandidatePairs:
    """Every (cadre, community) pair with its haversine distance (tests only: dense)."""
    cad, com, dist = [], [], []
    for j, c in enumerate(rnd.communities):
        assert c.location is not None
        for i, k in enumerate(rnd.cadres):
            cad.append(i)
            com.append(j)
            dist.append(haversine_m(k.location.lon, k.location.lat, c.location.lon, c.location.lat))
    return CandidatePairs.from_arrays(cad, com, dist)


def load_raw(name: str) -> dict[str, Any]:
    """Raw JSON of a round fixture under tests/data/rounds/."""
    data: dict[str, Any] = json.loads((ROUNDS / name).read_text(encoding="utf-8"))
    return data


def problem_of(raw: dict[str, Any]) -> tuple[Round, ProblemData]:
    """Validate a raw round and build its problem over all pairs."""
    rnd = validate_round(raw)
    return rnd, build_problem(rnd, all_pairs(rnd))


def two_towns() -> dict[str, Any]:
    """Raw JSON of the two-town rule fixture (see its description)."""
    return load_raw("rules_two_towns.json")


def arc_set(problem: ProblemData) -> set[tuple[str, str, str]]:
    """Eligible arcs as (cadre id, community id, post type)."""
    types = ("full-time", "part-time")
    return {
        (
            problem.cadre_ids[problem.arc_cadre[a]],
            problem.community_ids[problem.group_community[problem.arc_group[a]]],
            types[problem.group_type[problem.arc_group[a]]],
        )
        for a in range(problem.n_arcs)
    }


def plan_of(result: Result) -> dict[tuple[str, str], str | None]:
    """(community id, post type) → cadre id for single-post groups (None = vacant)."""
    return {(a.community_id, a.post_type): a.cadre_id for a in result.assignments}


def solved(raw: dict[str, Any]) -> tuple[ProblemData, Result]:
    """Build and solve a raw round with its own settings."""
    rnd, problem = problem_of(raw)
    return problem, solve(problem, rnd.settings)


BASE_PLAN = {
    ("N1", "full-time"): "A",
    ("N1", "part-time"): "E",
    ("S1", "full-time"): "C",
    ("S1", "part-time"): "B",
}
"""Optimum of the unmodified two-town round (-739 points), worked out in test_rules_*."""
