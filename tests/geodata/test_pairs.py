"""Candidate pairs: radius and k-nearest against brute force, defaults, datum conversion."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import geodata.pairs as pairs_module
from geodata.crs import from_wgs84
from geodata.distance import geodesic_m, great_circle_m
from geodata.pairs import candidate_pairs, nearest_pairs, pairs_within
from matcher.engine.pairs import CandidatePairs
from matcher.engine.problem import build_problem
from matcher.model.round import Cadre, Community, Location, Polygon, Round
from matcher.model.rules import MaxDistance
from matcher.model.validate import validate_round
from tests.matcher.engine_fixtures import arc_set

TINY = Path(__file__).parents[1] / "data" / "rounds" / "tiny.json"


def tiny() -> Round:
    return validate_round(json.loads(TINY.read_text(encoding="utf-8")))


def without_distance_rule(round: Round) -> Round:
    rules = round.rules.model_copy(update={"max_distance": MaxDistance(enabled=False)})
    return round.model_copy(update={"rules": rules})


def make_round(
    cad: list[tuple[float, float]], com: list[tuple[float, float]], crs: str = "wgs84"
) -> Round:
    """A round with cadres and communities at the given WGS-84 (or ``crs``) points."""
    cadres = [
        Cadre(
            id=f"C{i}",
            name="x",
            unit="u",
            level="city",
            political_status="中共党员",
            home_district="210702",
            rank="科员",
            location=Location(lon=lon, lat=lat, crs=crs),
        )
        for i, (lon, lat) in enumerate(cad)
    ]
    communities = [
        Community(
            id=f"M{i}",
            name="m",
            district={"code": "210702", "name": "古塔区"},
            location=Location(lon=lon, lat=lat),
        )
        for i, (lon, lat) in enumerate(com)
    ]
    return Round(cadres=cadres, communities=communities)


def brute_force(cad: np.ndarray, com: np.ndarray, max_m: float) -> set[tuple[int, int]]:
    d = great_circle_m(cad[:, None, 0], cad[:, None, 1], com[None, :, 0], com[None, :, 1])
    i, j = np.nonzero(d <= max_m)
    return set(zip(i.tolist(), j.tolist(), strict=True))


def test_tiny_round_uses_its_distance_rule() -> None:
    """The tiny round's 10 km rule keeps all 18 pairs (all within 3 km), sorted and unique."""
    pairs = candidate_pairs(tiny())
    assert len(pairs) == 18
    order = np.lexsort((pairs.cadre, pairs.community))
    assert (order == np.arange(18)).all()
    assert int(pairs.distance_m.max()) < 3_000


def test_radius_binds() -> None:
    """With max_km=1 only pairs within 1 km remain, and their distances match haversine."""
    round = tiny()
    pairs = candidate_pairs(round, max_km=1.0)
    assert 0 < len(pairs) < 18
    assert int(pairs.distance_m.max()) <= 1_000
    for cad, com, dist in zip(pairs.cadre, pairs.community, pairs.distance_m, strict=True):
        a, b = round.cadres[cad].location, round.communities[com].location
        assert b is not None
        assert abs(float(great_circle_m(a.lon, a.lat, b.lon, b.lat)) - dist) <= 0.5


@settings(max_examples=25, deadline=None)
@given(
    seed=st.integers(0, 10_000),
    n_cad=st.integers(0, 60),
    n_com=st.integers(0, 40),
    km=st.floats(0.5, 40.0),
)
def test_radius_equals_brute_force(seed: int, n_cad: int, n_com: int, km: float) -> None:
    """pairs_within returns exactly the brute-force set of pairs within the radius."""
    rng = np.random.default_rng(seed)
    cad = np.column_stack([rng.uniform(120.8, 121.6, n_cad), rng.uniform(40.8, 41.4, n_cad)])
    com = np.column_stack([rng.uniform(120.8, 121.6, n_com), rng.uniform(40.8, 41.4, n_com)])
    c, m, d = pairs_within(cad[:, 0], cad[:, 1], com[:, 0], com[:, 1], km * 1000)
    assert set(zip(c.tolist(), m.tolist(), strict=True)) == brute_force(cad, com, km * 1000)
    if len(c):
        expected = great_circle_m(cad[c, 0], cad[c, 1], com[m, 0], com[m, 1])
        np.testing.assert_allclose(d, expected, atol=1e-3)


