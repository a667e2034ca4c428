"""Benchmark rounds at city, Datong and province scale, plus tight- and loose-pool variants.

* ``city``: the Jinzhou seed scenario (247 communities × (1 + 2) posts, 1,000 cadres).
* ``datong``: the Datong seed scenario (1,381 compounds) with its roster topped up to 3,000
  cadres by *spares*: copies of random roster members (same unit, level, rank, skills,
  availability) living within 500 m of the original, with no preferences or current post.
* ``province``: ``geodata.scenarios.generate("province", seed)`` (10,000 communities × 3
  posts, 40,000 cadres).
* ``province-nodist``: the province with ``max_distance`` off (:func:`without_distance_rule`):
  measured end to end through :func:`geodata.pipeline.run_round` (pairs, solve and the proof
  over left-out pairs), since its pairs are incomplete.
* ``city-tight`` / ``city-loose``: :func:`pool_round`, 247 communities over a 30 km square in
  Jinzhou's four urban districts, one intended cadre per post living near it (so the round is
  feasible) and every rule on. Tight: 5 % spares and a 0.65 km distance limit, about two
  eligible cadres per post. Loose: the same places and intended cadres, 1,000 cadres and a
  5 km limit. The tables report the measured eligible cadres per post.

Every round is a pure function of its seed.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from geodata.pairs import candidate_pairs
from geodata.scenarios import generate
from matcher.engine.pairs import CandidatePairs
from matcher.engine.problem import ProblemData, build_problem
from matcher.model.community_twins import twin_ids
from matcher.model.identity import IdentityChoices
from matcher.model.round import Community, Round
from matcher.model.validate import Origin, validate_round

KM_PER_DEG = 111.32
HOME_KM = 0.55  # intended cadres live this close to their post
TIGHT_KM = 0.65
LOOSE_KM = 5.0
CENTRE = (121.127, 41.112)  # Jinzhou
QUADRANTS = (("210702", "古塔区"), ("210703", "凌河区"), ("210711", "太和区"), ("210781", "凌海市"))
DEPTS = (
    ("财政局", ("finance",)),
    ("交通运输局", ("transport",)),
    ("民政局", ("civil-affairs",)),
    ("信访局", ("petitions",)),
    ("司法局", ("law",)),
    ("教育局", ("education",)),
    ("应急管理局", ("emergency",)),
    ("总工会", ("mass-work",)),
)


@dataclass(frozen=True)
class Scale:
    """A named benchmark round: how to make it and what it stands for."""

    name: str
    make: Callable[[int], Round]
    seed: int
    description: str


@dataclass(frozen=True)
class Instance:
    """A benchmark round with its candidate pairs and the engine's problem data."""

    round: Round
    pairs: CandidatePairs
    problem: ProblemData


def _offsets(rng: np.random.Generator, n: int, km: float, lat: float) -> np.ndarray:
    """``n`` (dlon, dlat) offsets uniform in a disc of radius ``km``."""
    r = km * np.sqrt(rng.random(n))
    t = rng.random(n) * 2 * math.pi
    return np.column_stack(
        [r * np.cos(t) / (KM_PER_DEG * math.cos(math.radians(lat))), r * np.sin(t) / KM_PER_DEG]
    )


