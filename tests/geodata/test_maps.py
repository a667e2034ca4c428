"""Maps of a plan: an offline HTML map (no http(s) scripts or stylesheets) and a PNG."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
from matplotlib.image import imread

from geodata.maps import render_html, write_html, write_png
from geodata.scenarios import generate
from pipeline import run_round
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
    assert "vacant post" in page  # GT02's empty part-time post is marked
    assert "Legend" in page and "古塔区" in page  # legend and district base layer
    assert not [c.name for c in rnd.cadres if c.name in page]


def test_html_of_a_solved_scenario() -> None:
    """A solved scenario's map names each host community and each nominee's post."""
    rnd = generate("shizhong", 2)
    result = run_round(rnd).result
    page = render_html(rnd, result)
    assert not REMOTE.search(page)
    for a in result.assignments:
        assert a.cadre_id is not None and a.cadre_id in page


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
