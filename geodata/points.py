"""The round's places as WGS-84 point arrays: every cadre and every community, in round order.

A community is measured from its ``location`` when given, otherwise from a representative
point of its ``polygon`` (a point guaranteed inside the polygon, unlike the centroid of a
crescent-shaped community). Both are converted to WGS-84 first (:mod:`geodata.crs`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

import numpy as np
import shapely
from numpy.typing import NDArray

from geodata.crs import to_wgs84
from matcher.model.problems import InputProblem, InvalidInput
from matcher.model.round import Community, CoordSystem, Location, Polygon, Round

FloatArray = NDArray[np.float64]


def polygon_wgs84(polygon: Polygon) -> shapely.Geometry:
    """A community polygon as a shapely geometry in WGS-84 (repaired if self-intersecting)."""
    rings = []
    for ring in polygon.rings:
        xy = np.asarray(ring, dtype=np.float64)
        lon, lat = to_wgs84(xy[:, 0], xy[:, 1], polygon.crs)
        rings.append(np.column_stack([lon, lat]))
    geom = shapely.Polygon(rings[0], rings[1:])
    if not geom.is_valid:
        geom = shapely.make_valid(geom, method="structure", keep_collapsed=False)
    return geom


def _convert_grouped(
    lon: FloatArray, lat: FloatArray, systems: list[CoordSystem]
) -> tuple[FloatArray, FloatArray]:
    """Convert in one vectorised call per coordinate system."""
    groups: dict[CoordSystem, list[int]] = defaultdict(list)
    for i, system in enumerate(systems):
        groups[system].append(i)
    out_lon, out_lat = lon.copy(), lat.copy()
    for system, idx in groups.items():
        sel = np.asarray(idx, dtype=np.intp)
        out_lon[sel], out_lat[sel] = to_wgs84(lon[sel], lat[sel], system)
    return out_lon, out_lat


def location_points(locations: Sequence[Location]) -> tuple[FloatArray, FloatArray]:
    """WGS-84 lon, lat of any locations, each converted from its own coordinate system."""
    lon = np.array([p.lon for p in locations], dtype=np.float64)
    lat = np.array([p.lat for p in locations], dtype=np.float64)
    return _convert_grouped(lon, lat, [p.crs for p in locations])


def cadre_points(round: Round) -> tuple[FloatArray, FloatArray]:
    """WGS-84 lon, lat of every cadre's location (home or unit), in ``round.cadres`` order."""
    return location_points([c.location for c in round.cadres])


def _polygon_point(community: Community) -> tuple[float, float]:
    assert community.polygon is not None
    geom = polygon_wgs84(community.polygon)
    if geom.is_empty or geom.area == 0:
        raise ValueError("polygon has no area")
    point = geom.representative_point()
    return float(point.x), float(point.y)


def community_points(round: Round, *, source: str = "round") -> tuple[FloatArray, FloatArray]:
    """WGS-84 lon, lat of every community (location, else polygon representative point).

    Raises :class:`matcher.model.problems.InvalidInput` listing every community that has neither
    (validation normally catches that earlier) or whose polygon has no area.
    """
    n = len(round.communities)
    lon = np.zeros(n, dtype=np.float64)
    lat = np.zeros(n, dtype=np.float64)
    systems: list[CoordSystem] = []
    problems: list[InputProblem] = []
    from_polygon: list[int] = []
    for i, com in enumerate(round.communities):
        if com.location is not None:
            lon[i], lat[i] = com.location.lon, com.location.lat
            systems.append(com.location.crs)
        elif com.polygon is not None:
            from_polygon.append(i)
            systems.append(CoordSystem.WGS84)
        else:
            systems.append(CoordSystem.WGS84)
            problems.append(
                InputProblem(
                    source,
                    f"communities[{i}]",
                    "missing coordinates: give a location or a polygon",
                    id=com.id,
                    field="location",
                )
            )
    lon, lat = _convert_grouped(lon, lat, systems)
    for i in from_polygon:
        com = round.communities[i]
        try:
            lon[i], lat[i] = _polygon_point(com)
        except (ValueError, shapely.errors.GEOSException) as exc:
            problems.append(_bad_polygon(source, i, com, str(exc)))
            continue
    if problems:
        raise InvalidInput(problems)
    return lon, lat


def _bad_polygon(source: str, i: int, com: Community, why: str) -> InputProblem:
    return InputProblem(
        source, f"communities[{i}].polygon", f"unusable polygon: {why}", id=com.id, field="polygon"
    )
