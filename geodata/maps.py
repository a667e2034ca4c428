"""Maps of a plan: a static PNG (matplotlib, Agg) and an offline HTML map (folium/Leaflet).

Both draw the same picture from :func:`geodata.export.plan_features`: district boundaries as
the base layer, communities coloured by star rating with weak ones ringed in red, a line from
each cadre's home to the post (dark for full-time, light for part-time), vacancies marked
with a cross (PNG) or a dashed ring (HTML), and a legend. The HTML map uses no tile server
and no CDN: folium's CDN links are replaced by the Leaflet 1.9.4 JS/CSS vendored under
``geodata/data/leaflet/`` (BSD-2, licence beside it), inlined into the page, so it opens on
a machine without network.
"""

from __future__ import annotations

import html
import logging
import math
import re
from pathlib import Path
from typing import Any

import folium
import geopandas as gpd
import pandas as pd
from branca.element import Figure as BrancaFigure
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.text import Text

from geodata.boundaries import UnknownCityError, load_districts
from geodata.export import plan_features
from matcher.engine.result import Result
from matcher.model.io.atomic import atomic_path, write_text
from matcher.model.round import Round

log = logging.getLogger(__name__)

LEAFLET_DIR = Path(__file__).resolve().parent / "data" / "leaflet"
#: Star rating → colour (0 = red … 5 = green); unrated communities are grey.
STAR_COLOURS = ("#b2182b", "#d6604d", "#f4a582", "#92c5de", "#4393c3", "#1a9850")
UNRATED = "#999999"
WEAK_EDGE = "#d7301f"
FULL_TIME = "#08306b"
PART_TIME = "#6baed6"
VACANCY = "#000000"
CJK_FONTS = ("Noto Sans CJK SC", "Noto Sans SC", "WenQuanYi Zen Hei", "SimHei")


def star_colour(stars: int | None) -> str:
    """Fill colour of a community with this star rating."""
    return UNRATED if stars is None else STAR_COLOURS[max(0, min(5, stars))]


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


# --------------------------------------------------------------------------- PNG
def write_png(round: Round, result: Result, path: str | Path, *, dpi: int = 150) -> Path:
    """Draw the plan over the district boundaries and write a PNG atomically."""
    coms, lines = _split(plan_features(round, result))
    fig = Figure(figsize=(10, 10), dpi=dpi)
    ax = fig.add_subplot()
    font = _cjk_font()
    districts = plan_districts(round)
    if len(districts):
        districts.plot(ax=ax, facecolor="#f4f1ea", edgecolor="#8c8c8c", linewidth=0.6)
        for row in districts.itertuples():
            p = row.geometry.representative_point()
            label = row.name if font else row.code
            ax.annotate(label, (p.x, p.y), fontsize=7, color="#7a7a7a", ha="center")
    for kind, colour, width in (("part-time", PART_TIME, 0.4), ("full-time", FULL_TIME, 0.7)):
        segs = [f["geometry"]["coordinates"] for f in lines if f["properties"]["post_type"] == kind]
        ax.add_collection(LineCollection(segs, colors=colour, linewidths=width, alpha=0.8))
    xy = [f["geometry"]["coordinates"] for f in coms]
    props = [f["properties"] for f in coms]
    if xy:
        size = max(4.0, min(40.0, 4000.0 / len(xy)))
        ax.scatter(
            [p[0] for p in xy],
            [p[1] for p in xy],
            s=size,
            c=[star_colour(p["stars"]) for p in props],
            edgecolors=[WEAK_EDGE if p["weak"] else "#333333" for p in props],
            linewidths=[1.6 if p["weak"] else 0.3 for p in props],
            zorder=3,
        )
        vac = [pt for pt, p in zip(xy, props, strict=True) if p["vacancies"]]
        if vac:
            ax.scatter(
                [p[0] for p in vac],
                [p[1] for p in vac],
                marker="x",
                s=size * 2,
                c=VACANCY,
                linewidths=1.2,
                zorder=4,
            )
        lons = [p[0] for p in xy]
        lats = [p[1] for p in xy]
        pad = 0.08 * max(max(lons) - min(lons), max(lats) - min(lats), 0.01)
        ax.set_xlim(min(lons) - pad, max(lons) + pad)
        ax.set_ylim(min(lats) - pad, max(lats) + pad)
        ax.set_aspect(1.0 / math.cos(math.radians(sum(lats) / len(lats))))
    ax.legend(handles=_legend_handles(), loc="lower left", fontsize=7, framealpha=0.9)
    name = round.name if font or round.name.isascii() else "plan"
    ax.set_title(f"{name} — {result.status.value}, {len(result.vacancies)} vacant", fontsize=9)
    ax.set_xlabel("longitude (WGS-84)")
    ax.set_ylabel("latitude (WGS-84)")
    if font:
        for text in fig.findobj(match=Text):
            if isinstance(text, Text):
                text.set_fontfamily([font, "DejaVu Sans"])
    with atomic_path(path) as temp:
        fig.savefig(temp, format="png", dpi=dpi, bbox_inches="tight")
    return Path(path)


