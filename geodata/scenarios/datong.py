"""Datong, Shanxi (140200), seed report 003, 2024: compound (小区) Party secretaries.

The report: 1,381 compound secretaries, 78 % of them full-time, 184 sent from city/county
departments, a talent pool of 214; experience in Party building, petitions or community work
goes first to weak or conflict-heavy compounds; posts by proximity.

How the round reproduces it:

* 1,381 compounds are the communities; each has exactly one secretary post. 1,077 posts
  (round(0.78 × 1,381); 1,077 / 1,381 = 78.0 %) are full-time, 304 part-time. Zuoyun's 52
  compounds are all full-time (the report says so), as is every weak or conflict-heavy one.
* The talent pool is the 214 city- and county-department cadres on the roster; everyone else
  is a local candidate (level ``street``). Two source quotas with min = max fix the split:
  full-time posts to street level = 1,077 − 184 = 893, part-time posts to street level = 304.
  So exactly 184 full-time posts, and nothing else, go to sent cadres.
* A skill-mix rule asks, in every compound that is weak *or* conflict-heavy, for a full-time
  secretary with Party-building, petition or community-work experience.
* Joint vetting (资格联审): every candidate needs the discipline-inspection and political-legal
  clearances; all intended cadres have both, every fifth spare pool member still waits for
  political-legal (pending), so the rule binds on them.
* Proximity: 2 km at most (compound secretaries live nearby); county and street cadres stay
  in their district.

Intended cadres (one per post, within 1 km of it) keep every rule; 30 spare pool members and
about 10 % spare locals complete the roster.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from geodata.boundaries import load_districts
from geodata.scenarios import vocab
from geodata.scenarios.base import Builder, city_unit, county_unit, draw_ranks, unit_skills
from matcher.model.round import Round

CITY = "140200"
CENTRE = (113.30, 40.08)
YEAR = 2024
#: District code → (compounds, urban?). 644 + 230 + … = 1,381.
DISTRICTS: dict[str, tuple[int, bool]] = {
    "140213": (644, True),  # 平城区
    "140214": (230, True),  # 云冈区
    "140212": (60, False),  # 新荣区
    "140215": (55, False),  # 云州区
    "140221": (70, False),  # 阳高县
    "140222": (55, False),  # 天镇县
    "140223": (50, False),  # 广灵县
    "140224": (75, False),  # 灵丘县
    "140225": (90, False),  # 浑源县
    "140226": (52, False),  # 左云县: all full-time
}
ZUOYUN = "140226"
COMPOUNDS = 1381
FULL_TIME = round(0.78 * COMPOUNDS)  # 1,077
SENT = 184
POOL = 214
MAX_KM = 2.0
LOCAL_SPARE = 0.10


def generate(seed: int) -> Round:
    """The Datong round for ``seed`` (feasible by construction)."""
    b = Builder(seed, load_districts(CITY), CENTRE)
    rng = b.rng
    urban: set[int] = set()
    for code, (n, is_urban) in DISTRICTS.items():
        made = b.add_communities(
            code,
            n,
            urban=is_urban,
            sigma_km=2.5 if is_urban else 1.2,
            core_share=0.85,
            kinds=vocab.COMPOUND_KINDS,
            streets_per=25,
        )
        if is_urban:
            urban.update(made)
    n = len(b.communities)
    weak = rng.choice(n, size=70, replace=False)
    b.mark_weak(sorted(weak.tolist()))
    conflict = rng.choice(n, size=70, replace=False)
    b.tag(sorted(conflict.tolist()), "conflict-heavy")
    priority = set(weak.tolist()) | set(conflict.tolist())

    must = priority | {i for i, c in enumerate(b.communities) if c["district"]["code"] == ZUOYUN}
    rest = np.array([i for i in range(n) if i not in must])
    extra = rng.choice(rest, size=FULL_TIME - len(must), replace=False)
    full = must | set(extra.tolist())
    for i, com in enumerate(b.communities):
        com["posts"] = (
            {"full_time": 1, "part_time": 0} if i in full else {"full_time": 0, "part_time": 1}
        )

    # Sent cadres go to 184 full-time compounds, weak and conflict-heavy ones five times as
    # likely; every other post gets a local candidate.
    full_list = np.array(sorted(full))
    weight = np.array([5.0 if i in priority else 1.0 for i in full_list])
    sent = set(rng.choice(full_list, size=SENT, replace=False, p=weight / weight.sum()).tolist())
    _sent_cadres(b, sorted(sent), urban, priority, spare=POOL - SENT)
    _local_cadres(b, [i for i in range(n) if i not in sent], full, priority)
    b.assign_ids("DT")
    return b.round(
        "大同市 2024 小区党组织书记选配",
        "Seed 003: 1,381 compounds, one secretary post each, 1,077 (78 %) full-time; 184 "
        "full-time posts to the 214-strong talent pool of city/county cadres, the rest to "
        "local candidates; Party-building, petition or community-work experience in every "
        "weak or conflict-heavy compound; 2 km proximity.",
        rules=_rules(),
        weights={"distance_per_km": 20},
        settings={"time_limit_s": 120, "seed": seed},
    )


def _sent_cadres(
    b: Builder, posts: list[int], urban: set[int], priority: set[int], spare: int
) -> None:
    """The talent pool: one intended cadre per sent post plus ``spare`` more."""
    rng = b.rng
    anchors = posts + rng.choice(posts, size=spare, replace=False).tolist()
    level = ["city" if a in urban and rng.random() < 0.5 else "county" for a in anchors]
    depts = list(vocab.DEPARTMENTS)
    suffix = [str(rng.choice(depts)) for _ in anchors]
    skills: list[list[str]] = []
    for k, (a, s) in enumerate(zip(anchors, suffix, strict=True)):
        own = list(unit_skills(s))
        if a in priority and k < len(posts):
            own.append(str(rng.choice(vocab.GRASSROOTS_SKILLS)))
        skills.append(own)
    made = b.add_cadres(
        anchors,
        level=level,
        unit=[
            city_unit(s) if lv == "city" else county_unit(b.communities[a]["district"]["name"], s)
            for a, lv, s in zip(anchors, level, suffix, strict=True)
        ],
        rank=draw_ranks(rng, len(anchors), (0.35, 0.35, 0.25, 0.05, 0.0)),
        skills=skills,
        availability=["full-time" if rng.random() < 0.5 else "either" for _ in anchors],
        radius_km=1.0,
        year=YEAR,
    )
    for k, cad in enumerate(made):  # every fifth spare still waits for 政法 (no draw: same rng)
        waiting = k >= len(posts) and (k - len(posts)) % 5 == 0
        cad["clearances"] = _cleared(waiting)


def _cleared(waiting: bool = False) -> list[dict[str, str]]:
    """Joint vetting (资格联审) by discipline inspection and political-legal affairs."""
    legal = "pending" if waiting else "cleared"
    return [
        {"department": "discipline", "status": "cleared"},
        {"department": "political-legal", "status": legal},
    ]


def _local_cadres(b: Builder, posts: list[int], full: set[int], priority: set[int]) -> None:
    """Local candidates (street level): one per remaining post plus about 10 % spares."""
    rng = b.rng
    spare = rng.choice(posts, size=int(LOCAL_SPARE * len(posts)), replace=False).tolist()
    anchors = posts + spare
    skills: list[list[str]] = []
    avail: list[str] = []
    for k, a in enumerate(anchors):
        own = ["community-work"] if rng.random() < 0.5 else []
        if a in priority and k < len(posts):
            own.append(str(rng.choice(vocab.GRASSROOTS_SKILLS)))
        skills.append(own)
        kind = "full-time" if a in full else "part-time"
        avail.append(kind if k < len(posts) and rng.random() < 0.7 else "either")
    units = [
        f"{b.communities[a]['district']['name']}{b.communities[a]['street']}办事处" for a in anchors
    ]
    made = b.add_cadres(
        anchors,
        level=["street"] * len(anchors),
        unit=units,
        rank=draw_ranks(rng, len(anchors), (0.8, 0.15, 0.05, 0.0, 0.0)),
        skills=skills,
        availability=avail,
        radius_km=1.0,
        year=YEAR,
    )
    for cad in made:
        cad["clearances"] = _cleared()


def _rules() -> dict[str, Any]:
    return {
        "max_distance": {"km": MAX_KM},
        "clearances": {"required": ["discipline", "political-legal"]},
        "source_quotas": [
            {
                "name": "full-time posts to local candidates (so 184 go to sent cadres)",
                "post_type": "full-time",
                "level": "street",
                "min": FULL_TIME - SENT,
                "max": FULL_TIME - SENT,
            },
            {
                "name": "part-time posts to local candidates only",
                "post_type": "part-time",
                "level": "street",
                "min": COMPOUNDS - FULL_TIME,
                "max": COMPOUNDS - FULL_TIME,
            },
        ],
        "skill_mix": [
            {
                "name": "weak or conflict-heavy compounds: Party-building, petition or community "
                "work experience",
                "post_type": "full-time",
                "where": {"weak": True, "tags": ["conflict-heavy"], "match": "any"},
                "any_of": list(vocab.GRASSROOTS_SKILLS),
            }
        ],
    }