def pool_round(seed: int, *, tight: bool) -> Round:
    """City-scale round with a tight (≈ 2 eligible per post) or loose candidate pool."""
    rng = np.random.Generator(np.random.PCG64(seed))
    n, side_km = 247, 30.0
    lon0, lat0 = CENTRE
    xy = rng.random((n, 2)) * side_km - side_km / 2
    quad = (xy[:, 0] > 0).astype(int) + 2 * (xy[:, 1] < 0).astype(int)
    lon = lon0 + xy[:, 0] / (KM_PER_DEG * math.cos(math.radians(lat0)))
    lat = lat0 + xy[:, 1] / KM_PER_DEG
    weak = set(rng.choice(n, size=12, replace=False).tolist())
    paired = sorted(rng.choice(sorted(set(range(n)) - weak), size=3, replace=False).tolist())
    coms: list[dict[str, Any]] = []
    for i in range(n):
        code, name = QUADRANTS[quad[i]]
        coms.append(
            {
                "id": f"P{i:03d}",
                "name": f"社区{i}",
                "district": {"code": code, "name": name},
                "location": {"lon": round(float(lon[i]), 6), "lat": round(float(lat[i]), 6)},
                "weak": i in weak,
                "stars": int(rng.integers(0, 3)) if i in weak else int(rng.integers(2, 6)),
                "required_skills": {"full_time": ["party-building"] if i in weak else []},
                "paired_units": [f"{name}第{i}中学"] if i in paired else [],
            }
        )
    cads: list[dict[str, Any]] = []

    def cadre(anchor: int, slot: int, spare: bool) -> dict[str, Any]:
        code, dname = QUADRANTS[quad[anchor]]
        city = rng.random() < (0.4 if slot == 0 else 0.3)
        dept, skills = DEPTS[int(rng.integers(len(DEPTS)))]
        if anchor in weak and slot == 1 and not spare:
            dept, skills = DEPTS[int(rng.integers(2))]  # an economic part-timer
        rank = int(rng.choice(5, p=[0.4, 0.3, 0.2, 0.08, 0.02]))
        if anchor in weak and slot == 0 and not spare:
            rank = max(rank, 1)
        extra = ["party-building"] if rng.random() < 0.3 else []
        avail = "either" if spare or rng.random() < 0.3 else ("full-time", "part-time")[slot > 0]
        d = _offsets(rng, 1, HOME_KM, lat0)[0]
        unit = ("市" if city else dname) + dept
        if anchor in paired and slot == 0 and not spare:
            unit, city = coms[anchor]["paired_units"][0], False
        return {
            "id": f"G{len(cads):04d}",
            "name": f"干部{len(cads)}",
            "unit": unit,
            "level": "city" if city else "county",
            "home_district": code,
            "political_status": "中共党员",
            "rank": ("科员", "副科", "正科", "副县", "正县")[rank],
            "skills": sorted({*skills, *extra}),
            "availability": avail,
            "location": {
                "lon": round(float(lon[anchor] + d[0]), 6),
                "lat": round(float(lat[anchor] + d[1]), 6),
            },
        }

    for i in range(n):
        for slot in range(3):
            cads.append(cadre(i, slot, spare=False))
    spares = int(0.05 * 3 * n) if tight else 1000 - 3 * n
    anchors = rng.integers(0, n, spares)
    for a in anchors:
        cads.append(cadre(int(a), int(rng.integers(3)), spare=True))
        if rng.random() < 0.05:
            cads[-1]["disqualifications"] = [{"code": "D11", "reason": "试用期未满"}]
    city_ft = sum(1 for k in range(0, 3 * n, 3) if cads[k]["level"] == "city")
    locks = [
        {"cadre": cads[3 * int(i)]["id"], "community": coms[int(i)]["id"], "post_type": "full-time"}
        for i in rng.choice(sorted(set(range(n)) - weak), size=5, replace=False)
    ]
    forbidden = [
        {"cadre": cads[3 * n + int(k)]["id"], "community": coms[int(anchors[k])]["id"]}
        for k in rng.choice(spares, size=5, replace=False)
    ]
    rules = {
        "max_distance": {"km": TIGHT_KM if tight else LOOSE_KM},
        "rank_floors": [
            {"name": "weak: 副科 or above", "min_rank": "副科", "where": {"weak": True}}
        ],
        "source_quotas": [
            {
                "name": "city first secretaries",
                "level": "city",
                "min": int(0.9 * city_ft),
                "max": int(1.1 * city_ft) + 1,
            }
        ],
        "skill_mix": [{"name": "weak: an economic part-timer", "any_of": ["finance", "transport"]}],
        "pairing": {"enabled": True},
        "locks": locks,
        "forbidden_pairs": forbidden,
    }
    kind = "tight" if tight else "loose"
    raw = {
        "name": f"city-{kind}",
        "description": f"Benchmark: 247 communities, {kind} candidate pool",
        "communities": coms,
        "cadres": cads,
        "rules": rules,
        "settings": {"seed": seed},
        # random points: distinct communities by construction, confirmed as a planner would
        "identity": {"distinct_communities": _distinct(coms)},
    }
    return validate_round(raw, Origin(f"benchmark city-{kind}"))


