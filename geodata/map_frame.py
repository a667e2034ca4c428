"""What a plan map frames: the box around the posts and the cadres' homes, and, when that area
is large (many communities or tens of kilometres across), one zoomed panel per district with
the most communities so their names can be read (:mod:`geodata.maps`)."""

from __future__ import annotations

from collections import Counter
from typing import Any

import numpy as np

from geodata.map_style import km_per_degree_lon

LARGE_KM = 25.0  # a plan area wider than this gets district panels
LARGE_COUNT = 80  # … and so does one with more communities than this
MAX_PANELS = 6

Bounds = tuple[float, float, float, float]  # lon0, lat0, lon1, lat1


def bounds_of(points: list[tuple[float, float]]) -> Bounds:
    """The box around ``points``, padded by 8 % of its larger side (at least 0.01°)."""
    lons, lats = [p[0] for p in points], [p[1] for p in points]
    pad = 0.08 * max(max(lons) - min(lons), max(lats) - min(lats), 0.01)
    return min(lons) - pad, min(lats) - pad, max(lons) + pad, max(lats) + pad


def width_km(b: Bounds) -> float:
    """The larger side of a box in kilometres, at its middle latitude."""
    lat = (b[1] + b[3]) / 2
    return max((b[2] - b[0]) * km_per_degree_lon(lat), (b[3] - b[1]) * 111.32)


def zoom_panels(coms: list[dict[str, Any]], whole: Bounds) -> list[tuple[str, Bounds]]:
    """(district name, bounds) of the districts to zoom into, when the plan area is large.

    A panel frames the district's cluster (its 5th to 95th percentile of positions, padded):
    a few outlying communities stay on the main map rather than shrinking the cluster.
    """
    if len(coms) <= LARGE_COUNT and width_km(whole) <= LARGE_KM:
        return []
    count = Counter(f["properties"]["district"] for f in coms)
    if len(count) < 2:
        return []
    out = []
    for name, _ in count.most_common(MAX_PANELS):
        pts = np.array(
            [f["geometry"]["coordinates"] for f in coms if f["properties"]["district"] == name]
        )
        lo, hi = np.quantile(pts, 0.03, axis=0), np.quantile(pts, 0.97, axis=0)
        mid = (lo + hi) / 2
        # half sizes in km, then widened so the panel is about 4:3 (a slot's shape)
        kx = km_per_degree_lon(float(mid[1]))
        wx, wy = max((hi[0] - lo[0]) * kx, 1.0) * 0.6, max((hi[1] - lo[1]) * 111.32, 1.0) * 0.6
        wx, wy = max(wx, wy * 4 / 3), max(wy, wx * 3 / 4)
        dx, dy = wx / kx, wy / 111.32
        out.append((name, (mid[0] - dx, mid[1] - dy, mid[0] + dx, mid[1] + dy)))
    return out


__all__ = [
    "LARGE_COUNT",
    "LARGE_KM",
    "MAX_PANELS",
    "Bounds",
    "bounds_of",
    "width_km",
    "zoom_panels",
]