def test_k_nearest_equals_brute_force() -> None:
    """nearest_pairs returns each community's k nearest cadres (brute-force argsort)."""
    rng = np.random.default_rng(3)
    cad = np.column_stack([rng.uniform(120.8, 121.6, 300), rng.uniform(40.8, 41.4, 300)])
    com = np.column_stack([rng.uniform(120.8, 121.6, 50), rng.uniform(40.8, 41.4, 50)])
    c, m, _ = nearest_pairs(cad[:, 0], cad[:, 1], com[:, 0], com[:, 1], 7)
    d = great_circle_m(com[:, None, 0], com[:, None, 1], cad[None, :, 0], cad[None, :, 1])
    for j in range(50):
        assert set(c[m == j].tolist()) == set(np.argsort(d[j])[:7].tolist())


def test_k_nearest_within_radius() -> None:
    """With both k and a radius, only the k nearest that are also within the radius remain."""
    rng = np.random.default_rng(4)
    cad = np.column_stack([rng.uniform(120.8, 121.6, 300), rng.uniform(40.8, 41.4, 300)])
    com = np.column_stack([rng.uniform(120.8, 121.6, 50), rng.uniform(40.8, 41.4, 50)])
    c, m, d = nearest_pairs(cad[:, 0], cad[:, 1], com[:, 0], com[:, 1], 5, max_m=3_000)
    assert (d <= 3_000).all()
    assert np.bincount(m, minlength=50).max() <= 5
    assert set(zip(c.tolist(), m.tolist(), strict=True)) <= brute_force(cad, com, 3_000)


def test_disabled_rule_small_round_gets_all_pairs() -> None:
    """No distance rule and a small round: every cadre × community pair, however far."""
    round = make_round([(121.1, 41.1), (116.4, 39.9)], [(121.1, 41.1)])
    pairs = candidate_pairs(without_distance_rule(round))
    assert len(pairs) == 2
    assert int(pairs.distance_m.max()) > 400_000


def test_disabled_rule_large_round_prunes_to_k(monkeypatch: pytest.MonkeyPatch) -> None:
    """No distance rule and too many pairs: each community keeps its DEFAULT_K nearest
    (all eligible here) and the pairs say how far they reach."""
    monkeypatch.setattr(pairs_module, "ALL_PAIRS_LIMIT", 10)
    monkeypatch.setattr(pairs_module, "DEFAULT_K", 3)
    rng = np.random.default_rng(5)
    cad = list(zip(rng.uniform(121, 121.2, 8), rng.uniform(41, 41.2, 8), strict=True))
    com = list(zip(rng.uniform(121, 121.2, 4), rng.uniform(41, 41.2, 4), strict=True))
    pairs = candidate_pairs(without_distance_rule(make_round(cad, com)))
    assert len(pairs) == 4 * 3
    assert pairs.reach_m is not None and not pairs.complete
    for j in range(4):  # every cadre closer than the reach is a candidate
        far = pairs.distance_m[pairs.community == j].max()
        assert pairs.reach_m[j] >= far - 0.5


def test_explicit_k_nearest() -> None:
    """k_nearest=2 when every cadre is eligible gives two cadres per community."""
    cad = [(121.1 + 0.01 * i, 41.1) for i in range(6)]
    pairs = candidate_pairs(without_distance_rule(make_round(cad, cad[:3])), k_nearest=2)
    assert np.bincount(pairs.community).tolist() == [2, 2, 2]


def test_k_nearest_applies_hard_rules_first() -> None:
    """On the tiny round, k_nearest=2 widens until 2 cadres are eligible per post type: few
    are, so every eligible pair is kept (the same arcs as all pairs) and nothing is left out."""
    rnd = without_distance_rule(tiny())
    pairs = candidate_pairs(rnd, k_nearest=2)
    assert pairs.complete
    assert arc_set(build_problem(rnd, pairs)) == arc_set(build_problem(rnd, candidate_pairs(rnd)))


