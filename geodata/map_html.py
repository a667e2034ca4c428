"""The plan as an interactive HTML map that works offline (folium/Leaflet, no tiles, no CDN).

folium's CDN links are replaced by the Leaflet 1.9.4 JS/CSS vendored under
``geodata/data/leaflet/`` (BSD-2, licence beside it), inlined into the page. Districts carry
their names on hover; each community shows its name on hover and, on click, a popup with
every post — numbered as in the roster — its cadre's name, the title as written, unit,
distance and the reasons for the choice (the roster's 选派理由), or why it is vacant. The
legend lists every star level and the weak flag; the scale bar is metric only. Texts are
Chinese or English (``lang``, default the round's language).
"""

from __future__ import annotations

import base64
import html
import re
from pathlib import Path
from typing import Any

import folium
from branca.element import Figure as BrancaFigure

from geodata.export import plan_features
from geodata.map_style import (
    FULL_TIME,
    PART_TIME,
    VACANCY,
    WEAK_EDGE,
    font_subset,
    legend_entries,
    star_colour,
)
from matcher.engine.result import Result
from matcher.model.io.atomic import write_text
from matcher.model.io.reasons import Reasons
from matcher.model.io.roster import post_label
from matcher.model.language import pick, resolve
from matcher.model.round import Round

LEAFLET_DIR = Path(__file__).resolve().parent / "data" / "leaflet"


def write_html(round: Round, result: Result, path: str | Path, *, lang: str | None = None) -> Path:
    """Write the offline HTML map atomically."""
    write_text(path, render_html(round, result, lang=lang))
    return Path(path)


def render_html(round: Round, result: Result, *, lang: str | None = None) -> str:
    """The offline HTML map as a string."""
    from geodata.maps import plan_districts  # the boundaries loader lives with the PNG

    language = resolve(lang, round)
    features = plan_features(round, result)["features"]
    coms = [f for f in features if f["properties"]["kind"] == "community"]
    lines = [f for f in features if f["properties"]["kind"] == "assignment"]
    lons = [f["geometry"]["coordinates"][0] for f in coms] or [0.0]
    lats = [f["geometry"]["coordinates"][1] for f in coms] or [0.0]
    fmap = folium.Map(
        location=[sum(lats) / len(lats), sum(lons) / len(lons)],
        tiles=None,
        zoom_start=11,
        control_scale=False,
        prefer_canvas=True,
    )
    fmap.default_js = [("leaflet", "leaflet.js")]
    fmap.default_css = [("leaflet_css", "leaflet.css")]
    districts = plan_districts(round)
    if len(districts):
        folium.GeoJson(
            districts.__geo_interface__,
            name=pick(language, "区县边界", "districts"),
            style_function=lambda _: {
                "color": "#8c8c8c",
                "weight": 1,
                "fillColor": "#f4f1ea",
                "fillOpacity": 1.0,
            },
            tooltip=folium.GeoJsonTooltip(
                fields=["name", "code"],
                aliases=[pick(language, "区县", "district"), pick(language, "代码", "code")],
            ),
        ).add_to(fmap)
    folium.GeoJson(
        {"type": "FeatureCollection", "features": lines},
        name=pick(language, "住址→社区连线", "home → post"),
        style_function=lambda f: {
            "color": FULL_TIME if f["properties"]["post_type"] == "full-time" else PART_TIME,
            "weight": 2 if f["properties"]["post_type"] == "full-time" else 1,
            "opacity": 0.8,
        },
    ).add_to(fmap)
    layer = folium.FeatureGroup(name=pick(language, "社区", "communities")).add_to(fmap)
    popups = _Popups(round, language)
    for f in coms:
        p = f["properties"]
        lon, lat = f["geometry"]["coordinates"]
        folium.CircleMarker(
            [lat, lon],
            radius=7 if p["weak"] else 5,
            color=WEAK_EDGE if p["weak"] else "#333",
            weight=3 if p["weak"] else 1,
            fill=True,
            fill_color=star_colour(p["stars"]),
            fill_opacity=0.95,
            popup=folium.Popup(popups.community(p, result), max_width=640),
            tooltip=html.escape(p["name"]),
        ).add_to(layer)
        if p["vacancies"]:
            folium.CircleMarker(
                [lat, lon],
                radius=11,
                color=VACANCY,
                weight=2,
                dash_array="4,3",
                fill=False,
                tooltip=pick(
                    language,
                    f"{p['name']}：空缺{p['vacancies']}个岗位",
                    f"{p['name']}: {p['vacancies']} vacant post(s)",
                ),
            ).add_to(layer)
    if coms:
        fmap.fit_bounds([[min(lats), min(lons)], [max(lats), max(lons)]])
    folium.LayerControl(collapsed=False).add_to(fmap)
    root = fmap.get_root()
    assert isinstance(root, BrancaFigure)
    root.header.add_child(folium.Element('<meta charset="utf-8">'))
    title = pick(language, f"{round.name} 选派示意图", f"{round.name}: the plan on the map")
    root.header.add_child(folium.Element(f"<title>{html.escape(title)}</title>"))
    root.html.add_child(folium.Element(_title_html(title)))
    root.html.add_child(folium.Element(_legend_html(language)))
    scale = f"L.control.scale({{imperial:false,metric:true}}).addTo({fmap.get_name()});"
    root.html.add_child(
        folium.Element(f"<script>window.addEventListener('load',function(){{{scale}}});</script>")
    )
    return embed_font(inline_assets(root.render()))


