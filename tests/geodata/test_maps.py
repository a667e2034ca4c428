"""Maps of a plan: an offline HTML map (no http(s) scripts or stylesheets) and a PNG."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
from matplotlib import font_manager
from matplotlib.font_manager import FontProperties
from matplotlib.image import imread

from geodata.map_frame import bounds_of, zoom_panels
from geodata.map_style import scale_km
from geodata.maps import render_html, write_html, write_png
from geodata.pipeline import run_round
from geodata.scenarios import generate
from matcher.model.io.fonts import CJK_FONT_NAME, cjk_font_path
from tests.geodata.plan_fixture import tiny_plan

REMOTE = re.compile(
    r"<script[^>]*\bsrc=[\"']?(https?:)?//|<link[^>]*\bhref=[\"']?(https?:)?//", re.IGNORECASE
)


def test_html_is_offline_and_shows_the_plan(tmp_path: Path) -> None:
    """The HTML map loads nothing remote, inlines Leaflet, and holds every community."""
    rnd, result = tiny_plan()
    page = write_html(rnd, result, tmp_path / "plan.html").read_text(encoding="utf-8")
    assert not REMOTE.search(page)
    assert "<script src=" not in page and "stylesheet" not in page
    assert "Leaflet 1.9.4" in page
    assert "$(`" not in page or "window.$=window.$||" in page  # popups need no jQuery
    for com in rnd.communities:
        assert com.name in page and com.id in page
    assert "空缺1个岗位" in page  # GT02's empty part-time post is marked
    assert "图例" in page and "古塔区" in page  # legend and district base layer


def test_html_legend_popups_and_scale_are_chinese(tmp_path: Path) -> None:
    """The legend lists every star level and the weak flag in Chinese; a popup gives the
    post as the roster names it, the cadre's name, title, unit, distance and reasons; the
    scale bar is metric and the page carries its own Chinese font."""
    rnd, result = tiny_plan()
    page = render_html(rnd, result)
    for s in range(6):
        assert f"{s}星社区" in page
    assert "软弱涣散社区（红圈）" in page and "未评星" in page
    for word in ("第一书记", "兼职委员", "王一", "市委组织部", "0.3公里", "选派理由", "就近"):
        assert word in page, word
    assert "imperial:false" in page and "@font-face" in page and "font/ttf;base64," in page
    english = render_html(rnd, result, lang="en")
    assert "5 stars" in english and "weak community (red ring)" in english


def test_html_of_a_solved_scenario() -> None:
    """A solved scenario's map names each host community and each nominee's post."""
    rnd = generate("shizhong", 2)
    result = run_round(rnd).result
    page = render_html(rnd, result)
    assert not REMOTE.search(page)
    for a in result.assignments:
        assert a.cadre_id is not None and a.cadre_id in page


def test_png_uses_the_bundled_chinese_font(tmp_path: Path) -> None:
    """After drawing, matplotlib's font lookup finds the bundled font by its family name (no
    system font is assumed) and the figure's texts ask for it."""
    rnd, result = tiny_plan()
    write_png(rnd, result, tmp_path / "plan.png", dpi=60)
    found = font_manager.findfont(FontProperties(family=CJK_FONT_NAME), fallback_to_default=False)
    assert Path(found) == cjk_font_path()
    assert "paperang_p2_fonts_cjk" in found


def test_png_zooms_into_districts_of_a_large_city() -> None:
    """A city-wide plan gets one zoom panel per busiest district; a small one gets none."""
    rnd = generate("jinzhou", 2022)
    coms = [
        {"geometry": {"coordinates": [c.location.lon, c.location.lat]},
         "properties": {"district": c.district.name}}
        for c in rnd.communities if c.location
    ]  # fmt: skip
    whole = bounds_of([tuple(f["geometry"]["coordinates"]) for f in coms])
    panels = zoom_panels(coms, whole)
    assert 2 <= len(panels) <= 6 and panels[0][0] in {c.district.name for c in rnd.communities}
    assert (
        zoom_panels(coms[:5], bounds_of([tuple(f["geometry"]["coordinates"]) for f in coms[:5]]))
        == []
    )


def test_scale_bar_lengths_are_round() -> None:
    """The scale bar is 1, 2 or 5 × 10ⁿ km, about a fifth of the width shown."""
    assert [scale_km(w) for w in (3.0, 12.0, 60.0, 240.0)] == [0.5, 2.0, 10.0, 20.0]


def test_png_is_written_and_not_blank(tmp_path: Path) -> None:
    """The PNG exists, is a real image of reasonable size and is not one flat colour."""
    rnd, result = tiny_plan()
    path = write_png(rnd, result, tmp_path / "plan.png", dpi=80)
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert path.stat().st_size > 10_000
    img = imread(path)
    assert img.shape[0] > 300 and img.shape[1] > 300
    assert float(np.std(img[..., :3])) > 0.05
    assert [p.name for p in tmp_path.iterdir()] == ["plan.png"]


def test_map_legend_outside_the_data_and_panels_name_only_their_districts() -> None:
    """Huangshi (大冶 far from the city): the legend sits below the main map, so no community
    marker lies under it, and each zoom panel names only districts whose communities it shows."""
    import matplotlib
    from matplotlib.text import Text

    from geodata.map_style import FONT_FAMILY, register_cjk_font
    from geodata.maps import plan_figure

    rnd = generate("huangshi", 2021)
    register_cjk_font()
    with matplotlib.rc_context({"font.family": FONT_FAMILY}):
        fig = plan_figure(rnd, run_round(rnd).result, "zh", dpi=60)
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    main, *panels = fig.axes
    legend = main.get_legend().get_window_extent(renderer)
    frame = main.get_window_extent(renderer)
    assert legend.y1 <= frame.y0 + 1  # wholly below the map frame: it covers no community
    districts = {c.district.name for c in rnd.communities}
    assert panels, "a city-wide plan has zoom panels"
    for ax in panels:
        x0, x1 = ax.get_xlim()
        y0, y1 = ax.get_ylim()
        shown = {
            c.district.name
            for c in rnd.communities
            if c.location and x0 <= c.location.lon <= x1 and y0 <= c.location.lat <= y1
        }
        named = {t.get_text() for t in ax.findobj(Text) if t.get_text() in districts}
        assert named <= shown, (ax.get_title(), named - shown)
