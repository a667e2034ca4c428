"""A synthetic multi-city scenario for benchmarks: 10,000 communities, 40,000 cadres.

Communities are spread over every district of the four bundled cities (Jinzhou, Huangshi,
Datong, Jinan), three times as densely in urban districts; each has one full-time and two
part-time posts (30,000 posts). Every rule is on: proximity (10 km), own district, rank floor
and economic part-timer for weak communities, a city/county quota range on first
secretaries, pairing (3 % of communities have a sponsoring enterprise or institution whose
cadres serve only there), forbidden pairs, locks, disqualifications, preferences and current
posts. As in the city scenarios, one intended cadre per post lives within 1.5 km of it and
keeps every rule, so the round is feasible; 10,000 spares give the engine room.

Generation is vectorised per district (``shapely.contains_xy`` on point batches) and takes a
few seconds, most of it in validating 50,000 records.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from geodata.boundaries import load_districts
from geodata.scenarios import datong, huangshi, jinzhou, vocab
from geodata.scenarios.base import Builder, draw_ranks
from matcher.ranks import Rank
from matcher.round import Round

JINAN = "370100"
CENTRES: dict[str, tuple[float, float]] = {
    jinzhou.CITY: jinzhou.CENTRE,
    huangshi.CITY: huangshi.CENTRE,
    datong.CITY: datong.CENTRE,
    JINAN: (117.00, 36.66),
}
CITIES: dict[str, frozenset[str]] = {
    jinzhou.CITY: frozenset(c for c, (_, u) in jinzhou.DISTRICTS.items() if u),
    huangshi.CITY: frozenset(huangshi.URBAN),
    datong.CITY: frozenset(c for c, (_, u) in datong.DISTRICTS.items() if u),
    JINAN: frozenset({"370102", "370103", "370104", "370105", "370112"}),
}
COMMUNITIES = 10_000
CADRES = 40_000
YEAR = 2024
MAX_KM = 10.0
YOUNG = (0.40, 0.30, 0.20, 0.08, 0.02)
WEAK_SHARE = 0.05
PAIRED_SHARE = 0.03
LOCKS = 50
FORBIDDEN = 50
INSTITUTIONS = ("中学", "人民医院", "供电公司", "农商银行", "城投集团", "职业技术学院")


def _allocate(weights: NDArray[np.float64], total: int) -> NDArray[np.int64]:
    """Split ``total`` proportionally to ``weights`` (largest remainder, exact sum)."""
    share = weights / weights.sum() * total
    counts: NDArray[np.int64] = np.floor(share).astype(np.int64)
    order = np.argsort(-(share - counts), kind="stable")
    counts[order[: total - int(counts.sum())]] += 1
    return counts


def generate(seed: int) -> Round:
    """The province benchmark round for ``seed`` (feasible by construction)."""
    frames = [load_districts(c) for c in CITIES]
    districts = pd.concat(frames, ignore_index=True)
    city_of = {str(r.code): c for c, f in zip(CITIES, frames, strict=True) for r in f.itertuples()}
    b = Builder(seed, districts, {d: CENTRES[c] for d, c in city_of.items()})
    rng = b.rng
    urban_codes = set().union(*CITIES.values())
    city_name = {c: str(f.attrs.get("city_name", c)) for c, f in zip(CITIES, frames, strict=True)}
    codes = [str(c) for c in districts["code"]]
    counts = _allocate(np.array([3.0 if c in urban_codes else 1.0 for c in codes]), COMMUNITIES)
    urban: list[int] = []
    for code, n in zip(codes, counts, strict=True):
        dense = code in urban_codes
        placed = b.add_communities(code, int(n), urban=dense, sigma_km=4.0 if dense else 2.0)
        if dense:
            urban += placed
    n = len(b.communities)
    weak = set(rng.choice(n, size=int(WEAK_SHARE * n), replace=False).tolist())
    b.mark_weak(sorted(weak))
    b.tag(sorted(rng.choice(n, size=n // 20, replace=False).tolist()), "conflict-heavy")
    paired = set(rng.choice(n, size=int(PAIRED_SHARE * n), replace=False).tolist())
    urban_set = set(urban)

    depts = np.array(list(vocab.DEPARTMENTS))
    posts = np.repeat(np.arange(n), 3)  # slot 0 full-time, slots 1-2 part-time
    slot = np.tile(np.arange(3), n)
    spare = rng.integers(0, n, CADRES - len(posts))
    anchors = np.concatenate([posts, spare])
    m = len(anchors)
    is_urban = np.array([a in urban_set for a in anchors])
    level = np.where(is_urban & (rng.random(m) < 0.5), "city", "county").astype(object)
    suffix = rng.choice(depts, m).astype(object)
    econ = np.array([a in weak for a in posts]) & (slot == 1)
    suffix[: len(posts)][econ] = rng.choice(np.array(vocab.ECONOMIC), int(econ.sum()))
    ranks = draw_ranks(rng, m, YOUNG)
    weak_ft = np.array([a in weak for a in posts]) & (slot == 0)
    ranks[: len(posts)][weak_ft] = np.maximum(ranks[: len(posts)][weak_ft], Rank.DEPUTY_SECTION)
    avail = rng.choice(["full-time", "part-time", "either"], m).astype(object)
    avail[: len(posts)] = np.where(
        rng.random(len(posts)) < 0.5, "either", np.where(slot == 0, "full-time", "part-time")
    )
    dcode = [b.communities[a]["district"]["code"] for a in anchors]
    units = [
        (city_name[city_of[d]] if lv == "city" else b.dname[d]) + s
        for d, lv, s in zip(dcode, level, suffix, strict=True)
    ]
    for k in np.flatnonzero((slot == 0) & np.array([a in paired for a in posts])):
        com = b.communities[int(posts[k])]
        units[k] = f"{com['district']['name']}{com['name']}{INSTITUTIONS[k % len(INSTITUTIONS)]}"
        level[k] = "county"
        com["paired_units"] = [units[k]]
    made = b.add_cadres(
        anchors,
        level=level.tolist(),
        unit=units,
        rank=ranks,
        skills=[list(vocab.DEPARTMENTS.get(str(s), ())) for s in suffix],
        availability=avail.tolist(),
        radius_km=1.5,
        year=YEAR,
    )
    for k in np.flatnonzero(rng.random(m) < 0.02):
        if k >= len(posts):
            made[int(k)]["disqualifications"] = [{"code": "D11", "reason": "试用期未满"}]
    b.assign_ids("PV")
    com_ids = [c["id"] for c in b.communities]
    for k in rng.choice(len(posts), size=len(posts) // 20, replace=False):
        own = com_ids[int(posts[k])]
        others = {com_ids[int(j)] for j in rng.integers(0, n, 2)} - {own}
        made[int(k)]["preferences"] = [own, *sorted(others)]
        if slot[k] == 0 and rng.random() < 0.5:
            made[int(k)]["current_post"] = {"community": own, "post_type": "full-time"}
    full_time = np.flatnonzero(slot == 0)
    locks = [
        {
            "cadre": made[int(k)]["id"],
            "community": com_ids[int(posts[k])],
            "post_type": "full-time",
            "reason": "decided at the previous meeting",
        }
        for k in rng.choice(full_time, size=LOCKS, replace=False)
    ]
    forbidden = [
        {
            "cadre": made[int(k)]["id"],
            "community": com_ids[int(anchors[k])],
            "reason": "conflict of interest",
        }
        for k in rng.choice(np.arange(len(posts), m), size=FORBIDDEN, replace=False)
    ]
    city_ft = int(np.sum((slot == 0) & (level[: len(posts)] == "city")))
    return b.round(
        "province benchmark: four cities, 10,000 communities",
        "Synthetic: 10,000 communities (1 full-time + 2 part-time posts), 40,000 cadres over "
        "the districts of Jinzhou, Huangshi, Datong and Jinan, every rule on.",
        rules=_rules(city_ft, locks, forbidden),
        settings={"time_limit_s": 600, "seed": seed},
    )


def _rules(city_ft: int, locks: list[Any], forbidden: list[Any]) -> dict[str, Any]:
    return {
        "max_distance": {"km": MAX_KM},
        "rank_floors": [
            {"name": "weak communities: 副科 or above", "min_rank": "副科", "where": {"weak": True}}
        ],
        "source_quotas": [
            {
                "name": "city first secretaries",
                "level": "city",
                "min": int(city_ft * 0.9),
                "max": int(city_ft * 1.1) + 1,
            }
        ],
        "skill_mix": [
            {
                "name": "weak communities: an economic-department part-timer",
                "where": {"weak": True},
                "any_of": list(vocab.ECONOMIC_SKILLS),
            }
        ],
        "pairing": {"enabled": True},
        "locks": locks,
        "forbidden_pairs": forbidden,
    }
