"""Jinzhou, Liaoning (210700), seed report 000, 2022: the "1+2" model.

All 247 communities get one full-time first secretary and two part-time young cadres
(247 + 494 posts). 100 first secretaries come from city departments and 147 from the
counties/districts (source quotas with min = max). The 12 weak communities need a first
secretary of 副科 or above, and their part-timers include one from the finance, transport or
business-environment departments. Posts go by proximity (max distance 8 km); county cadres
stay in their district. The roster is the "thousand-person list": 741 intended cadres (one per
post, each living within 1.5 km of it) plus 259 spares, 1,000 in all.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from geodata.boundaries import load_districts
from geodata.scenarios import vocab
from geodata.scenarios.base import Builder, city_unit, county_unit, draw_ranks, unit_skills
from matcher.model.ranks import Rank
from matcher.model.round import Round

CITY = "210700"
CENTRE = (121.127, 41.112)
YEAR = 2022
#: District code → (communities, urban?). 164 urban + 83 in county towns = 247.
DISTRICTS: dict[str, tuple[int, bool]] = {
    "210702": (52, True),  # 古塔区
    "210703": (64, True),  # 凌河区
    "210711": (48, True),  # 太和区
    "210781": (26, False),  # 凌海市
    "210782": (22, False),  # 北镇市
    "210726": (19, False),  # 黑山县
    "210727": (16, False),  # 义县
}
COMMUNITIES = 247
CITY_FULL_TIME = 100
COUNTY_FULL_TIME = 147
WEAK = 12
ROSTER = 1000
MAX_KM = 8.0
YOUNG = (0.40, 0.30, 0.20, 0.08, 0.02)  # 科员 … 正县 among the young cadres


def generate(seed: int) -> Round:
    """The Jinzhou round for ``seed`` (feasible by construction)."""
    b = Builder(seed, load_districts(CITY), CENTRE)
    rng = b.rng
    urban: list[int] = []
    for code, (n, is_urban) in DISTRICTS.items():
        made = b.add_communities(
            code, n, urban=is_urban, sigma_km=3.0 if is_urban else 1.5, core_share=0.8
        )
        if is_urban:
            urban += made
    n = len(b.communities)
    weak = sorted(rng.choice(n, size=WEAK, replace=False).tolist())
    b.mark_weak(weak)
    b.tag(sorted(rng.choice(n, size=20, replace=False).tolist()), "conflict-heavy")
    b.tag(sorted(rng.choice(n, size=10, replace=False).tolist()), "new")
    for i in rng.choice(n, size=30, replace=False):
        b.communities[int(i)]["required_skills"]["part_time"] = ["elderly-care"]

    city_ft = set(rng.choice(urban, size=CITY_FULL_TIME, replace=False).tolist())
    depts = list(vocab.DEPARTMENTS)
    anchors: list[int] = []
    level: list[str] = []
    unit: list[str] = []
    skills: list[list[str]] = []
    avail: list[str] = []
    ranks: list[int] = []
    weak_set = set(weak)

    def add(i: int, lvl: str, suffix: str, post: str, floor: Rank) -> None:
        dname = b.communities[i]["district"]["name"]
        anchors.append(i)
        level.append(lvl)
        unit.append(city_unit(suffix) if lvl == "city" else county_unit(dname, suffix))
        skills.append(list(unit_skills(suffix)))
        avail.append(post if rng.random() < 0.6 else "either")
        ranks.append(int(draw_ranks(rng, 1, YOUNG, floor)[0]))

    urban_set = set(urban)
    for i in range(n):
        floor = Rank.DEPUTY_SECTION if i in weak_set else Rank.SECTION_MEMBER
        add(i, "city" if i in city_ft else "county", str(rng.choice(depts)), "full-time", floor)
        for slot in range(2):
            lvl = "city" if i in urban_set and rng.random() < 0.5 else "county"
            econ = i in weak_set and slot == 0
            suffix = str(rng.choice(vocab.ECONOMIC if econ else depts))
            add(i, lvl, suffix, "part-time", Rank.SECTION_MEMBER)
    b.add_cadres(
        anchors,
        level=level,
        unit=unit,
        rank=ranks,
        skills=skills,
        availability=avail,
        radius_km=1.5,
        year=YEAR,
    )
    _spares(b, ROSTER - len(anchors), urban_set, depts)
    b.assign_ids("JZ")
    return b.round(
        "锦州市 2022 社区第一书记选派 (1+2)",
        "Seed 000: 247 communities, 1 full-time + 2 part-time posts each; 100 city / 147 "
        "county first secretaries; 12 weak communities need 副科+ and an economic-department "
        "part-timer; proximity; county cadres stay in their district.",
        rules=_rules(),
        settings={"time_limit_s": 120, "seed": seed},
    )


def _spares(b: Builder, count: int, urban: set[int], depts: list[str]) -> None:
    """Spare cadres anywhere in the city; a few carry a disqualifying condition."""
    rng = b.rng
    anchors = rng.integers(0, len(b.communities), count).tolist()
    level = ["city" if a in urban and rng.random() < 0.45 else "county" for a in anchors]
    suffix = [str(rng.choice(depts)) for _ in anchors]
    made = b.add_cadres(
        anchors,
        level=level,
        unit=[
            city_unit(s) if lv == "city" else county_unit(b.communities[a]["district"]["name"], s)
            for a, lv, s in zip(anchors, level, suffix, strict=True)
        ],
        rank=draw_ranks(rng, count, YOUNG),
        skills=[list(unit_skills(s)) for s in suffix],
        availability=rng.choice(["full-time", "part-time", "either"], count).tolist(),
        radius_km=3.0,
        year=YEAR,
    )
    for k in np.flatnonzero(rng.random(count) < 0.04):
        made[int(k)]["disqualifications"] = [{"code": "D03", "reason": "受到党纪处分未满影响期"}]


def _rules() -> dict[str, Any]:
    return {
        "max_distance": {"km": MAX_KM},
        "rank_floors": [
            {
                "name": "软弱涣散社区第一书记须副科以上",
                "min_rank": "副科",
                "where": {"weak": True},
            }
        ],
        "source_quotas": [
            {
                "name": "市直单位选派第一书记100名",
                "level": "city",
                "min": CITY_FULL_TIME,
                "max": CITY_FULL_TIME,
            },
            {
                "name": "县区选派第一书记147名",
                "level": "county",
                "min": COUNTY_FULL_TIME,
                "max": COUNTY_FULL_TIME,
            },
        ],
        "skill_mix": [
            {
                "name": "软弱涣散社区兼职委员须有财政、交通或营商环境干部",
                "where": {"weak": True},
                "any_of": list(vocab.ECONOMIC_SKILLS),
            }
        ],
    }
