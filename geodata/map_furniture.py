"""What a plan map carries besides the plan: a kilometre scale bar with 北 (north), and the
legend's handles, in the map's language."""

from __future__ import annotations

from typing import Any

from matplotlib.axes import Axes
from matplotlib.lines import Line2D
from matplotlib.patheffects import withStroke

from geodata.map_frame import Bounds
from geodata.map_style import km_per_degree_lon, legend_entries, scale_km
from matcher.model.language import pick


def scale_bar(ax: Axes, box: Bounds, lang: str) -> list[Any]:
    """A bar of a round number of kilometres in the lower right corner, and 北 (north);
    returns the artists, so labels can keep clear of them."""
    lon0, lat0, lon1, lat1 = box
    lat = (lat0 + lat1) / 2
    width_km = (lon1 - lon0) * km_per_degree_lon(lat)
    km = scale_km(width_km)
    deg = km / km_per_degree_lon(lat)
    x1 = lon1 - 0.04 * (lon1 - lon0)
    y = lat0 + 0.04 * (lat1 - lat0)
    (bar,) = ax.plot(
        [x1 - deg, x1], [y, y], color="black", linewidth=3, solid_capstyle="butt", zorder=6
    )
    words = pick(lang, f"{km:g} 公里", f"{km:g} km")
    text = ax.text(
        x1 - deg / 2,
        y + 0.012 * (lat1 - lat0),
        words,
        ha="center",
        va="bottom",
        fontsize=8,
        zorder=6,
        path_effects=[withStroke(linewidth=2, foreground="white")],
    )
    north = ax.annotate(
        pick(lang, "北", "N"),
        xy=(0.96, 0.97),
        xytext=(0.96, 0.89),
        xycoords="axes fraction",
        ha="center",
        va="center",
        fontsize=10,
        arrowprops={"arrowstyle": "-|>", "color": "black"},
    )
    return [bar, text, north]


def legend_handles(lang: str) -> list[Line2D]:
    """The legend's entries (:func:`geodata.map_style.legend_entries`) as matplotlib handles."""
    handles = []
    for e in legend_entries(lang):
        if e.kind == "line":
            handles.append(Line2D([], [], color=e.colour, linewidth=2, label=e.text))
        elif e.kind == "cross":
            handles.append(Line2D([], [], color=e.colour, marker="x", linestyle="", label=e.text))
        else:
            handles.append(
                Line2D(
                    [],
                    [],
                    marker="o",
                    linestyle="",
                    markersize=7,
                    color=e.colour,
                    markeredgecolor=e.edge,
                    markeredgewidth=1.8 if e.kind == "ring" else 0.6,
                    label=e.text,
                )
            )
    return handles


__all__ = ["legend_handles", "scale_bar"]