def _distinct(coms: list[dict[str, Any]]) -> list[list[str]]:
    """The generated pairs the community twin check would report (docs/round.md, Identity)."""
    parsed = [Community.model_validate(c) for c in coms]
    return twin_ids(parsed, IdentityChoices().community_distance_m)


def with_spares(rnd: Round, total: int, seed: int) -> Round:
    """``rnd`` with its roster topped up to ``total`` cadres by spares (see module docstring)."""
    rng = np.random.Generator(np.random.PCG64(seed))
    extra = total - len(rnd.cadres)
    if extra <= 0:
        return rnd
    picks = rng.integers(0, len(rnd.cadres), extra)
    spares = []
    for k, p in enumerate(picks.tolist()):
        src = rnd.cadres[p]
        d = _offsets(rng, 1, 0.5, src.location.lat)[0]
        loc = src.location.model_copy(
            update={"lon": src.location.lon + float(d[0]), "lat": src.location.lat + float(d[1])}
        )
        update = {
            "id": f"SP{k:05d}",
            "location": loc,
            "preferences": [],
            "current_post": None,
            "disqualifications": [],
        }
        spares.append(src.model_copy(update=update))
    return rnd.model_copy(update={"cadres": [*rnd.cadres, *spares]})


def binding_quota(rnd: Round, minimum: int) -> Round:
    """``rnd`` with the minimum of its first source quota raised (made binding on purpose)
    and its maximum lifted."""
    quotas = list(rnd.rules.source_quotas)
    quotas[0] = quotas[0].model_copy(update={"min": minimum, "max": None})
    return rnd.model_copy(update={"rules": rnd.rules.model_copy(update={"source_quotas": quotas})})


def without_distance_rule(rnd: Round) -> Round:
    """``rnd`` with its ``max_distance`` rule off: candidate pairs are each community's
    nearest eligible cadres, and the plan is proven over all pairs by pricing the rest."""
    rules = rnd.rules.model_copy(
        update={"max_distance": rnd.rules.max_distance.model_copy(update={"enabled": False})}
    )
    return rnd.model_copy(update={"rules": rules})


SCALES: dict[str, Scale] = {
    s.name: s
    for s in (
        Scale("city", lambda seed: generate("jinzhou", seed), 0, "Jinzhou: 247 × 3 posts, 1,000"),
        Scale(
            "city-tight",
            lambda seed: pool_round(seed, tight=True),
            5,
            "247 × 3 posts, tight pool (0.65 km)",
        ),
        Scale(
            "city-loose",
            lambda seed: pool_round(seed, tight=False),
            5,
            "247 × 3 posts, loose pool (5 km)",
        ),
        Scale(
            "datong",
            lambda seed: with_spares(generate("datong", seed), 3000, seed),
            3,
            "Datong: 1,381 compounds, 3,000 cadres",
        ),
        Scale("province", lambda seed: generate("province", seed), 4, "10,000 × 3 posts, 40,000"),
        Scale(
            "province-binding",
            lambda seed: binding_quota(generate("province", seed), 6000),
            4,
            "the province with its quota made binding (min 6,000 city first secretaries)",
        ),
        Scale(
            "province-nodist",
            lambda seed: without_distance_rule(generate("province", seed)),
            4,
            "the province without its distance rule (nearest cadres, then the proof)",
        ),
    )
}


def load(scale: str, seed: int | None = None) -> Instance:
    """Generate scale ``scale`` (default seed of the scale), its pairs and its problem."""
    s = SCALES[scale]
    rnd = s.make(s.seed if seed is None else seed)
    pairs = candidate_pairs(rnd)
    return Instance(rnd, pairs, build_problem(rnd, pairs))
