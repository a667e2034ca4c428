"""Huangshi, Hubei (420200), seed report 001, 2021: city leaders for the urban communities.

The 110 communities of the four urban districts (黄石港、西塞山、下陆、铁山) each get a first
secretary who is a city-department leader of 副县 or above (a rank floor with levels
["city"]). The other communities — Daye's 39 and Yangxin's 24 — get cadres of 正科 or above
from their own county (a rank floor with levels ["county"] plus the own-district rule).

Every community has 3–5 sponsor units (包保单位) in ``paired_units``: city departments (and
one district department) for urban communities, departments of their own county elsewhere.
The pairing rule is on, so a cadre whose unit sponsors communities serves only in those
(Yangxin sends county-department leaders to the communities their units are paired with).
Each community also has two part-time helpers sent by its sponsors. Intended cadres live
within 1.5 km of their post; a fifth more are spares.
"""

from __future__ import annotations

from typing import Any

from geodata.boundaries import load_districts
from geodata.scenarios import vocab
from geodata.scenarios.base import Builder, city_unit, county_unit, draw_ranks, unit_skills
from matcher.model.ranks import Rank
from matcher.model.round import Round

CITY = "420200"
CENTRE = (115.04, 30.21)
YEAR = 2021
URBAN: dict[str, int] = {"420202": 38, "420203": 32, "420204": 26, "420205": 14}
COUNTIES: dict[str, int] = {"420281": 39, "420222": 24}  # 大冶市, 阳新县
URBAN_COMMUNITIES = 110
MAX_KM = 12.0
LEADERS = (0.0, 0.0, 0.0, 0.75, 0.25)  # 副县 / 正县
SECTION_UP = (0.0, 0.0, 0.7, 0.25, 0.05)  # 正科 and above
HELPERS = (0.45, 0.30, 0.20, 0.05, 0.0)


def generate(seed: int) -> Round:
    """The Huangshi round for ``seed`` (feasible by construction)."""
    b = Builder(seed, load_districts(CITY), CENTRE)
    rng = b.rng
    depts = list(vocab.DEPARTMENTS)
    urban: list[int] = []
    for code, n in URBAN.items():
        urban += b.add_communities(code, n, urban=True, sigma_km=2.5, core_share=0.8)
    for code, n in COUNTIES.items():
        b.add_communities(code, n, urban=False, sigma_km=2.0, core_share=0.85)
    n = len(b.communities)
    b.mark_weak(sorted(rng.choice(n, size=8, replace=False).tolist()))
    b.tag(sorted(rng.choice(n, size=12, replace=False).tolist()), "conflict-heavy")

    urban_set = set(urban)
    # Sponsor units: (unit, level, department suffix) per community.
    sponsors: list[list[tuple[str, str, str]]] = []
    for i, com in enumerate(b.communities):
        dname = com["district"]["name"]
        k = int(rng.integers(3, 6))
        if i in urban_set:
            city = rng.choice(depts, size=k - 1, replace=False)
            own = str(rng.choice(depts))
            units = [(city_unit(s), "city", str(s)) for s in city]
            units.append((county_unit(dname, own), "county", own))
        else:
            units = [
                (county_unit(dname, s), "county", str(s))
                for s in rng.choice(depts, size=k, replace=False)
            ]
        sponsors.append(units)
        com["paired_units"] = sorted(u for u, _, _ in units)

    anchors: list[int] = []
    picks: list[tuple[str, str, str]] = []
    ranks: list[int] = []
    avail: list[str] = []
    for i in range(n):
        city_sponsors = [u for u in sponsors[i] if u[1] == "city"] or sponsors[i]
        if i in urban_set:
            first = city_sponsors[int(rng.integers(len(city_sponsors)))]
            rank = int(draw_ranks(rng, 1, LEADERS)[0])
        else:
            first = sponsors[i][int(rng.integers(len(sponsors[i])))]
            rank = int(draw_ranks(rng, 1, SECTION_UP)[0])
        anchors.append(i)
        picks.append(first)
        ranks.append(rank)
        avail.append("full-time" if rng.random() < 0.6 else "either")
        for _ in range(2):
            anchors.append(i)
            picks.append(sponsors[i][int(rng.integers(len(sponsors[i])))])
            ranks.append(int(draw_ranks(rng, 1, HELPERS)[0]))
            avail.append("part-time" if rng.random() < 0.6 else "either")
    spare = len(anchors) // 5
    for a in rng.integers(0, n, spare).tolist():
        anchors.append(a)
        picks.append(sponsors[a][int(rng.integers(len(sponsors[a])))])
        lead = picks[-1][1] == "city" and rng.random() < 0.5
        ranks.append(int(draw_ranks(rng, 1, LEADERS if lead else HELPERS)[0]))
        avail.append(str(rng.choice(["full-time", "part-time", "either"])))
    b.add_cadres(
        anchors,
        level=[p[1] for p in picks],
        unit=[p[0] for p in picks],
        rank=ranks,
        skills=[list(unit_skills(p[2])) for p in picks],
        availability=avail,
        radius_km=1.5,
        year=YEAR,
    )
    b.assign_ids("HS")
    return b.round(
        "黄石市 2021 升级版第一书记",
        "Seed 001: 110 urban communities led by city-department leaders of 副县 or above; "
        "Daye and Yangxin communities by 正科+ cadres of their own county; 3-5 sponsor units "
        "per community with the pairing rule on; two part-time helpers from the sponsors.",
        rules=_rules(),
        settings={"time_limit_s": 120, "seed": seed},
    )


def _rules() -> dict[str, Any]:
    return {
        "max_distance": {"km": MAX_KM},
        "rank_floors": [
            {
                "name": "城区社区由市直副县级以上领导干部担任",
                "min_rank": Rank.DEPUTY_COUNTY.label,
                "levels": ["city"],
                "where": {"districts": list(URBAN)},
            },
            {
                "name": "县域社区由本县正科级以上干部担任",
                "min_rank": Rank.SECTION.label,
                "levels": ["county"],
                "where": {"districts": list(COUNTIES)},
            },
        ],
        "pairing": {"enabled": True},
    }
