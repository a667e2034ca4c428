"""Seed scenarios of the three practices (docs/practices.md), laid out in bundled districts.

* **Datong mentoring** (seed 003, 2024): 5 experienced community secretaries mentor the
  16 compound secretaries sent first, one-to-one or one-to-many, 3–4 each.
* **Shizhong exchanges** (seed 002, 2023): two batches of 6 secretaries of new or weak
  communities, each with 3 wishes among the district's five-star hosts; the second batch
  excludes the hosts the first one used.
* **A five-precision district** (seed 004; the district is not named in the speech, so it is
  laid out in Jinzhou's 古塔区): each model secretary (红领导师) mentors 3–4 potential or
  caretaker secretaries, and 14 neighbouring communities form 4 joint committees of 3–4,
  each led by a five-star community.

Every draw comes from the seed; the same seed gives the same round.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from geodata.boundaries import load_districts
from geodata.scenarios.base import Builder
from matcher.practices.models import CommitteeRound, ExchangeRound, MentorRound

SKILLS = ("党建", "信访", "物业管理", "社区治理", "财政", "法律", "卫生健康", "养老服务")


def _people(
    b: Builder, code: str, n: int, prefix: str, *, urban: bool = True, sigma_km: float = 3.0
) -> list[dict[str, Any]]:
    xy = b.sample(code, n, urban=urban, sigma_km=sigma_km, core_share=0.8)
    names = b.person_names(n)
    places = b.place_names(n)
    streets = b.streets(code, xy, max(2, n // 3))
    out = []
    for i in range(n):
        skills = b.rng.choice(SKILLS, size=2, replace=False).tolist()
        out.append(
            {
                "id": f"{prefix}{i + 1:02d}",
                "name": names[i],
                "community": places[i],
                "district": {"code": code, "name": b.dname[code]},
                "unit": streets[i],
                "skills": skills,
                "location": {"lon": float(xy[i, 0]), "lat": float(xy[i, 1])},
            }
        )
    return out


def datong_mentors(seed: int = 3) -> MentorRound:
    """Datong 2024: 5 community secretaries mentor 16 new compound secretaries (3–4 each)."""
    districts = load_districts("140200")
    code = "140213"  # 平城区, where the first compound secretaries were sent
    b = Builder(seed, districts[districts["code"] == code], (113.30, 40.08))
    mentors = _people(b, code, 5, "DM", sigma_km=2.0)
    for m in mentors:
        m.update(type="model", stars=int(b.rng.integers(4, 6)))
    mentees = _people(b, code, 16, "DX", sigma_km=3.0)
    for m in mentees:
        m.update(new=True, needs=b.rng.choice(SKILLS, size=2, replace=False).tolist(), skills=[])
    return MentorRound.model_validate(
        {
            "name": "大同市 2024 小区党组织书记导师帮带",
            "mentors": mentors,
            "mentees": mentees,
            "rules": {"min_mentees": 3, "max_mentees": 4, "different_unit": False},
        }
    )


def shizhong_exchange(
    seed: int = 2, batch: int = 1, used_hosts: list[str] | None = None
) -> ExchangeRound:
    """Jinan Shizhong 2023: one batch of 6 guests with 3 wishes each among 12 five-star hosts."""
    districts = load_districts("370100")
    code = "370103"
    b = Builder(seed, districts[districts["code"] == code], (116.99, 36.655))
    guests = _people(b, code, 12, "SG")
    hosts = _people(b, code, 12, "SH", sigma_km=2.0)
    host_rows = [
        {
            "community": f"H{i + 1:02d}",
            "name": h["community"],
            "district": h["district"],
            "stars": 5,
            "location": h["location"],
        }
        for i, h in enumerate(hosts)
    ]
    g_xy = np.array([[g["location"]["lon"], g["location"]["lat"]] for g in guests])
    h_xy = np.array([[h["location"]["lon"], h["location"]["lat"]] for h in host_rows])
    left = [j for j, h in enumerate(host_rows) if h["community"] not in set(used_hosts or [])]
    for i, g in enumerate(guests):
        g.update(weak=bool(i % 2 == 0), new=bool(i % 2 == 1))
        d = np.hypot(*(h_xy[left] - g_xy[i]).T) + b.rng.uniform(0, 0.02, len(left))
        g["preferences"] = [host_rows[left[int(j)]]["community"] for j in np.argsort(d)[:3]]
    batch_guests = guests[:6] if batch == 1 else guests[6:]
    return ExchangeRound.model_validate(
        {
            "name": f"济南市市中区 2023 社区书记区内挂职交流 第{batch}批",
            "guests": batch_guests,
            "hosts": host_rows,
            "mode": "optimal",
            "unranked_allowed": True,
            "exclude_hosts": used_hosts or [],
        }
    )


def five_precision(seed: int = 4) -> tuple[MentorRound, CommitteeRound]:
    """The five-precision district: model secretaries mentor 3–4 each; 14 communities in 4
    joint committees of 3–4, each led by a five-star community."""
    districts = load_districts("210700")
    code = "210702"  # 古塔区 stands in for the unnamed district of the speech
    b = Builder(seed, districts[districts["code"] == code], (121.13, 41.12))
    people = _people(b, code, 18, "WJ", sigma_km=1.2)
    kinds = ["model"] * 4 + ["backbone"] * 2 + ["potential"] * 7 + ["caretaker"] * 5
    for p, kind in zip(people, kinds, strict=True):
        p.update(type=kind, stars={"model": 5, "backbone": 4, "potential": 3}.get(kind, 2))
        if kind in ("potential", "caretaker"):
            p.update(
                weak=kind == "caretaker", needs=[s for s in SKILLS[:3] if s not in p["skills"]]
            )
    mentors = [p for p in people if p["type"] == "model"]
    mentees = [p for p in people if p["type"] in ("potential", "caretaker")]
    mentoring = MentorRound.model_validate(
        {
            "name": "五精工程 红领导师帮带",
            "mentors": mentors,
            "mentees": mentees,
            "rules": {"min_mentees": 3, "max_mentees": 4, "different_unit": False},
        }
    )
    committee = CommitteeRound.model_validate(
        {
            "name": "五精工程 城市片区联合党委",
            "communities": _areas(b, code, sizes=(3, 3, 4, 4)),
            "rules": {"min_size": 3, "max_size": 4, "strong_min_stars": 5, "neighbour_km": 1.5},
        }
    )
    return mentoring, committee


def _areas(b: Builder, code: str, sizes: tuple[int, ...]) -> list[dict[str, Any]]:
    """Communities in city areas (片区): each area a five-star community and its neighbours
    within about a kilometre; areas are drawn apart from each other."""
    n = sum(sizes)
    centres = b.sample(code, 40, urban=True, sigma_km=2.5, core_share=0.6)
    pick = [0]
    while len(pick) < len(sizes):  # farthest-point sampling keeps the areas apart
        d = np.min(np.hypot(*(centres[:, None, :] - centres[None, pick, :]).T), axis=0)
        pick.append(int(np.argmax(d)))
    anchors = np.repeat(centres[pick], sizes, axis=0)
    xy = b.near(anchors, [code] * n, 0.7)
    names = b.place_names(n)
    out, k = [], 0
    for area, size in enumerate(sizes):
        for j in range(size):
            out.append(
                {
                    "id": f"WC{k + 1:02d}",
                    "name": names[k],
                    "district": {"code": code, "name": b.dname[code]},
                    "stars": 5 if j == 0 else int(b.rng.integers(2, 5)),
                    "weak": bool(j == size - 1 and area % 2 == 0),
                    "location": {"lon": float(xy[k, 0]), "lat": float(xy[k, 1])},
                }
            )
            k += 1
    return out
