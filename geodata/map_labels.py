"""Names on a plan map, placed where they cover no marker and no other label: community names
beside their markers (the first of four offsets that fits, else left out) and district names
near each district's middle. ``taken`` holds the display boxes already used."""

from __future__ import annotations

from typing import Any

import geopandas as gpd
from matplotlib.axes import Axes
from matplotlib.patheffects import withStroke

from geodata.map_frame import Bounds


def overlaps(b: tuple[float, float, float, float], taken: list[Any]) -> bool:
    """Whether box ``b`` (display pixels) overlaps any box in ``taken``."""
    return any(b[0] < t[2] and t[0] < b[2] and b[1] < t[3] and t[1] < b[3] for t in taken)


OFFSETS = (
    (5, 4, "left", "bottom"),
    (-5, 4, "right", "bottom"),
    (5, -4, "left", "top"),
    (-5, -4, "right", "top"),
)


def place_label(
    ax: Axes,
    text: str,
    xy: tuple[float, float],
    renderer: Any,
    taken: list[Any],
    fontsize: float,
) -> bool:
    """Put ``text`` beside ``xy`` at the first offset that covers no marker or label."""
    for dx, dy, ha, va in OFFSETS:
        t = ax.annotate(
            text,
            xy,
            xytext=(dx, dy),
            textcoords="offset points",
            ha=ha,
            va=va,
            fontsize=fontsize,
            color="#222222",
            zorder=5,
            path_effects=[withStroke(linewidth=2.2, foreground="white")],
        )
        e = t.get_window_extent(renderer)
        box = (e.x0, e.y0, e.x1, e.y1)
        inside = ax.get_window_extent(renderer)
        fits = inside.x0 <= e.x0 and e.x1 <= inside.x1 and inside.y0 <= e.y0 and e.y1 <= inside.y1
        if fits and not overlaps(box, taken):
            taken.append(box)
            return True
        t.remove()
    return False


def district_names(
    ax: Axes,
    districts: gpd.GeoDataFrame,
    box: Bounds,
    renderer: Any,
    taken: list[Any],
    shown: set[str] | None = None,
) -> None:
    """District names near the middle of each district, moved off the markers if possible
    (only the districts in ``shown`` when it is given)."""
    from shapely.geometry import box as rectangle

    markers = list(taken)
    view = rectangle(*box)
    for row in districts.itertuples():
        if shown is not None and str(row.name) not in shown:
            continue
        part = row.geometry.intersection(view)
        if part.is_empty or part.area < 0.02 * view.area:
            continue
        p = part.representative_point()
        frame = ax.get_window_extent(renderer)
        for dy in (0, 24, -24, 48, -48, 72, -72):
            t = ax.annotate(
                str(row.name),
                (p.x, p.y),
                xytext=(0, dy),
                textcoords="offset points",
                fontsize=11,
                color="#6b6b6b",
                ha="center",
                va="center",
                zorder=2,
                path_effects=[withStroke(linewidth=2.5, foreground="#f4f1ea")],
            )
            e = t.get_window_extent(renderer)
            b = (e.x0, e.y0, e.x1, e.y1)
            within = frame.x0 <= e.x0 and e.x1 <= frame.x1 and frame.y0 <= e.y0 and e.y1 <= frame.y1
            if within and not overlaps(b, markers):
                taken.append(b)
                break
            t.remove()


__all__ = ["OFFSETS", "district_names", "overlaps", "place_label"]
