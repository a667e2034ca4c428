"""GeoJSON export of a plan: RFC 7946 shape, WGS-84, no cadre names, atomic write."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from geodata.crs import to_wgs84, wgs84_to_gcj02
from geodata.export import plan_features, write_geojson
from matcher import CoordSystem, Location
from matcher.engine.result import Assignment
from tests.geodata.plan_fixture import tiny_plan


def test_feature_collection_shape(tmp_path: Path) -> None:
    """Communities are Points with their posts; each filled post is a home→post LineString."""
    rnd, result = tiny_plan()
    out = write_geojson(rnd, result, tmp_path / "plan.geojson")
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["type"] == "FeatureCollection" and "crs" not in data
    points = [f for f in data["features"] if f["geometry"]["type"] == "Point"]
    lines = [f for f in data["features"] if f["geometry"]["type"] == "LineString"]
    assert [f["properties"]["id"] for f in points] == ["GT01", "GT02", "LH01"]
    assert len(lines) == 4
    gt02 = points[1]["properties"]
    assert gt02["vacancies"] == 1
    assert [p["vacant"] for p in gt02["posts"]] == [False, True]
    c01 = next(f for f in lines if f["properties"]["cadre_id"] == "C01")
    assert (
        c01["properties"] | {"rank": "副科", "unit": "市委组织部", "level": "city"}
        == (c01["properties"])
    )
    assert c01["geometry"]["coordinates"] == [[121.131, 41.128], [121.13, 41.13]]
    for f in data["features"]:
        coords = f["geometry"]["coordinates"]
        for lon, lat in [coords] if f["geometry"]["type"] == "Point" else coords:
            assert 73 < lon < 136 and 18 < lat < 54


def test_no_cadre_names(tmp_path: Path) -> None:
    """Cadre names stay out of the file: ids, ranks and units only."""
    rnd, result = tiny_plan()
    text = write_geojson(rnd, result, tmp_path / "plan.geojson").read_text(encoding="utf-8")
    assert "C01" in text
    assert not [c.name for c in rnd.cadres if c.name in text]


def test_gcj02_input_is_exported_in_wgs84() -> None:
    """A community given in GCJ-02 (Amap) is written at its WGS-84 position."""
    rnd, result = tiny_plan()
    lon, lat = wgs84_to_gcj02(121.13, 41.13)
    where = Location(lon=float(lon), lat=float(lat), crs=CoordSystem.GCJ02)
    moved = rnd.communities[0].model_copy(update={"location": where})
    rnd = rnd.model_copy(update={"communities": [moved, *rnd.communities[1:]]})
    point = plan_features(rnd, result)["features"][0]["geometry"]["coordinates"]
    back = to_wgs84(lon, lat, "gcj02")
    assert point == [round(float(back[0]), 6), round(float(back[1]), 6)]
    assert point == pytest.approx([121.13, 41.13], abs=1e-6)


def test_write_is_atomic(tmp_path: Path) -> None:
    """A failing export leaves the previous file untouched and no temporary file behind."""
    rnd, result = tiny_plan()
    target = tmp_path / "plan.geojson"
    write_geojson(rnd, result, target)
    before = target.read_bytes()
    bad = replace(result, assignments=(Assignment("NOPE", "full-time", 1, "C01", 1, 1),))
    with pytest.raises(ValueError, match="NOPE"):
        write_geojson(rnd, bad, target)
    assert target.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["plan.geojson"]