def _dot(colour: str, label: str, edge: str = "#333333", width: float = 1.0) -> Line2D:
    return Line2D(
        [],
        [],
        marker="o",
        linestyle="",
        markersize=6,
        color=colour,
        markeredgecolor=edge,
        markeredgewidth=width,
        label=label,
    )


def _legend_handles() -> list[Line2D]:
    return [
        _dot(STAR_COLOURS[5], "5 stars"),
        _dot(STAR_COLOURS[3], "3 stars"),
        _dot(STAR_COLOURS[1], "1 star"),
        _dot("white", "weak community", WEAK_EDGE, 1.6),
        Line2D([], [], color=FULL_TIME, label="full-time: home → post"),
        Line2D([], [], color=PART_TIME, label="part-time: home → post"),
        Line2D([], [], color=VACANCY, marker="x", linestyle="", label="vacancy"),
    ]


def _cjk_font() -> str | None:
    """An installed font with Chinese glyphs, if any; without one, labels fall back to codes
    (matplotlib would otherwise draw empty boxes)."""
    from matplotlib import font_manager

    installed = {f.name for f in font_manager.fontManager.ttflist}
    return next((name for name in CJK_FONTS if name in installed), None)


# -------------------------------------------------------------------------- HTML
def write_html(round: Round, result: Result, path: str | Path) -> Path:
    """Write an interactive map that works offline (no tiles, no CDN) atomically."""
    write_text(path, render_html(round, result))
    return Path(path)


def render_html(round: Round, result: Result) -> str:
    """The offline HTML map as a string."""
    coms, lines = _split(plan_features(round, result))
    lons = [f["geometry"]["coordinates"][0] for f in coms] or [0.0]
    lats = [f["geometry"]["coordinates"][1] for f in coms] or [0.0]
    fmap = folium.Map(
        location=[sum(lats) / len(lats), sum(lons) / len(lons)],
        tiles=None,
        zoom_start=11,
        control_scale=True,
        prefer_canvas=True,
    )
    fmap.default_js = [("leaflet", "leaflet.js")]
    fmap.default_css = [("leaflet_css", "leaflet.css")]
    districts = plan_districts(round)
    if len(districts):
        folium.GeoJson(
            districts.__geo_interface__,
            name="districts",
            style_function=lambda _: {
                "color": "#8c8c8c",
                "weight": 1,
                "fillColor": "#f4f1ea",
                "fillOpacity": 1.0,
            },
            tooltip=folium.GeoJsonTooltip(fields=["name", "code"]),
        ).add_to(fmap)
    folium.GeoJson(
        {"type": "FeatureCollection", "features": lines},
        name="home → post",
        style_function=lambda f: {
            "color": FULL_TIME if f["properties"]["post_type"] == "full-time" else PART_TIME,
            "weight": 2 if f["properties"]["post_type"] == "full-time" else 1,
            "opacity": 0.8,
        },
    ).add_to(fmap)
    layer = folium.FeatureGroup(name="communities").add_to(fmap)
    for f in coms:
        p = f["properties"]
        lon, lat = f["geometry"]["coordinates"]
        folium.CircleMarker(
            [lat, lon],
            radius=6 if p["weak"] else 4,
            color=WEAK_EDGE if p["weak"] else "#333",
            weight=2 if p["weak"] else 1,
            fill=True,
            fill_color=star_colour(p["stars"]),
            fill_opacity=0.95,
            popup=folium.Popup(_popup(p), max_width=320),
            tooltip=html.escape(p["name"]),
        ).add_to(layer)
        if p["vacancies"]:
            folium.CircleMarker(
                [lat, lon],
                radius=10,
                color=VACANCY,
                weight=2,
                dash_array="4,3",
                fill=False,
                tooltip=f"{p['vacancies']} vacant post(s)",
            ).add_to(layer)
    if coms:
        fmap.fit_bounds([[min(lats), min(lons)], [max(lats), max(lons)]])
    folium.LayerControl(collapsed=False).add_to(fmap)
    root = fmap.get_root()
    assert isinstance(root, BrancaFigure)
    root.html.add_child(folium.Element(_legend_html()))
    return inline_assets(root.render())