def test_gcj02_inputs_are_converted() -> None:
    """A cadre given in GCJ-02 at a community's WGS-84 spot is 0 m away, not ~500 m."""
    wlon, wlat = 121.13, 41.13
    glon, glat = from_wgs84(wlon, wlat, "gcj02")
    round = make_round([(float(glon), float(glat))], [(wlon, wlat)], crs="gcj02")
    assert candidate_pairs(round).distance_m.tolist() == [0]
    as_wgs = make_round([(float(glon), float(glat))], [(wlon, wlat)])
    assert int(candidate_pairs(as_wgs).distance_m[0]) > 300


def test_polygon_community_uses_representative_point() -> None:
    """A community known only by its polygon is measured from a point inside the polygon."""
    ring = [(121.10, 41.10), (121.12, 41.10), (121.12, 41.12), (121.10, 41.12), (121.10, 41.10)]
    base = make_round([(121.11, 41.11)], [])
    com = Community(
        id="P1",
        name="p",
        district={"code": "210702", "name": "古塔区"},
        polygon=Polygon(rings=[ring]),
    )
    round = base.model_copy(update={"communities": [com]})
    pairs = candidate_pairs(round)
    assert len(pairs) == 1 and int(pairs.distance_m[0]) < 1_200


def test_empty_sides_give_no_pairs() -> None:
    """No cadres (or no communities) → no pairs, no error."""
    assert len(candidate_pairs(make_round([], [(121.1, 41.1)]))) == 0
    assert len(candidate_pairs(make_round([(121.1, 41.1)], []))) == 0


def test_bad_parameters_rejected() -> None:
    """Non-positive radius or k are refused with the value in the message."""
    with pytest.raises(ValueError, match="-1"):
        candidate_pairs(tiny(), max_km=-1)
    with pytest.raises(ValueError, match="0"):
        candidate_pairs(tiny(), k_nearest=0)


def test_sphere_error_against_ellipsoid_is_small() -> None:
    """Great-circle distance differs from the WGS-84 geodesic by < 0.5 % around the seed cities."""
    rng = np.random.default_rng(9)
    for lon0, lat0 in [(121.13, 41.1), (115.05, 30.2), (113.3, 40.08), (117.0, 36.65)]:
        lon1, lat1 = lon0 + rng.uniform(-0.3, 0.3, 500), lat0 + rng.uniform(-0.3, 0.3, 500)
        lon2, lat2 = lon0 + rng.uniform(-0.3, 0.3, 500), lat0 + rng.uniform(-0.3, 0.3, 500)
        sphere = great_circle_m(lon1, lat1, lon2, lat2)
        ellipsoid = geodesic_m(lon1, lat1, lon2, lat2)
        assert float(np.max(np.abs(sphere - ellipsoid) / ellipsoid)) < 0.005


@pytest.mark.parametrize("n_cadres", [50, 2**40])
def test_packed_sort_matches_from_arrays(n_cadres: int) -> None:
    """The packed-key sort equals CandidatePairs.from_arrays (and falls back when too big)."""
    rng = np.random.default_rng(11)
    cad = rng.integers(0, 50, 400)
    com = rng.integers(0, 30, 400)
    dist = rng.uniform(0, 40_000, 400)
    key = com * 50 + cad
    _, first = np.unique(key, return_index=True)
    cad, com, dist = cad[first], com[first], dist[first]
    rng.shuffle(order := np.arange(len(cad)))
    got = pairs_module._as_candidate_pairs(cad[order], com[order], dist[order], n_cadres)
    want = CandidatePairs.from_arrays(cad, com, dist)
    for field in ("cadre", "community", "distance_m"):
        np.testing.assert_array_equal(getattr(got, field), getattr(want, field))


def test_duplicate_pairs_fall_back_to_dedupe() -> None:
    """Duplicate pairs (never produced by the KD-tree) are still deduplicated correctly."""
    got = pairs_module._as_candidate_pairs(
        np.array([1, 1, 0]), np.array([0, 0, 0]), np.array([5.0, 5.0, 7.0]), 2
    )
    assert got.cadre.tolist() == [0, 1] and got.distance_m.tolist() == [7, 5]
