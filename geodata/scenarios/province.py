"""A synthetic province for benchmarks: Liaoning, 10,000 communities, 40,000 cadres.

Communities are spread over the 100 county-level districts of Liaoning's 14 cities (the
bundled ``210000`` boundaries) in proportion to each city's urban weight (:data:`CITIES`:
Shenyang and Dalian largest). Inside a city, most go to its central districts, clustered
around the city centre; fewer to its outer districts and counties, clustered around each
district's own core (:data:`TIERS`). Each community has one full-time and two part-time posts
(30,000 posts).

Every rule is on: proximity (:data:`MAX_KM`, what a city organisation department would call
就近就便), own district, rank floor and economic part-timer for weak communities, a city/county
quota range on first secretaries, pairing (3 % of communities have a sponsoring enterprise or
institution whose cadres serve only there), forbidden pairs, locks, disqualifications,
preferences and current posts. As in the city scenarios, one intended cadre per post lives
within 1.5 km of it, in its district, and keeps every rule, so the round is feasible; 10,000
spares give the engine room.

Density is what makes a province tractable. With seed 4 and the 5 km radius there are 3.18
million candidate pairs (``geodata.pairs.candidate_pairs``): 106 cadres within reach per post
(318 per community: median 200, most 1,341 in central Shenyang), and 132 eligible
(cadre, post group) arcs per post once the engine applies the rules. The former layout packed
the same 10,000 communities into the urban districts of four cities, 26 million pairs at
10 km. A test keeps the count below 6 million.

Generation is vectorised per district (``shapely.contains_xy`` on point batches) and takes a
few seconds, most of it in validating 50,000 records.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from geodata.boundaries import load_province_districts
from geodata.scenarios import vocab
from geodata.scenarios.base import Builder, draw_ranks
from matcher.model.ranks import Rank
from matcher.model.round import Round

PROVINCE = "210000"
#: Equal-area CRS (EASE-Grid 2.0) for district areas in km².
EQUAL_AREA = "EPSG:6933"


@dataclass(frozen=True)
class City:
    """A prefecture city: its urban weight, centre (WGS-84 lon, lat) and central districts."""

    weight: float
    centre: tuple[float, float]
    core: frozenset[str]


def _city(weight: float, lon: float, lat: float, *core: str) -> City:
    return City(weight, (lon, lat), frozenset(core))


#: City code → weight, centre and central districts. Weights are the cities' urban (城镇)
#: populations in millions, rounded, in the order of the 2020 census; they only set shares.
CITIES: dict[str, City] = {
    "210100": _city(7.7, 123.43, 41.80, "210102", "210103", "210104", "210105", "210106"),
    "210200": _city(6.1, 121.62, 38.92, "210202", "210203", "210204", "210211"),
    "210300": _city(2.4, 122.99, 41.11, "210302", "210303", "210304"),
    "210400": _city(1.6, 123.96, 41.88, "210402", "210403", "210404", "210411"),
    "210500": _city(1.1, 123.77, 41.30, "210502", "210503", "210504"),
    "210600": _city(1.5, 124.38, 40.13, "210602", "210603"),
    "210700": _city(1.6, 121.13, 41.11, "210702", "210703", "210711"),
    "210800": _city(1.7, 122.23, 40.67, "210802", "210803"),
    "210900": _city(1.0, 121.67, 42.02, "210902", "210904", "210911"),
    "211000": _city(1.1, 123.24, 41.27, "211002", "211003", "211011"),
    "211100": _city(1.1, 122.07, 41.12, "211102", "211103"),
    "211200": _city(1.1, 123.84, 42.29, "211202"),
    "211300": _city(1.3, 120.45, 41.57, "211302", "211303"),
    "211400": _city(1.3, 120.84, 40.71, "211402", "211403"),
}


@dataclass(frozen=True)
class Tier:
    """How a kind of district is filled: its share of the city's communities and the spread
    of its cluster (``sigma_km`` around the core, ``core_share`` of points in the cluster)."""

    share: float
    sigma_km: float
    core_share: float


#: ``core``: the city's central districts, one cluster around the city centre; ``district``:
#: its outer districts (市辖区 such as 金州区, 鲅鱼圈区); ``county``: counties and county-level
#: cities, clustered around their towns. Shares are renormalised over the tiers a city has.
TIERS: dict[str, Tier] = {
    "core": Tier(0.55, 6.0, 0.6),
    "district": Tier(0.20, 3.0, 0.7),
    "county": Tier(0.25, 2.5, 0.75),
}
COMMUNITIES = 10_000
CADRES = 40_000
YEAR = 2024
MAX_KM = 5.0
YOUNG = (0.40, 0.30, 0.20, 0.08, 0.02)
WEAK_SHARE = 0.05
PAIRED_SHARE = 0.03
LOCKS = 50
FORBIDDEN = 50
INSTITUTIONS = ("中学", "人民医院", "供电公司", "农商银行", "城投集团", "职业技术学院")


def tier_of(code: str) -> str:
    """``core``, ``district`` (other 市辖区: codes xxxx01–xxxx20) or ``county``."""
    if code in CITIES[code[:4] + "00"].core:
        return "core"
    return "district" if int(code[4:]) <= 20 else "county"


def _allocate(weights: NDArray[np.float64], total: int) -> NDArray[np.int64]:
    """Split ``total`` proportionally to ``weights`` (largest remainder, exact sum)."""
    share = weights / weights.sum() * total
    counts: NDArray[np.int64] = np.floor(share).astype(np.int64)
    order = np.argsort(-(share - counts), kind="stable")
    counts[order[: total - int(counts.sum())]] += 1
    return counts


def district_counts(area_km2: dict[str, float]) -> dict[str, int]:
    """Communities per district: cities by weight, then tiers by share, then districts of a
    tier by the square root of their area (big districts get more, not proportionally)."""
    per_city = _allocate(np.array([c.weight for c in CITIES.values()]), COMMUNITIES)
    counts: dict[str, int] = {}
    for city, total in zip(CITIES, per_city, strict=True):
        codes = sorted(c for c in area_km2 if c[:4] + "00" == city)
        tiers = sorted({tier_of(c) for c in codes}, key=list(TIERS).index)
        per_tier = _allocate(np.array([TIERS[t].share for t in tiers]), int(total))
        for tier, n in zip(tiers, per_tier, strict=True):
            members = [c for c in codes if tier_of(c) == tier]
            weights = np.sqrt([area_km2[c] for c in members])
            counts.update(zip(members, _allocate(weights, int(n)).tolist(), strict=True))
    return counts


def generate(seed: int) -> Round:
    """The province benchmark round for ``seed`` (feasible by construction)."""
    districts = load_province_districts(PROVINCE)
    city_of = dict(zip(districts["code"], districts["city"], strict=True))
    city_name = dict(zip(districts["city"], districts["city_name"], strict=True))
    area = dict(zip(districts["code"], districts.to_crs(EQUAL_AREA).area / 1e6, strict=True))
    b = Builder(seed, districts, {d: CITIES[c].centre for d, c in city_of.items()})
    rng = b.rng
    urban: list[int] = []
    for code, count in district_counts(area).items():
        tier = tier_of(code)
        t = TIERS[tier]
        placed = b.add_communities(
            code, count, urban=tier == "core", sigma_km=t.sigma_km, core_share=t.core_share
        )
        if tier != "county":
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
    # Unit names carry the city: 铁西区 is a district of both Shenyang and Anshan.
    units = [
        city_name[city_of[d]] + ("" if lv == "city" else b.dname[d]) + s
        for d, lv, s in zip(dcode, level, suffix, strict=True)
    ]
    for k in np.flatnonzero((slot == 0) & np.array([a in paired for a in posts])):
        com = b.communities[int(posts[k])]
        d = com["district"]["code"]
        units[k] = f"{city_name[city_of[d]]}{b.dname[d]}{com['name']}{INSTITUTIONS[k % 6]}"
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
        "province benchmark: Liaoning, 10,000 communities",
        "Synthetic: 10,000 communities (1 full-time + 2 part-time posts), 40,000 cadres over "
        "the 100 districts of Liaoning's 14 cities by urban weight, every rule on.",
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
