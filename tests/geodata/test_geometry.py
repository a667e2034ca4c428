"""The round's prepared geometry: points converted once per solve, metres as the tree measures."""

from __future__ import annotations

from collections import Counter
from typing import Any

import numpy as np
import pytest

import geodata.geometry as geometry_module
import geodata.pairs as pairs_module
import geodata.pipeline as pipeline_module
from geodata.distance import great_circle_m
from geodata.geometry import RoundGeometry
from geodata.pipeline import run_round
from matcher import validate_round
from matcher.engine.result import Status
from tests.geodata.test_truncation import far_own_district
from tests.test_pipeline_exact import strong_far_cadre


def _points(seed: int, n: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    return rng.uniform(120.8, 121.6, n), rng.uniform(40.8, 41.4, n)


def test_metres_equal_the_haversine() -> None:
    """Pair metres from the unit vectors equal the haversine distance to the millimetre."""
    cl, ca = _points(1, 300)
    ml, ma = _points(2, 40)
    geo = RoundGeometry.of_points(cl, ca, ml, ma)
    cad = np.arange(300) % 300
    com = np.arange(300) % 40
    want = great_circle_m(cl[cad], ca[cad], ml[com], ma[com])
    np.testing.assert_allclose(geo.metres(cad, com), want, atol=1e-3)


@pytest.mark.parametrize("radius", [500.0, 4_000.0, np.inf])
def test_ball_is_every_cadre_within_the_radius(radius: float) -> None:
    """A ball query returns exactly the cadres within each community's radius (inf = all)."""
    cl, ca = _points(3, 400)
    ml, ma = _points(4, 30)
    geo = RoundGeometry.of_points(cl, ca, ml, ma)
    rows = np.array([0, 7, 29])
    cad, com, dist = geo.ball(rows, np.full(3, radius))
    for r in rows:
        d = great_circle_m(cl, ca, ml[r], ma[r])
        assert set(cad[com == r].tolist()) == set(np.nonzero(d <= radius)[0].tolist())
    assert (dist <= radius + 1e-6).all()


def test_a_truncated_round_converts_its_points_once(monkeypatch: Any) -> None:
    """Nearest-cadre truncation, eligibility, lock pairs and the proof's widening all read one
    geometry: the round's points are converted once per solve, and the far cadre still wins."""
    calls: Counter[str] = Counter()
    for name in ("cadre_points", "community_points"):
        real = getattr(geometry_module, name)

        def counted(*args: Any, _real: Any = real, _name: str = name, **kw: Any) -> Any:
            calls[_name] += 1
            return _real(*args, **kw)

        monkeypatch.setattr(geometry_module, name, counted)
    monkeypatch.setattr(pairs_module, "ALL_PAIRS_LIMIT", 0)  # every round is "big"
    monkeypatch.setattr(pairs_module, "DEFAULT_K", 3)
    raw = far_own_district()
    raw["rules"]["locks"] = [{"cadre": "K", "community": "X"}]
    plan = run_round(validate_round(raw))
    assert plan.result.status is Status.OPTIMAL
    assert {a.community_id: a.cadre_id for a in plan.result.assignments}["X"] == "K"
    assert calls == {"cadre_points": 1, "community_points": 1}


def test_a_widened_round_converts_its_points_once(monkeypatch: Any) -> None:
    """A round whose optimum lies beyond the nearest cadres is widened for the proof, and
    still converts its points once."""
    calls: Counter[str] = Counter()
    real = geometry_module.cadre_points

    def counted(*args: Any, **kw: Any) -> Any:
        calls["cadre_points"] += 1
        return real(*args, **kw)

    real_widen = pipeline_module.widen

    def widen(*args: Any, **kw: Any) -> Any:
        calls["widen"] += 1
        return real_widen(*args, **kw)

    monkeypatch.setattr(geometry_module, "cadre_points", counted)
    monkeypatch.setattr(pipeline_module, "widen", widen)
    monkeypatch.setattr(pairs_module, "ALL_PAIRS_LIMIT", 0)
    monkeypatch.setattr(pairs_module, "DEFAULT_K", 3)
    plan = run_round(validate_round(strong_far_cadre()))
    assert plan.result.status is Status.OPTIMAL
    assert plan.result.assignments[0].cadre_id == "K"  # the far 正县, found by widening
    assert plan.pairs.reach_m is not None
    assert calls["widen"] >= 1 and calls["cadre_points"] == 1
