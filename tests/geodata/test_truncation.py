"""Truncated candidate sets: hard rules before truncation, forced lock pairs, widening."""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np

from geodata.pairs import candidate_pairs
from geodata.truncation import widen
from matcher import validate_round


def far_own_district() -> dict[str, Any]:
    """X (古塔区) has one full-time post; ten 凌河区 county cadres sit 0–2 km away, the only
    古塔区 county cadre K lives 25 km away; no distance rule."""
    gt, lh = {"code": "210702", "name": "古塔区"}, {"code": "210703", "name": "凌河区"}
    near = [
        {"id": f"N{i}", "name": "近", "unit": "凌河区民政局", "level": "county",
         "political_status": "中共党员", "home_district": "210703", "rank": "正科",
         "location": {"lon": 121.10 + 0.002 * i, "lat": 41.10}}
        for i in range(10)
    ]  # fmt: skip
    far = {"id": "K", "name": "远", "unit": "古塔区民政局", "level": "county",
           "political_status": "中共党员", "home_district": "210702", "rank": "正科",
           "location": {"lon": 121.10, "lat": 41.325}}  # fmt: skip
    return {
        "name": "far own district",
        "communities": [
            {"id": "X", "name": "X社区", "district": gt, "location": {"lon": 121.10, "lat": 41.10},
             "posts": {"full_time": 1, "part_time": 0}},
            {"id": "Y", "name": "Y社区", "district": lh, "location": {"lon": 121.11, "lat": 41.10},
             "posts": {"full_time": 1, "part_time": 0}},
        ],
        "cadres": [*near, far],
        "rules": {"max_distance": {"enabled": False}},
    }  # fmt: skip


def test_only_eligible_cadre_far_behind_others_is_a_candidate() -> None:
    """With k = 3, X still gets K: own district is applied before keeping the nearest."""
    rnd = validate_round(far_own_district())
    pairs = candidate_pairs(rnd, k_nearest=3)
    k = rnd.cadre_index()["K"]
    assert k in pairs.cadre[pairs.community == 0].tolist()
    assert pairs.reach_m is not None and np.isinf(pairs.reach_m[0])  # X took every cadre
    assert np.bincount(pairs.community)[1] == 3  # Y: its three nearest are eligible


def test_lock_of_a_far_cadre_is_among_the_pairs() -> None:
    """A lock pair is a candidate however far the cadre lives."""
    raw = far_own_district()
    raw["rules"]["own_district"] = {"enabled": False}
    raw["rules"]["locks"] = [{"cadre": "K", "community": "Y"}]
    rnd = validate_round(raw)
    pairs = candidate_pairs(rnd, k_nearest=3)
    on_y = pairs.cadre[pairs.community == 1].tolist()
    assert rnd.cadre_index()["K"] in on_y


def test_widen_adds_every_cadre_within_the_radius() -> None:
    """Widening X to 30 km adds K (25 km) and raises X's reach; Y is untouched."""
    raw = far_own_district()
    raw["rules"]["own_district"] = {"enabled": False}
    rnd = validate_round(raw)
    pairs = candidate_pairs(rnd, k_nearest=3)
    assert pairs.reach_m is not None
    wide = widen(rnd, pairs, np.array([30_000.0, 0.0]))
    assert len(wide.cadre[wide.community == 0]) == 11
    assert wide.reach_m is not None and wide.reach_m[0] == 30_000.0
    assert wide.reach_m[1] == pairs.reach_m[1]


