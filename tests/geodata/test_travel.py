"""Road travel distance/time from a small OSMnx-style GraphML network written in the test."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import numpy as np
import pytest

from geodata.distance import great_circle_m
from geodata.pairs import candidate_pairs
from geodata.travel import TravelTimes
from matcher.model.round import Cadre, Community, Location, Round

# A road west→east along 41.10°N: A — B — C, two-way; C → E one-way north; D is isolated.
NODES = {
    "A": (121.10, 41.10),
    "B": (121.11, 41.10),
    "C": (121.12, 41.10),
    "E": (121.12, 41.11),
    "D": (121.30, 41.30),
}


def leg(a: str, b: str) -> float:
    (x1, y1), (x2, y2) = NODES[a], NODES[b]
    return float(great_circle_m(x1, y1, x2, y2))


def road_graph() -> nx.MultiDiGraph:
    """OSMnx shape: MultiDiGraph, x/y on nodes, length (m) and travel_time (s) on edges."""
    g = nx.MultiDiGraph()
    for name, (x, y) in NODES.items():
        g.add_node(name, x=x, y=y)
    for a, b in [("A", "B"), ("B", "C")]:
        for u, v in [(a, b), (b, a)]:
            g.add_edge(u, v, length=leg(u, v) * 1.2, travel_time=leg(u, v) * 1.2 / 10.0)
    # A slow parallel road A→B (longer): the shorter edge must win for distance.
    g.add_edge("A", "B", length=leg("A", "B") * 2, travel_time=leg("A", "B") * 2 / 20.0)
    g.add_edge("C", "E", length=leg("C", "E"))  # one-way, no travel_time → default speed
    return g


@pytest.fixture
def graphml(tmp_path: Path) -> Path:
    path = tmp_path / "roads.graphml"
    nx.write_graphml(road_graph(), path)
    return path


def place(lon: float, lat: float) -> Location:
    return Location(lon=lon, lat=lat)


def make_round(cad: list[tuple[float, float]], com: list[tuple[float, float]], km: float) -> Round:
    cadres = [
        Cadre(
            id=f"C{i}",
            name="x",
            unit="u",
            level="city",
            political_status="中共党员",
            home_district="210702",
            rank="科员",
            location=place(*p),
        )
        for i, p in enumerate(cad)
    ]
    coms = [
        Community(
            id=f"M{i}", name="m", district={"code": "210702", "name": "古塔区"}, location=place(*p)
        )
        for i, p in enumerate(com)
    ]
    return Round(cadres=cadres, communities=coms, rules={"max_distance": {"km": km}})


def pts(*names: str) -> tuple[np.ndarray, np.ndarray]:
    return (
        np.array([NODES[n][0] for n in names], dtype=float),
        np.array([NODES[n][1] for n in names], dtype=float),
    )


def test_loads_graphml_and_snaps(graphml: Path) -> None:
    """The GraphML file loads; a point next to B snaps to B at the right straight-line distance."""
    roads = TravelTimes.from_graphml(graphml)
    assert roads.length.shape == (5, 5)
    idx, metres = roads.snap(np.array([121.11]), np.array([41.1009]))
    assert idx.tolist() == [1]
    assert metres[0] == pytest.approx(100, abs=1)


def test_shortest_distance_and_time(graphml: Path) -> None:
    """A → C: distance via the short legs, time via the faster parallel road (own optima)."""
    roads = TravelTimes.from_graphml(graphml)
    m = roads.road_metrics(pts("A"), pts("C"), np.array([0]), np.array([0]))
    expected = (leg("A", "B") + leg("B", "C")) * 1.2
    assert m.reachable.tolist() == [True]
    assert m.distance_m[0] == pytest.approx(expected, rel=1e-9)
    # Time takes the fast parallel A→B road (2× length at 20 m/s beats 1.2× at 10 m/s).
    assert m.time_s[0] == pytest.approx(leg("A", "B") / 10 + leg("B", "C") * 0.12, rel=1e-9)


def test_one_way_edge_and_default_speed(graphml: Path) -> None:
    """C → E is one-way: reachable from C at the default 30 km/h, not reachable back."""
    roads = TravelTimes.from_graphml(graphml, default_speed_kmh=36.0)
    there = roads.road_metrics(pts("C"), pts("E"), np.array([0]), np.array([0]))
    back = roads.road_metrics(pts("E"), pts("C"), np.array([0]), np.array([0]))
    assert there.reachable[0] and there.time_s[0] == pytest.approx(leg("C", "E") / 10.0)
    assert not back.reachable[0] and np.isinf(back.distance_m[0])


def test_undirected_option(graphml: Path) -> None:
    """directed=False makes every edge two-way (E → C becomes reachable)."""
    roads = TravelTimes.from_graphml(graphml, directed=False)
    back = roads.road_metrics(pts("E"), pts("C"), np.array([0]), np.array([0]))
    assert back.reachable[0]


def test_access_legs_are_added(graphml: Path) -> None:
    """Points off the network pay the straight line to their nearest node at access speed."""
    roads = TravelTimes.from_graphml(graphml, access_speed_kmh=3.6)
    off = (np.array([121.10]), np.array([41.1009]))  # ~100 m north of A
    m = roads.road_metrics(off, pts("B"), np.array([0]), np.array([0]))
    assert m.distance_m[0] == pytest.approx(leg("A", "B") * 1.2 + 100, abs=1.5)
    assert m.time_s[0] == pytest.approx(leg("A", "B") / 10 + 100, abs=1.5)


def test_candidate_pairs_use_road_distance(graphml: Path) -> None:
    """With a network, distance_m is the road distance and the radius applies along roads."""
    roads = TravelTimes.from_graphml(graphml)
    a, c, d = NODES["A"], NODES["C"], NODES["D"]
    ac_road = (leg("A", "B") + leg("B", "C")) * 1.2
    # Straight line A–C ≈ 1.68 km, by road ≈ 2.02 km: a 1.9 km radius keeps it only without roads.
    round = make_round([a, d], [c], km=1.9)
    assert len(candidate_pairs(round)) == 1
    assert len(candidate_pairs(round, travel=roads)) == 0
    round = make_round([a, d], [c], km=3.0)
    pairs = candidate_pairs(round, travel=roads)
    assert pairs.cadre.tolist() == [0]  # D is not connected to the road network
    assert int(pairs.distance_m[0]) == round_metres(ac_road)


def round_metres(x: float) -> int:
    return int(np.rint(x))


def test_missing_length_is_named(tmp_path: Path) -> None:
    """An edge without 'length' is refused with the edge named."""
    g = nx.MultiDiGraph()
    g.add_node("p", x=121.1, y=41.1)
    g.add_node("q", x=121.2, y=41.1)
    g.add_edge("p", "q")
    path = tmp_path / "bad.graphml"
    nx.write_graphml(g, path)
    with pytest.raises(ValueError, match=r"p->q has no 'length'"):
        TravelTimes.from_graphml(path)


def test_string_attributes_as_osmnx_writes_them(tmp_path: Path) -> None:
    """OSMnx stores attributes as strings; they are parsed as numbers."""
    g = nx.MultiDiGraph()
    g.add_node("1", x="121.1", y="41.1")
    g.add_node("2", x="121.11", y="41.1")
    g.add_edge("1", "2", length="900.5", travel_time="90")
    path = tmp_path / "strings.graphml"
    nx.write_graphml(g, path)
    roads = TravelTimes.from_graphml(path)
    m = roads.road_metrics(
        (np.array([121.1]), np.array([41.1])),
        (np.array([121.11]), np.array([41.1])),
        np.array([0]),
        np.array([0]),
    )
    assert m.distance_m[0] == pytest.approx(900.5) and m.time_s[0] == pytest.approx(90)