FONT_FACE = "MatcherCJK"
_ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})")


def embed_font(page: str) -> str:
    """Embed the bundled Chinese font, cut to the page's characters, and use it everywhere."""
    escaped = "".join(chr(int(h, 16)) for h in set(_ESCAPE.findall(page)))  # JSON \uXXXX
    data = base64.b64encode(font_subset(page + escaped)).decode("ascii")
    style = (
        f'<style>@font-face{{font-family:"{FONT_FACE}";'
        f'src:url(data:font/ttf;base64,{data}) format("truetype");}}'
        f"body,.leaflet-container,.leaflet-popup-content,.leaflet-tooltip,.leaflet-control"
        f'{{font-family:"{FONT_FACE}",sans-serif;}}</style>'
    )
    return page.replace("</head>", style + "</head>", 1)


class _Popups:
    """Popup contents: a community's posts with names, titles, units, distances, reasons."""

    def __init__(self, round: Round, lang: str) -> None:
        self.lang = lang
        self.cadres = {c.id: c for c in round.cadres}
        self.counts = {
            c.id: {"full-time": c.posts.full_time, "part-time": c.posts.part_time}
            for c in round.communities
        }
        self.reasons = Reasons(round, lang)

    def community(self, p: dict[str, Any], result: Result) -> str:
        t = self.lang
        by_post = {
            (a.post_type, a.slot): a for a in result.assignments if a.community_id == p["id"]
        }
        head = "".join(
            f"<th>{pick(t, zh, en)}</th>"
            for zh, en in (
                ("岗位", "post"),
                ("姓名", "name"),
                ("职务职级", "title"),
                ("工作单位", "unit"),
                ("距离", "distance"),
                ("选派理由", "reasons"),
            )
        )
        rows = []
        for q in p["posts"]:
            a = by_post.get((q["post_type"], q["slot"]))
            post = post_label(
                q["post_type"], q["slot"], self.counts[p["id"]][q["post_type"]], t, document=False
            )
            if a is None or q["vacant"]:
                why = self.reasons.vacancy(a) if a is not None else ""
                cells = [post, f"<b>{pick(t, '空缺', 'vacant')}</b>", "", "", "", why]
            else:
                cad = self.cadres.get(q["cadre_id"])
                km = f"{(q['distance_m'] or 0) / 1000:.1f}" + pick(t, "公里", " km")
                cells = [
                    post,
                    cad.name if cad else q["cadre_id"],
                    q.get("rank_title") or q["rank"],
                    q["unit"],
                    km,
                    self.reasons.filled(a),
                ]
            tds = [
                f'<td style="padding:2px 4px;{"" if i == 5 else "white-space:nowrap"}">'
                f"{c if c.startswith('<b>') else html.escape(c)}</td>"
                for i, c in enumerate(cells)
            ]
            rows.append("<tr>" + "".join(tds) + "</tr>")
        stars = (
            pick(t, "未评星", "not rated")
            if p["stars"] is None
            else pick(t, f"{p['stars']}星", f"{p['stars']} stars")
        )
        weak = pick(t, " · <b>软弱涣散社区</b>", " · <b>weak community</b>") if p["weak"] else ""
        return (
            f'<div style="font-size:12px"><b>{html.escape(p["name"])}</b>'
            f" ({html.escape(p['id'])})<br>"
            f"{html.escape(p['district'])} {html.escape(p['street'] or '')} · {stars}{weak}"
            f'<table border="1" style="border-collapse:collapse;margin-top:4px">'
            f"<tr>{head}</tr>{''.join(rows)}</table></div>"
        )


def _title_html(title: str) -> str:
    return (
        '<div style="position:fixed;top:10px;left:60px;z-index:1000;background:white;'
        'padding:6px 10px;border:1px solid #999;font-size:16px;font-weight:bold">'
        f"{html.escape(title)}</div>"
    )


def _legend_html(lang: str) -> str:
    items = []
    for e in legend_entries(lang):
        if e.kind == "line":
            mark = f'<span style="color:{e.colour};font-weight:bold">━━</span>'
        elif e.kind == "cross":
            mark = (
                f'<span style="border:2px dashed {e.colour};border-radius:50%;'
                'display:inline-block;width:10px;height:10px"></span>'
            )
        else:
            border = f"3px solid {e.edge}" if e.kind == "ring" else f"1px solid {e.edge}"
            mark = (
                f'<span style="background:{e.colour};border:{border};border-radius:50%;'
                'display:inline-block;width:10px;height:10px"></span>'
            )
        items.append(f"<div>{mark} {html.escape(e.text)}</div>")
    return (
        '<div style="position:fixed;bottom:30px;right:10px;z-index:1000;background:white;'
        'padding:8px;border:1px solid #999;font-size:12px;line-height:1.6">'
        f"<b>{pick(lang, '图例', 'Legend')}</b>{''.join(items)}</div>"
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
