"""Spatial joins to districts: placement, outside/invalid reporting, CRS checks, round checks."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pytest
import shapely

from geodata.boundaries import load_city, load_districts
from geodata.crs import from_wgs84
from geodata.joins import CrsMismatchError, assign_districts, check_round_districts
from matcher.model.round import Cadre, Community, Location, Round

PLACES = Path(__file__).parents[1] / "data" / "geodata" / "jinzhou_places.geojson"
GUTA = (121.06622, 41.14772)
LINGHE = (121.18263, 41.12506)


def places() -> gpd.GeoDataFrame:
    return gpd.read_file(PLACES)


def test_points_and_polygons_are_placed() -> None:
    """Points and a community polygon land in the right districts."""
    report = assign_districts(places(), load_districts("210700"), id_column="id")
    assert report.district["guta-point"] == "210702"
    assert report.district["linghe-point"] == "210703"
    assert report.district["guta-square"] == "210702"
    assert report.counts() == {"210702": 2, "210703": 1}


def test_outside_and_invalid_are_reported_not_crashed_on() -> None:
    """Beijing is outside every district; the bow-tie and the missing geometry are invalid."""
    report = assign_districts(places(), load_districts("210700"), id_column="id")
    assert report.outside == ["beijing"]
    assert sorted(report.invalid) == ["bowtie", "no-geometry"]
    assert report.district["bowtie"] is None
    assert "1 outside" in report.summary() and "2 invalid" in report.summary()


def test_missing_crs_is_rejected() -> None:
    """Points without a CRS are refused with a message saying how to set it."""
    bare = places().set_crs(None, allow_override=True)
    with pytest.raises(CrsMismatchError, match=r"no CRS.*set_crs"):
        assign_districts(bare, load_districts("210700"))


def test_mixed_crs_is_rejected() -> None:
    """Points in Web Mercator against WGS-84 districts are refused, naming both systems."""
    mercator = places().dropna(subset=["geometry"]).to_crs("EPSG:3857")
    with pytest.raises(CrsMismatchError, match=r"EPSG:3857.*EPSG:4326"):
        assign_districts(mercator, load_districts("210700"))


def test_border_tolerance() -> None:
    """A point ~40 m outside the city is outside with no tolerance, placed with 200 m."""
    outline = load_city("210700").geometry.iloc[0]
    xmin = min(shapely.get_coordinates(outline)[:, 0])
    west = next(c for c in shapely.get_coordinates(outline) if c[0] == xmin)
    frame = gpd.GeoDataFrame(
        {"id": ["edge"]}, geometry=[shapely.Point(west[0] - 0.0005, west[1])], crs="EPSG:4326"
    )
    districts = load_districts("210700")
    assert assign_districts(frame, districts, id_column="id").outside == ["edge"]
    loose = assign_districts(frame, districts, id_column="id", tolerance_m=200)
    assert loose.outside == [] and loose.near_border == ["edge"]
    assert loose.district["edge"] is not None


def community(ident: str, code: str, lon: float, lat: float, crs: str = "wgs84") -> Community:
    return Community(
        id=ident,
        name="c",
        district={"code": code, "name": "x"},
        location=Location(lon=lon, lat=lat, crs=crs),
    )


def cadre(ident: str, code: str, lon: float, lat: float) -> Cadre:
    return Cadre(
        id=ident,
        name="x",
        unit="u",
        level="county",
        political_status="中共党员",
        home_district=code,
        rank="科员",
        location=Location(lon=lon, lat=lat),
    )


def test_round_without_mismatches_has_no_problems() -> None:
    """Communities and cadres inside their stated districts raise nothing (also from GCJ-02)."""
    glon, glat = from_wgs84(*LINGHE, "gcj02")
    round = Round(
        communities=[
            community("A", "210702", *GUTA),
            community("B", "210703", float(glon), float(glat), crs="gcj02"),
        ],
        cadres=[cadre("K1", "210703", *LINGHE)],
    )
    assert check_round_districts(round, "210700") == []


def test_round_mismatches_are_located() -> None:
    """Wrong district, unknown code and outside-the-city each give a located problem."""
    round = Round(
        communities=[
            community("WRONG", "210702", *LINGHE),
            community("UNKNOWN", "210799", *GUTA),
            community("FAR", "210702", 116.391, 39.907),
        ],
        cadres=[cadre("K1", "210702", *LINGHE)],
    )
    problems = {p.id: p for p in check_round_districts(round, "210700", source="round.json")}
    assert set(problems) == {"WRONG", "UNKNOWN", "FAR", "K1"}
    assert "凌河区 (210703), not in the stated" in problems["WRONG"].message
    assert problems["WRONG"].where == "communities[0].location"
    assert problems["UNKNOWN"].where == "communities[1].district"
    assert "'210799' is not a district of city 210700" in problems["UNKNOWN"].message
    assert "outside every district" in problems["FAR"].message
    assert problems["K1"].field == "home_district" and problems["K1"].where == "cadres[0].location"
    assert all(p.source == "round.json" for p in problems.values())


def test_gcj02_mislabelled_as_wgs84_near_border_is_caught() -> None:
    """Near a border, GCJ-02 coordinates read as WGS-84 fall in the neighbouring district."""
    districts = load_districts("210700")
    guta = districts.loc[districts["code"] == "210702"].geometry.iloc[0]
    linghe = districts.loc[districts["code"] == "210703"].geometry.iloc[0]
    border = guta.intersection(linghe)
    for t in [i / 20 for i in range(1, 20)]:
        probe = border.interpolate(t, normalized=True)
        for dx, dy in [(-1, 0), (0, 1), (0, -1), (1, 0)]:
            x, y = probe.x + dx * 2e-4, probe.y + dy * 2e-4
            gx, gy = (float(v) for v in from_wgs84(x, y, "gcj02"))
            if guta.contains(shapely.Point(x, y)) and linghe.contains(shapely.Point(gx, gy)):
                right = Round(communities=[community("G", "210702", gx, gy, "gcj02")])
                wrong = Round(communities=[community("G", "210702", gx, gy)])
                assert check_round_districts(right, "210700", tolerance_m=0) == []
                assert len(check_round_districts(wrong, "210700", tolerance_m=0)) == 1
                return
    pytest.fail("no point along the Guta/Linghe border shows the datum shift")
