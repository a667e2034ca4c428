"""What both maps share: colours, the legend's entries in Chinese or English, the Chinese font
registered with matplotlib, post labels and a km scale length.

Star ratings 0–5 run red → green, unrated communities are grey, weak ones are ringed in red.
The font is the bundled WenQuanYi Micro Hei (:mod:`matcher.model.io.fonts`), added to
matplotlib's font manager once and then found by family name like any installed font.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from matcher.model.io.fonts import CJK_FONT_NAME, cjk_font_path
from matcher.model.language import pick

#: Star rating → colour (0 = red … 5 = green); unrated communities are grey.
STAR_COLOURS = ("#b2182b", "#e66101", "#fdb863", "#b8e186", "#4dac26", "#1a7837")
UNRATED = "#999999"
WEAK_EDGE = "#d7301f"
FULL_TIME = "#08306b"
PART_TIME = "#6baed6"
VACANCY = "#000000"
FONT_FAMILY = [CJK_FONT_NAME, "DejaVu Sans"]


def star_colour(stars: int | None) -> str:
    """Fill colour of a community with this star rating."""
    return UNRATED if stars is None else STAR_COLOURS[max(0, min(5, stars))]


def register_cjk_font() -> str:
    """Add the bundled Chinese font to matplotlib (once) and return its family name."""
    from matplotlib import font_manager

    path = str(cjk_font_path())
    if not any(f.fname == path for f in font_manager.fontManager.ttflist):
        font_manager.fontManager.addfont(path)
    return CJK_FONT_NAME


def font_subset(text: str) -> bytes:
    """The bundled Chinese font cut down to the characters of ``text`` (and printable ASCII),
    as TrueType bytes: small enough to embed in a page, so it shows Chinese without any
    font installed on the reader's machine."""
    import io

    from fontTools import subset
    from fontTools.ttLib import TTFont

    font = TTFont(str(cjk_font_path()), fontNumber=0)
    options = subset.Options()
    options.layout_features = []
    options.hinting = False
    options.drop_tables += ["FFTM"]
    subsetter = subset.Subsetter(options)
    chars = {c for c in text if ord(c) > 126} | {chr(i) for i in range(32, 127)}
    subsetter.populate(text="".join(sorted(chars)))
    subsetter.subset(font)
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


@dataclass(frozen=True, slots=True)
class LegendEntry:
    """One line of the legend: a dot (fill, edge), a line or a cross, and its text."""

    kind: str  # "dot", "ring", "line", "cross"
    colour: str
    text: str
    edge: str = "#333333"


def legend_entries(lang: str) -> list[LegendEntry]:
    """Every star level 5 … 0, unrated, the weak flag, the two post lines and a vacancy."""
    stars = [
        LegendEntry("dot", STAR_COLOURS[s], pick(lang, f"{s}星社区", f"{s} stars"))
        for s in range(5, -1, -1)
    ]
    return [
        *stars,
        LegendEntry("dot", UNRATED, pick(lang, "未评星", "not rated")),
        LegendEntry(
            "ring",
            "white",
            pick(lang, "软弱涣散社区（红圈）", "weak community (red ring)"),
            WEAK_EDGE,
        ),
        LegendEntry(
            "line", FULL_TIME, pick(lang, "第一书记（脱产）：住址→社区", "full-time: home → post")
        ),
        LegendEntry("line", PART_TIME, pick(lang, "兼职委员：住址→社区", "part-time: home → post")),
        LegendEntry("cross", VACANCY, pick(lang, "有空缺岗位", "vacant post")),
    ]


def post_word(post_type: str, slot: int, count: int, lang: str) -> str:
    """The post as a label (第一书记, 兼职委员（2）)."""
    from matcher.model.io.roster import post_label

    return post_label(post_type, slot, count, lang, document=False)


def scale_km(span_km: float) -> float:
    """A round scale-bar length (1, 2, 5 × 10ⁿ km) about a fifth of ``span_km``."""
    target = max(span_km / 5, 0.05)
    power = 10 ** math.floor(math.log10(target))
    return float(next(m * power for m in (5, 2, 1) if m * power <= target))


def km_per_degree_lon(lat: float) -> float:
    """Kilometres per degree of longitude at this latitude (spherical Earth)."""
    return 111.32 * math.cos(math.radians(lat))


__all__ = [
    "FONT_FAMILY",
    "FULL_TIME",
    "PART_TIME",
    "STAR_COLOURS",
    "UNRATED",
    "VACANCY",
    "WEAK_EDGE",
    "LegendEntry",
    "font_subset",
    "km_per_degree_lon",
    "legend_entries",
    "post_word",
    "register_cjk_font",
    "scale_km",
    "star_colour",
]
