"""Random rounds that switch every rule on and off, from one seed (reproducible by number).

:func:`random_round` draws a raw JSON round: communities and cadres in a 40 × 40 km box over
two or three districts, and at random: coverage on/off with or without vacancies and per post
type, one post per cadre on/off, availability, max distance on/off, rank floors, own
district, source quotas, skill mix, pairing, forbidden pairs, locks, disqualifications,
current posts, preferences, and weights that do or do not make vacancies dominant; the
default rules (first secretary a Party member, vetting answers obeyed) on and off.
"""

from __future__ import annotations

from typing import Any

import numpy as np

TYPES = ["full-time", "part-time"]
SKILLS = ["finance", "transport", "law", "party-building", "petitions"]
RANKS = ["科员", "副科", "正科", "副县", "正县"]
DISTRICTS = [
    {"code": "210702", "name": "古塔区"},
    {"code": "210703", "name": "凌河区"},
    {"code": "210711", "name": "太和区"},
]
UNITS = ["市财政局", "市交通局", "古塔区民政局", "凌河区住建局", "市信访局"]


def _sub(rng: np.random.Generator, items: list[Any], most: int) -> list[Any]:
    k = int(rng.integers(0, min(most, len(items)) + 1))
    return [items[j] for j in sorted(rng.choice(len(items), size=k, replace=False))]


def _coin(rng: np.random.Generator, p: float = 0.5) -> bool:
    return bool(rng.random() < p)


SECRETARY = ["model", "backbone", "potential", "caretaker"]
EDUCATION = ["大学本科", "硕士研究生", "大专"]
DEPARTMENTS = ["discipline", "petitions", "audit"]


def _cadre_selector(rng: np.random.Generator) -> dict[str, Any]:
    """Empty half of the time, else one or two conditions on the new cadre attributes."""
    if _coin(rng):
        return {}
    options: list[tuple[str, Any]] = [
        ("party_member", _coin(rng, 0.7)),
        ("secretary_types", _sub(rng, SECRETARY, 2) or ["backbone"]),
        ("reserve", _coin(rng)),
        ("leading_group", _coin(rng)),
        ("education", _sub(rng, EDUCATION, 2) or ["大学本科"]),
        ("tags", ["young"]),
    ]
    chosen = _sub(rng, options, 2) or [options[0]]
    return {**dict(chosen), "match": "all" if _coin(rng) else "any"}


def _attributes(rng: np.random.Generator) -> dict[str, Any]:
    """Party membership (stated or by political status), secretary type, reserve, leading
    group, education, tags and department clearances of one cadre."""
    out: dict[str, Any] = {}
    if _coin(rng, 0.3):
        out["party_member"] = _coin(rng)
    elif _coin(rng):
        out["political_status"] = ["中共党员", "预备党员", "群众"][int(rng.integers(0, 3))]
    if _coin(rng, 0.6):
        out["secretary_type"] = SECRETARY[int(rng.integers(0, 4))]
    out["reserve"] = _coin(rng, 0.3)
    out["leading_group"] = _coin(rng, 0.3)
    if _coin(rng, 0.7):
        out["education"] = EDUCATION[int(rng.integers(0, 3))]
    out["tags"] = ["young"] if _coin(rng, 0.3) else []
    out["clearances"] = [
        {
            "department": d,
            "status": ["cleared", "cleared", "pending", "refused"][int(rng.integers(0, 4))],
        }
        for d in _sub(rng, DEPARTMENTS, 3)
    ]
    return out


def _selector(rng: np.random.Generator, coms: list[dict[str, Any]]) -> dict[str, Any]:
    com_ids = [c["id"] for c in coms]
    kind = int(rng.integers(0, 4))
    if kind == 0:
        return {"weak": True}
    if kind == 1:
        return {"districts": [coms[int(rng.integers(0, len(coms)))]["district"]["code"]]}
    if kind == 2:
        return {"max_stars": int(rng.integers(1, 4)), "weak": True, "match": "any"}
    return {"communities": _sub(rng, com_ids, 3)}


