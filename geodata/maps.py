"""Maps of a plan: a static PNG (matplotlib, Agg) here, an offline HTML map in
:mod:`geodata.map_html` (re-exported: :func:`write_html`, :func:`render_html`).

Both draw the same picture from :func:`geodata.export.plan_features`: district boundaries
with their names, communities coloured by star rating with weak ones ringed in red, a line
from each cadre's home to the post (dark for full-time, light for part-time), vacancies
crossed, a legend with every star level, and a kilometre scale bar. Texts are Chinese or
English (``lang``, default the round's language), drawn with the bundled Chinese font.

The PNG frames the area where the posts are (not the whole city). When that area is large
(many communities or tens of kilometres across) it adds one zoomed panel per district with
the most communities, so their names can be read (:mod:`geodata.map_frame`). Community names
are placed beside their markers where they fit — a label that would cover a marker or another
label is left out (:mod:`geodata.map_labels`); the scale bar and the legend are in
:mod:`geodata.map_furniture`.
"""

from __future__ import annotations

import logging
import math
from pathlib import Path
from typing import Any

import geopandas as gpd
import matplotlib
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure

from geodata.boundaries import UnknownCityError, load_districts
from geodata.export import plan_features
from geodata.map_frame import Bounds, bounds_of, zoom_panels
from geodata.map_furniture import legend_handles, scale_bar
from geodata.map_html import inline_assets, render_html, write_html
from geodata.map_labels import district_names, place_label
from geodata.map_style import (
    FONT_FAMILY,
    FULL_TIME,
    PART_TIME,
    VACANCY,
    WEAK_EDGE,
    register_cjk_font,
    star_colour,
)
from matcher.engine.result import Result
from matcher.model.io.atomic import atomic_path
from matcher.model.language import pick, resolve
from matcher.model.round import Round

log = logging.getLogger(__name__)

MAX_LABELS = 90  # community names are tried only in views with at most this many


def plan_districts(round: Round) -> gpd.GeoDataFrame:
    """Boundaries of every city the round's communities lie in (empty if none is known)."""
    frames = []
    for city in sorted({c.district.code[:4] + "00" for c in round.communities}):
        try:
            frames.append(load_districts(city))
        except UnknownCityError as exc:
            log.warning("map drawn without district boundaries of %s: %s", city, exc)
    if not frames:
        return gpd.GeoDataFrame({"code": [], "name": []}, geometry=[], crs="EPSG:4326")
    return gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), crs="EPSG:4326")


