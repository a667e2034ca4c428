"""The Chinese font every document and map is drawn with, from a package the project installs.

WenQuanYi Micro Hei (文泉驿微米黑) ships in the PyPI package ``paperang-p2-fonts-cjk``, a
dependency in ``pyproject.toml``: no system font is assumed, so a fresh machine draws the
same Chinese glyphs as a developer's. It is a TrueType collection; face 0 is the
proportional face.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

CJK_FONT_PACKAGE = "paperang_p2_fonts_cjk"
CJK_FONT_FILE = "fonts/wqy-microhei.ttc"
CJK_FONT_NAME = "WenQuanYi Micro Hei"  # the family name matplotlib and PDF readers see


class FontMissing(RuntimeError):
    """The bundled Chinese font is not installed (the project's install step was skipped)."""


def cjk_font_path() -> Path:
    """Path of the bundled Chinese font; FontMissing says how to install it."""
    spec = importlib.util.find_spec(CJK_FONT_PACKAGE)
    if spec is not None and spec.origin is not None:
        path = Path(spec.origin).parent / CJK_FONT_FILE
        if path.is_file():
            return path
    raise FontMissing(
        "中文字体未安装 / the Chinese font is missing: install the project's dependencies "
        "(pip install paperang-p2-fonts-cjk)"
    )


__all__ = ["CJK_FONT_NAME", "FontMissing", "cjk_font_path"]
