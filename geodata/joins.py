"""Spatial joins: which district each community or cadre home lies in, and what does not fit.

:func:`assign_districts` is the general join (points or polygons against district polygons)
with the checks a planner needs: missing or mixed CRS is refused with a message saying how to
fix it, invalid geometries are reported by id instead of crashing, and points outside every
district are counted and named. :func:`check_round_districts` applies it to a round and returns
located :class:`matcher.model.problems.InputProblem` items (stated district does not contain the
point; point outside the city).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd

from geodata.boundaries import WGS84, load_districts
from geodata.points import cadre_points, community_points
from matcher.model.problems import InputProblem, InvalidInput
from matcher.model.round import Round

#: Default slack at district borders: the bundled borders are simplified by up to ~150 m
#: (geodata/data/README.md) and addresses are geocoded to tens of metres.
BORDER_TOLERANCE_M = 200.0


class CrsMismatchError(ValueError):
    """The inputs of a join have no CRS or different CRSs."""


@dataclass(frozen=True)
class JoinReport:
    """Outcome of :func:`assign_districts`.

    ``district`` maps each input id to its district code (``None`` when outside every district
    or invalid); ``outside`` and ``invalid`` list the ids that could not be placed, and
    ``near_border`` the ids placed only thanks to the border tolerance.
    """

    district: dict[str, str | None]
    outside: list[str] = field(default_factory=list)
    invalid: list[str] = field(default_factory=list)
    near_border: list[str] = field(default_factory=list)
    invalid_districts: list[str] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        """Number of points per district code (placed points only)."""
        out: dict[str, int] = {}
        for code in self.district.values():
            if code is not None:
                out[code] = out.get(code, 0) + 1
        return dict(sorted(out.items()))

    def summary(self) -> str:
        """One line: placed / outside / invalid counts."""
        placed = sum(1 for c in self.district.values() if c is not None)
        return (
            f"{placed} placed in {len(self.counts())} districts, {len(self.outside)} outside "
            f"every district, {len(self.invalid)} invalid geometries"
        )


def _check_crs(points: gpd.GeoDataFrame, districts: gpd.GeoDataFrame) -> None:
    hint = (
        "set it with .set_crs('EPSG:4326') for WGS-84 lon/lat; convert GCJ-02 or BD-09 "
        "coordinates with geodata.crs.to_wgs84 first"
    )
    if points.crs is None:
        raise CrsMismatchError(f"the points have no CRS: {hint}")
    if districts.crs is None:
        raise CrsMismatchError(f"the districts have no CRS: {hint}")
    if points.crs != districts.crs:
        raise CrsMismatchError(
            f"mixed CRS: points are in {points.crs.to_string()}, districts in "
            f"{districts.crs.to_string()}; convert one with .to_crs(...) before joining"
        )


def _bad_geometry(geoms: gpd.GeoSeries) -> np.ndarray:
    return np.asarray(geoms.isna() | geoms.is_empty | ~geoms.is_valid, dtype=bool)


def assign_districts(
    points: gpd.GeoDataFrame,
    districts: gpd.GeoDataFrame,
    *,
    id_column: str | None = None,
    tolerance_m: float = 0.0,
) -> JoinReport:
    """Place each point (or polygon, by its representative point) in a district.

    ``districts`` needs a ``code`` column. Ids come from ``id_column`` or the index. With
    ``tolerance_m`` > 0 a point outside every district but within that many metres of one is
    placed in the nearest (and listed in ``near_border``).
    """
    _check_crs(points, districts)
    if "code" not in districts.columns:
        raise ValueError("the districts need a 'code' column")
    ids = [str(v) for v in (points[id_column] if id_column else points.index)]
    bad = _bad_geometry(points.geometry)
    bad_d = _bad_geometry(districts.geometry)
    invalid_districts = [str(c) for c in districts.loc[bad_d, "code"]]
    good_districts = districts.loc[~bad_d, ["code", "geometry"]].reset_index(drop=True)
    geoms = points.geometry.copy()
    ok = ~bad
    not_point = ok & np.asarray(geoms.geom_type != "Point", dtype=bool)
    geoms[not_point] = geoms[not_point].representative_point()
    located = gpd.GeoDataFrame({"pos": np.arange(len(points))[ok]}, geometry=geoms[ok].values)
    located = located.set_crs(points.crs, allow_override=True)
    hits = gpd.sjoin(located, good_districts, how="left", predicate="intersects")
    hits = hits.sort_values(["pos", "index_right"]).drop_duplicates("pos")
    codes: list[str | None] = [None] * len(points)
    for pos, code in zip(hits["pos"], hits["code"], strict=True):
        codes[int(pos)] = None if pd.isna(code) else str(code)
    near: list[str] = []
    missing = [i for i in range(len(points)) if ok[i] and codes[i] is None]
    if missing and tolerance_m > 0 and len(good_districts):
        utm = good_districts.estimate_utm_crs()
        lost = located[located["pos"].isin(missing)].to_crs(utm)
        nearest = gpd.sjoin_nearest(
            lost, good_districts.to_crs(utm), how="inner", max_distance=tolerance_m
        ).drop_duplicates("pos")
        for pos, code in zip(nearest["pos"], nearest["code"], strict=True):
            codes[int(pos)] = str(code)
            near.append(ids[int(pos)])
    return JoinReport(
        district=dict(zip(ids, codes, strict=True)),
        outside=[ids[i] for i in range(len(points)) if ok[i] and codes[i] is None],
        invalid=[ids[i] for i in range(len(points)) if bad[i]],
        near_border=near,
        invalid_districts=invalid_districts,
    )


def check_round_districts(
    round: Round,
    city_code: str,
    *,
    tolerance_m: float = BORDER_TOLERANCE_M,
    source: str = "round",
) -> list[InputProblem]:
    """Problems with the round's stated districts against the boundaries of ``city_code``.

    For every community (location, else polygon) and every cadre location: the stated district
    code must be one of the city's districts, and the point must lie in it (within
    ``tolerance_m`` of its border); a point outside every district of the city is reported as
    such. Coordinates are converted to WGS-84 first.
    """
    districts = load_districts(city_code)
    names = dict(zip(districts["code"], districts["name"], strict=True))
    city = f"city {city_code}"
    problems: list[InputProblem] = []
    items: list[tuple[str, str, str, str, float, float]] = []  # where, field, id, code, lon, lat
    try:
        com_lon, com_lat = community_points(round, source=source)
    except InvalidInput as exc:
        problems.extend(exc.problems)
    else:
        for i, com in enumerate(round.communities):
            where = f"communities[{i}].{'location' if com.location else 'polygon'}"
            items.append((where, "district", com.id, com.district.code, com_lon[i], com_lat[i]))
    cad_lon, cad_lat = cadre_points(round)
    for i, cad in enumerate(round.cadres):
        where = f"cadres[{i}].location"
        items.append((where, "home_district", cad.id, cad.home_district, cad_lon[i], cad_lat[i]))
    if not items:
        return problems
    known = ", ".join(f"{c} {n}" for c, n in names.items())
    lon = np.array([it[4] for it in items])
    lat = np.array([it[5] for it in items])
    frame = gpd.GeoDataFrame(geometry=gpd.points_from_xy(lon, lat), crs=WGS84)
    report = assign_districts(frame, districts)
    found = list(report.district.values())
    utm = districts.estimate_utm_crs()
    pts_utm = frame.to_crs(utm).geometry
    polys_utm = dict(zip(districts["code"], districts.to_crs(utm).geometry, strict=True))
    for k, (where, fld, ident, stated, x, y) in enumerate(items):
        at = f"({x:.5f}, {y:.5f} WGS-84)"
        if stated not in names:
            problems.append(
                InputProblem(
                    source,
                    where.rsplit(".", 1)[0] + f".{fld}",
                    f"district code '{stated}' is not a district of {city} (known: {known})",
                    id=ident,
                    field=fld,
                )
            )
            continue
        if found[k] == stated or polys_utm[stated].distance(pts_utm.iloc[k]) <= tolerance_m:
            continue
        if found[k] is None:
            message = f"point {at} lies outside every district of {city}"
        else:
            message = (
                f"point {at} lies in {names[found[k]]} ({found[k]}), not in the stated "
                f"{names[stated]} ({stated})"
            )
        problems.append(InputProblem(source, where, message, id=ident, field=fld))
    return problems
