"""Joint committees on a map: each group's outline, its leader starred, names in Chinese.

Drawn with matplotlib and the bundled Chinese font (:func:`geodata.map_style.register_cjk_font`)
over the district boundary when it is bundled; written atomically as PNG.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import shapely
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patheffects import withStroke

from geodata.boundaries import UnknownCityError, load_districts
from geodata.map_style import register_cjk_font
from geodata.points import location_points
from matcher.model.io.atomic import atomic_path
from matcher.practices.models import CommitteeRound
from matcher.practices.outcome import Outcome

#: Where each member's name goes (points), turning round the group so names do not stack.
OFFSETS = [(8, 4), (-8, 4), (8, -10), (-8, -10)]
PALETTE = ["#b91c1c", "#1d4ed8", "#15803d", "#a16207", "#7e22ce", "#0f766e", "#c2410c", "#be185d"]


def write_committees_png(rnd: CommitteeRound, outcome: Outcome, path: str | Path) -> Path:
    """The groups of ``outcome`` over the district outline, as a PNG at ``path``."""
    family = register_cjk_font()
    lon, lat = location_points([c.location for c in rnd.communities])
    where = {c.id: i for i, c in enumerate(rnd.communities)}
    fig = Figure(figsize=(8, 7), dpi=110)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    ax.set_aspect(1 / np.cos(np.radians(float(np.mean(lat)))))
    codes = sorted({c.district.code for c in rnd.communities})
    for city in sorted({c[:4] + "00" for c in codes}):
        try:
            frame = load_districts(city)
        except (UnknownCityError, OSError, ValueError):
            continue
        frame[frame["code"].isin(codes)].boundary.plot(ax=ax, color="#64748b", linewidth=1)
    names = {c.id: c.name for c in rnd.communities}
    for k, g in enumerate(outcome.groups):
        colour = PALETTE[k % len(PALETTE)]
        idx = [where[m] for m in g.members]
        hull = shapely.MultiPoint(list(zip(lon[idx], lat[idx], strict=True))).convex_hull
        outline = hull.buffer(0.0025)
        x, y = outline.exterior.xy
        ax.fill(x, y, color=colour, alpha=0.15, linewidth=1.5, edgecolor=colour)
        ax.scatter(lon[idx[1:]], lat[idx[1:]], s=40, color=colour, zorder=3)
        ax.scatter(lon[idx[0]], lat[idx[0]], s=180, marker="*", color=colour, zorder=4)
        halo = [withStroke(linewidth=3, foreground="white")]
        for j, (i, m) in enumerate(zip(idx, g.members, strict=True)):
            dx, dy = OFFSETS[j % len(OFFSETS)]
            ax.annotate(
                names[m],
                (lon[i], lat[i]),
                xytext=(dx, dy),
                textcoords="offset points",
                ha="left" if dx > 0 else "right",
                fontsize=8,
                family=family,
                path_effects=halo,
            )
        x0, _, x1, y1 = outline.bounds
        ax.annotate(
            f"第{k + 1}联合党委",
            ((x0 + x1) / 2, y1),
            xytext=(0, 16),
            textcoords="offset points",
            family=family,
            fontsize=10,
            color=colour,
            ha="center",
            va="bottom",
            path_effects=halo,
        )
    pad = 0.015
    ax.set_xlim(float(lon.min()) - pad, float(lon.max()) + pad)
    ax.set_ylim(float(lat.min()) - pad, float(lat.max()) + pad)
    ax.set_title(f"{rnd.name}（★ 牵头社区）", family=family, fontsize=13)
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_xlabel("")
    ax.set_ylabel("")
    with atomic_path(path) as temp:
        fig.savefig(temp, format="png", bbox_inches="tight")
    return Path(path)