def random_round(
    seed: int, max_communities: int = 6, max_cadres: int = 12, min_communities: int = 1
) -> dict[str, Any]:
    """A random raw round (see module docstring); sizes up to max_communities / max_cadres."""
    rng = np.random.default_rng(seed)
    n_com = int(rng.integers(min_communities, max_communities + 1))
    n_cad = int(rng.integers(min(2 * n_com, max_cadres), max_cadres + 1))
    n_dist = int(rng.integers(1, 4))

    def place() -> dict[str, float]:
        return {
            "lon": round(121.0 + 0.45 * rng.random(), 5),
            "lat": round(41.0 + 0.36 * rng.random(), 5),
        }

    coms = []
    for j in range(n_com):
        coms.append(
            {
                "id": f"M{j}",
                "name": f"社区{j}",
                "district": DISTRICTS[int(rng.integers(0, n_dist))],
                "location": place(),
                "weak": _coin(rng, 0.3),
                "stars": None if _coin(rng, 0.2) else int(rng.integers(0, 6)),
                "tags": ["conflict-heavy"] if _coin(rng, 0.2) else [],
                "posts": {
                    "full_time": int(rng.integers(0, 3)),
                    "part_time": int(rng.integers(0, 3)),
                },
                "required_skills": {
                    "full_time": _sub(rng, SKILLS, 2),
                    "part_time": _sub(rng, SKILLS, 2),
                },
                "paired_units": _sub(rng, UNITS, 1) if _coin(rng, 0.3) else [],
            }
        )
    com_ids = [c["id"] for c in coms]
    cads = []
    for i in range(n_cad):
        cad: dict[str, Any] = {
            "id": f"K{i}",
            "name": f"干部{i}",
            "unit": UNITS[int(rng.integers(0, len(UNITS)))],
            "level": ["city", "county", "street"][int(rng.integers(0, 3))],
            "home_district": DISTRICTS[int(rng.integers(0, n_dist))]["code"],
            "rank": RANKS[int(rng.integers(0, 5))],
            "skills": _sub(rng, SKILLS, 2),
            "availability": ["full-time", "part-time", "either"][int(rng.integers(0, 3))],
            "location": place(),
            "preferences": _sub(rng, com_ids, 3) if _coin(rng, 0.4) else [],
        }
        cad.update(_attributes(rng))
        if _coin(rng, 0.1):
            cad["disqualifications"] = [{"code": "D1", "reason": "审查中"}]
        if _coin(rng, 0.3):
            cad["current_post"] = {
                "community": com_ids[int(rng.integers(0, n_com))],
                "post_type": TYPES[int(rng.integers(0, 2))],
            }
        cads.append(cad)
    cad_ids = [c["id"] for c in cads]

    def pair() -> dict[str, Any]:
        return {
            "cadre": cad_ids[int(rng.integers(0, n_cad))],
            "community": com_ids[int(rng.integers(0, n_com))],
            "post_type": [None, *TYPES][int(rng.integers(0, 3))],
        }

    rules: dict[str, Any] = {
        "one_post_per_cadre": {"enabled": _coin(rng, 0.7)},
        "coverage": {
            "enabled": _coin(rng, 0.8),
            "allow_vacancies": _coin(rng, 0.5),
            "post_types": [TYPES, ["full-time"], ["part-time"]][int(rng.integers(0, 3))],
        },
        "availability": {"enabled": _coin(rng, 0.8)},
        "max_distance": {"enabled": _coin(rng), "km": float(rng.choice([8, 12.5, 20, 40]))},
        "own_district": {
            "enabled": _coin(rng, 0.3),
            "levels": _sub(rng, ["county", "street"], 2) or ["county"],
        },
        "exclude_disqualified": {"enabled": _coin(rng, 0.8)},
        "pairing": {"enabled": _coin(rng, 0.2), "cadres": _cadre_selector(rng)},
        "clearances": {"enabled": _coin(rng, 0.3), "required": _sub(rng, DEPARTMENTS, 1)},
        "rank_floors": [
            {
                "name": f"底线{k}",
                "enabled": _coin(rng, 0.8),
                "min_rank": RANKS[int(rng.integers(1, 4))],
                "post_type": TYPES[int(rng.integers(0, 2))],
                "where": _selector(rng, coms),
                "levels": _sub(rng, ["city", "county"], 1),
                "cadres": _cadre_selector(rng),
            }
            for k in range(int(rng.integers(0, 3)))
        ],
        "source_quotas": [],
        "skill_mix": [
            {
                "name": f"技能{k}",
                "enabled": _coin(rng, 0.8),
                "post_type": TYPES[int(rng.integers(0, 2))],
                "where": _selector(rng, coms),
                "any_of": _sub(rng, SKILLS, 2),
                "min_count": 1 if _coin(rng, 0.8) else 2,
                "cadres": _cadre_selector(rng),
            }
            for k in range(int(rng.integers(0, 3)) if _coin(rng, 0.4) else 0)
        ],
        "forbidden_pairs": [pair() for _ in range(int(rng.integers(0, 3)))],
        "locks": [],
    }
    for k in range(int(rng.integers(0, 3))):
        lo = None if _coin(rng) else int(rng.integers(0, 3))
        hi = int(rng.integers(0, 5)) if lo is None or _coin(rng) else None
        if hi is not None and lo is not None and hi < lo:
            lo, hi = hi, lo
        quota: dict[str, Any] = {
            "name": f"配额{k}",
            "enabled": _coin(rng, 0.8),
            "post_type": TYPES[int(rng.integers(0, 2))],
            "min": lo,
            "max": hi,
        }
        quota["cadres"] = _cadre_selector(rng)
        if quota["cadres"] and _coin(rng, 0.3):
            pass  # a quota of the picked cadres alone
        elif _coin(rng):
            quota["level"] = ["city", "county", "street"][int(rng.integers(0, 3))]
        else:
            quota["units"] = _sub(rng, UNITS, 2) or [UNITS[0]]
        rules["source_quotas"].append(quota)
    for mix in rules["skill_mix"]:
        if not mix["any_of"] and not mix["cadres"]:
            mix["any_of"] = ["finance"]
    locked: set[str] = set()
    for _ in range(int(rng.integers(0, 3)) if _coin(rng, 0.4) else 0):
        lock = pair()
        if lock["cadre"] not in locked:
            locked.add(lock["cadre"])
            rules["locks"].append(lock)
    weights = {
        "distance_per_km": int(rng.choice([1, 10, 37])),
        "skill_fit": int(rng.choice([0, 50, 90])),
        "weak_priority": int(rng.choice([0, 100, 130])),
        "preference_step": int(rng.choice([0, 20, 55])),
        "change": int(rng.choice([0, 30, 400, 5000])),
        "vacancy_full_time": int(rng.choice([150, 1_000_000])),
        "vacancy_part_time": int(rng.choice([60, 100_000])),
    }
    settings = {
        "time_limit_s": 60,
        "seed": int(rng.integers(0, 100)),
        "relative_gap": float(rng.choice([0.0, 0.0001])),
    }
    # The default rules of issue 19 draw from their own stream: every earlier draw (and the
    # pinned seeds that once disagreed) stays as it was.
    extra = np.random.default_rng([seed, 19])
    rules["party_secretary"] = {
        "enabled": _coin(extra, 0.5),
        "probationary": _coin(extra),
    }
    rules["vetting"] = {
        "enabled": _coin(extra, 0.6),
        "pending": "any" if _coin(extra) else "required",
    }
    return {
        "name": f"random round {seed}",
        # random points are distinct communities by construction (no twin check)
        "identity": {"community_distance_m": 0},
        "communities": coms,
        "cadres": cads,
        "rules": rules,
        "weights": weights,
        "settings": settings,
    }