def _split(features: dict[str, Any]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    coms = [f for f in features["features"] if f["properties"]["kind"] == "community"]
    lines = [f for f in features["features"] if f["properties"]["kind"] == "assignment"]
    return coms, lines


def write_png(
    round: Round, result: Result, path: str | Path, *, dpi: int = 150, lang: str | None = None
) -> Path:
    """Draw the plan (see the module docstring) and write a PNG atomically."""
    language = resolve(lang, round)
    register_cjk_font()
    with matplotlib.rc_context({"font.family": FONT_FAMILY, "axes.unicode_minus": False}):
        fig = plan_figure(round, result, language, dpi)
        with atomic_path(path) as temp:
            fig.savefig(temp, format="png", dpi=dpi, bbox_inches="tight")
    return Path(path)


def plan_figure(round: Round, result: Result, language: str, dpi: int = 150) -> Figure:
    """The map as a matplotlib figure (every label a Text artist of it): the main map with
    its legend below the data, never over a community, and the zoomed district panels."""
    coms, lines = _split(plan_features(round, result))
    districts = plan_districts(round)
    xy = [tuple(f["geometry"]["coordinates"]) for f in coms]
    homes = [tuple(f["geometry"]["coordinates"][0]) for f in lines]
    whole = bounds_of(xy + homes) if xy else (0.0, 0.0, 1.0, 1.0)
    panels = zoom_panels(coms, whole)
    fig = Figure(figsize=(17, 10) if panels else (11, 10), dpi=dpi)
    FigureCanvasAgg(fig)
    if panels:
        cols = 2 if len(panels) > 1 else 1
        rows = math.ceil(len(panels) / cols)
        grid = fig.add_gridspec(rows, 2 + cols, wspace=0.08, hspace=0.15)
        main = fig.add_subplot(grid[:, :2])
        axes = [fig.add_subplot(grid[i // cols, 2 + i % cols]) for i in range(len(panels))]
    else:
        main, axes = fig.add_subplot(), []
    _draw(main, coms, lines, districts, whole, language)
    for ax, (name, box) in zip(axes, panels, strict=True):
        _draw(ax, coms, lines, districts, box, language, size=30.0, own_only=True)
        ax.set_title(pick(language, f"{name}（放大）", f"{name} (zoom)"), fontsize=10)
    handles = legend_handles(language)
    main.legend(  # below the map, outside the data: it can never hide a community
        handles=handles,
        loc="upper center",
        bbox_to_anchor=(0.5, -0.01),
        ncol=min(len(handles), 5),
        fontsize=8,
        framealpha=0.92,
    )
    n, vac = len(result.assignments), len(result.vacancies)
    fig.suptitle(
        pick(language, f"{round.name} 选派示意图", f"{round.name}: the plan on the map"),
        fontsize=15,
        y=0.97,
    )
    main.set_title(
        pick(
            language,
            f"共{len(coms)}个社区、{n}个岗位，已选派{n - vac}人，空缺{vac}个",
            f"{len(coms)} communities, {n} posts, {n - vac} filled, {vac} vacant",
        ),
        fontsize=10,
    )
    return fig


def _draw(
    ax: Axes,
    coms: list[dict[str, Any]],
    lines: list[dict[str, Any]],
    districts: gpd.GeoDataFrame,
    box: Bounds,
    lang: str,
    size: float | None = None,
    own_only: bool = False,
) -> None:
    """One map view: districts, lines, communities, vacancies, names and a scale bar.
    ``own_only`` (zoomed panels) names only the districts whose communities the view shows,
    not a neighbour whose outline merely crosses the frame."""
    lon0, lat0, lon1, lat1 = box
    if len(districts):
        districts.plot(ax=ax, facecolor="#f4f1ea", edgecolor="#8c8c8c", linewidth=0.6)
    for kind, colour, width in (("part-time", PART_TIME, 0.5), ("full-time", FULL_TIME, 0.8)):
        segs = [f["geometry"]["coordinates"] for f in lines if f["properties"]["post_type"] == kind]
        ax.add_collection(LineCollection(segs, colors=colour, linewidths=width, alpha=0.75))
    inside = [
        f
        for f in coms
        if lon0 <= f["geometry"]["coordinates"][0] <= lon1
        and lat0 <= f["geometry"]["coordinates"][1] <= lat1
    ]
    props = [f["properties"] for f in inside]
    pts = np.array([f["geometry"]["coordinates"] for f in inside], dtype=float).reshape(-1, 2)
    s = size or max(8.0, min(60.0, 4000.0 / max(1, len(inside))))
    if len(pts):
        ax.scatter(
            pts[:, 0],
            pts[:, 1],
            s=s,
            c=[star_colour(p["stars"]) for p in props],
            edgecolors=[WEAK_EDGE if p["weak"] else "#333333" for p in props],
            linewidths=[1.8 if p["weak"] else 0.4 for p in props],
            zorder=3,
        )
        vac = pts[[bool(p["vacancies"]) for p in props]]
        if len(vac):
            ax.scatter(
                vac[:, 0], vac[:, 1], marker="x", s=s * 2, c=VACANCY, linewidths=1.2, zorder=4
            )
    lat = (lat0 + lat1) / 2
    ax.set_xlim(lon0, lon1)
    ax.set_ylim(lat0, lat1)
    ax.set_aspect(1.0 / math.cos(math.radians(lat)))
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_xlabel("")
    ax.set_ylabel("")
    ax.apply_aspect()
    renderer = ax.figure.canvas.get_renderer()  # type: ignore[attr-defined]
    marker_px = math.sqrt(s) * ax.figure.dpi / 72 / 2 + 1
    disp = ax.transData.transform(pts) if len(pts) else np.zeros((0, 2))
    taken = [(x - marker_px, y - marker_px, x + marker_px, y + marker_px) for x, y in disp]
    for artist in scale_bar(ax, box, lang):
        e = artist.get_window_extent(renderer)
        taken.append((e.x0, e.y0, e.x1, e.y1))
    shown = {str(p["district"]) for p in props} if own_only else None
    district_names(ax, districts, box, renderer, taken, shown)
    if len(inside) <= MAX_LABELS:
        for (x, y), p in zip(pts, props, strict=True):
            place_label(ax, p["name"], (x, y), renderer, taken, fontsize=7)


__all__ = ["inline_assets", "plan_districts", "render_html", "write_html", "write_png"]
