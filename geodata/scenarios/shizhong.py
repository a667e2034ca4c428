"""Jinan Shizhong district (370103 in 370100), seed report 002, 2023: exchange postings.

Each participating street nominates one Party secretary from a new or weak community to spend
a posting in an excellent (five-star) host community; nominees state beforehand which hosts
they want (意向), and hosts are matched one-to-one. The report ran 6 pairs per batch in two
batches; one generated round is one batch, and the seed decides which 6 of the district's 17
streets take part and where the hosts are (seed 2 is the reported first batch's shape).

The round holds the 6 host communities (one full-time exchange post each), the 6 nominating
communities (no posts; they appear so maps show where each nominee comes from) and the 6
nominees, each with a ranked list of 3 hosts. Weights count only preferences, so the optimal
plan is the matching with the fewest steps down the nominees' lists.
"""

from __future__ import annotations

from typing import Any

from geodata.boundaries import load_districts
from geodata.scenarios.base import Builder, draw_ranks
from matcher.model.round import Round

CITY = "370100"
DISTRICT = "370103"
CENTRE = (116.99, 36.655)
YEAR = 2023
PAIRS = 6
CHOICES = 3
STREETS = [
    "大观园",
    "杆石桥",
    "四里村",
    "魏家庄",
    "二七新村",
    "七里山",
    "六里山",
    "舜耕",
    "白马山",
    "七贤",
    "十六里河",
    "兴隆",
    "党家",
    "陡沟",
    "王官庄",
    "舜玉路",
    "泺源",
]


def generate(seed: int) -> Round:
    """One exchange batch for ``seed``: 6 nominees, 6 five-star hosts."""
    districts = load_districts(CITY)
    b = Builder(seed, districts[districts["code"] == DISTRICT], CENTRE)
    rng = b.rng
    picked = rng.choice(len(STREETS), size=2 * PAIRS, replace=False)
    senders = b.add_communities(
        DISTRICT,
        PAIRS,
        urban=True,
        sigma_km=2.5,
        core_share=1.0,
        posts={"full_time": 0, "part_time": 0},
    )
    hosts = b.add_communities(
        DISTRICT,
        PAIRS,
        urban=True,
        sigma_km=2.5,
        core_share=1.0,
        posts={"full_time": 1, "part_time": 0},
    )
    for k, i in enumerate(senders + hosts):
        b.communities[i]["street"] = f"{STREETS[picked[k]]}街道"
    for i in hosts:
        b.communities[i]["stars"] = 5
    for k, i in enumerate(senders):
        if k % 2 == 0:
            b.mark_weak([i])
        else:
            b.tag([i], "new")
            b.communities[i]["stars"] = int(rng.integers(1, 4))
    made = b.add_cadres(
        senders,
        level=["street"] * PAIRS,
        unit=[f"{b.communities[i]['street']}{b.communities[i]['name']}党委" for i in senders],
        rank=draw_ranks(rng, PAIRS, (0.6, 0.4, 0.0, 0.0, 0.0)),
        skills=[["community-work", "party-building"]] * PAIRS,
        availability=["full-time"] * PAIRS,
        radius_km=0.3,
        year=YEAR,
    )
    b.assign_ids("SZ")
    for cadre in made:
        order = rng.permutation(PAIRS)[:CHOICES]
        cadre["preferences"] = [b.communities[hosts[j]]["id"] for j in order]
    return b.round(
        "济南市市中区 2023 社区书记区内挂职交流",
        "Seed 002: one batch of the exchange programme; 6 secretaries from new or weak "
        "communities, each street one, matched one-to-one to 6 five-star host communities "
        "by their stated preferences.",
        rules=_rules(),
        weights={"distance_per_km": 0, "skill_fit": 0, "weak_priority": 0, "preference_step": 100},
        settings={"time_limit_s": 60, "seed": seed},
    )


def _rules() -> dict[str, Any]:
    return {"max_distance": {"km": 40.0}}