def paired_lock() -> dict[str, Any]:
    """K1 (of 市财政局, paired with B) lives next to A and is locked there; pairing is on."""

    def com(cid: str, lon: float, units: list[str]) -> dict[str, Any]:
        return {
            "id": cid,
            "name": f"{cid}社区",
            "district": {"code": "210702", "name": "古塔区"},
            "location": {"lon": lon, "lat": 41.1},
            "posts": {"full_time": 1, "part_time": 0},
            "paired_units": units,
        }

    def cad(cid: str, unit: str, lon: float) -> dict[str, Any]:
        return {
            "id": cid,
            "name": "王一",
            "unit": unit,
            "level": "city",
            "home_district": "210702",
            "rank": "科员",
            "political_status": "中共党员",
            "location": {"lon": lon, "lat": 41.1},
        }

    return {
        "communities": [com("A", 121.0, []), com("B", 121.5, ["市财政局"])],
        "cadres": [cad("K1", "市财政局", 121.001)]
        + [cad(f"K{i}", "市民政局", 121.0 + 0.01 * i) for i in range(2, 7)],
        "rules": {
            "max_distance": {"enabled": False},
            "pairing": {"enabled": True},
            "locks": [{"cadre": "K1", "community": "A"}],
        },
    }


def test_lock_that_breaks_pairing_is_named_by_pairing_in_truncated_pairs() -> None:
    """A lock inside the truncated reach that pairing forbids stays a candidate, so its
    conflict names pairing, not 'not among the candidate pairs'."""
    from matcher import build_problem, solve

    rnd = validate_round(paired_lock())
    pairs = candidate_pairs(rnd, k_nearest=1)
    assert pairs.reach_m is not None and not np.isinf(pairs.reach_m[0])
    result = solve(build_problem(rnd, pairs), rnd.settings)
    (conflict,) = [c for c in result.conflicts if "K1" in c.message]
    assert "paired unit" in conflict.message and "candidate pairs" not in conflict.message
    assert set(conflict.rules) == {"locks", "pairing"}


def test_widen_keeps_only_pairs_the_rules_allow() -> None:
    """Own district on: widening X to 30 km adds K (古塔区) but none of the 凌河区 cadres
    inside the radius, whom no post of X may take."""
    rnd = validate_round(far_own_district())
    pairs = candidate_pairs(rnd, k_nearest=3)
    assert pairs.reach_m is not None
    pairs = dataclasses.replace(pairs, reach_m=np.array([0.0, pairs.reach_m[1]]))
    wide = widen(rnd, pairs, np.array([30_000.0, 0.0]))
    on_x = set(wide.cadre[wide.community == 0].tolist())
    assert on_x == set(pairs.cadre[pairs.community == 0].tolist()) | {rnd.cadre_index()["K"]}


def test_widen_streamed_in_chunks_gives_the_same_pairs() -> None:
    """One community per radius query or all at once: the same widened pairs."""
    raw = far_own_district()
    raw["rules"]["own_district"] = {"enabled": False}
    rnd = validate_round(raw)
    pairs = candidate_pairs(rnd, k_nearest=2)
    need = np.array([30_000.0, 1_500.0])
    one, all_ = widen(rnd, pairs, need, chunk=1), widen(rnd, pairs, need)
    assert np.array_equal(one.cadre, all_.cadre) and np.array_equal(one.community, all_.community)
    assert len(all_) > len(pairs)


def test_pair_search_told_to_stop_widens_only_communities_with_nobody() -> None:
    """Told to stop (time limit, cancelled job), X (two of its 3 nearest eligible) keeps its
    3 nearest with a finite reach instead of widening to a third eligible cadre; without
    the stop it widens. Z, with no eligible cadre in its district, still widens to every
    cadre (reach infinite)."""
    raw = far_own_district()
    for i, cad in enumerate(raw["cadres"][:10]):
        if i % 2 == 0:
            cad.update(home_district="210702", unit="古塔区民政局")
    raw["communities"][1]["district"] = {"code": "210704", "name": "别区"}
    raw["communities"][1]["id"] = "Z"  # no county cadre of its district
    rnd = validate_round(raw)
    late = candidate_pairs(rnd, k_nearest=3, stop=lambda: True)
    on_time = candidate_pairs(rnd, k_nearest=3, stop=lambda: False)
    assert late.reach_m is not None and np.isfinite(late.reach_m[0])
    assert len(late.cadre[late.community == 0]) == 3
    assert len(on_time.cadre[on_time.community == 0]) > 3
    assert np.isinf(late.reach_m[1])