def _popup(p: dict[str, Any]) -> str:
    rows = "".join(
        f"<tr><td>{html.escape(q['post_type'])} {q['slot']}</td><td>"
        + ("<b>vacant</b>" if q["vacant"] else _who(q))
        + "</td></tr>"
        for q in p["posts"]
    )
    stars = "unrated" if p["stars"] is None else f"{p['stars']}★"
    weak = " · <b>weak</b>" if p["weak"] else ""
    return (
        f"<b>{html.escape(p['name'])}</b> ({html.escape(p['id'])})<br>"
        f"{html.escape(p['district'])} {html.escape(p['street'] or '')} · {stars}{weak}"
        f"<table>{rows}</table>"
    )


def _who(q: dict[str, Any]) -> str:
    km = (q["distance_m"] or 0) / 1000
    parts = (q["cadre_id"], q["rank"], q["unit"])
    return " · ".join(html.escape(str(x)) for x in parts) + f" · {km:.1f} km"


def _legend_html() -> str:
    items = "".join(
        f'<div><span style="background:{STAR_COLOURS[s]};border-radius:50%;display:inline-block;'
        f'width:10px;height:10px"></span> {label}</div>'
        for s, label in ((5, "5 stars"), (3, "3 stars"), (1, "1 star"))
    )
    return (
        '<div style="position:fixed;bottom:30px;right:10px;z-index:1000;background:white;'
        'padding:8px;border:1px solid #999;font:12px sans-serif">'
        f"<b>Legend</b>{items}"
        f'<div><span style="border:2px solid {WEAK_EDGE};border-radius:50%;display:inline-block;'
        'width:8px;height:8px"></span> weak community</div>'
        f'<div><span style="color:{FULL_TIME}">━</span> full-time: home → post</div>'
        f'<div><span style="color:{PART_TIME}">━</span> part-time: home → post</div>'
        f'<div><span style="border:2px dashed {VACANCY};border-radius:50%;display:inline-block;'
        'width:10px;height:10px"></span> vacancy</div></div>'
    )


#: folium builds popup contents with ``$(`<div>…</div>`)[0]``, the only jQuery it uses here;
#: this stand-in does the same with a <template>, so jQuery need not be loaded.
JQUERY_SHIM = (
    "window.$=window.$||function(h){var t=document.createElement('template');"
    "t.innerHTML=String(h).trim();return [t.content.firstElementChild];};"
)
_SCRIPT = re.compile(r'<script[^>]*\bsrc="([^"]+)"[^>]*>\s*</script>')
_LINK = re.compile(r'<link[^>]*\bhref="([^"]+)"[^>]*/?>')


def inline_assets(page: str) -> str:
    """Replace Leaflet's script/stylesheet links by the vendored files; drop other links."""
    js = (LEAFLET_DIR / "leaflet.js").read_text(encoding="utf-8")
    css = (LEAFLET_DIR / "leaflet.css").read_text(encoding="utf-8")

    def script(m: re.Match[str]) -> str:
        if m.group(1).endswith("leaflet.js"):
            return f"<script>{js}</script><script>{JQUERY_SHIM}</script>"
        return ""

    def link(m: re.Match[str]) -> str:
        if "stylesheet" not in m.group(0):
            return m.group(0)
        return f"<style>{css}</style>" if m.group(1).endswith("leaflet.css") else ""

    return _LINK.sub(link, _SCRIPT.sub(script, page))
