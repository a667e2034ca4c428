"""Download names a clerk can file: the round's name, its version and what the file is
("锦州市2024年选派-第3版-选派名单.xlsx"), never a plan id.

Headers carry them the way every browser reads non-ASCII names (RFC 6266 with RFC 5987):
an ASCII ``filename`` fallback and the UTF-8 ``filename*``.
"""

from __future__ import annotations

import re
from urllib.parse import quote

_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')

# what the file is, by export format: (Chinese, English)
WHAT = {
    "xlsx": ("选派名单", "roster"),
    "pdf": ("选派名单", "roster"),
    "csv": ("选派名单", "roster"),
    "json": ("方案", "plan"),
    "geojson": ("地图数据", "map"),
    "adjustments": ("调整名单", "adjustments"),
}


def download_name(round_name: str, version: int, what: str, suffix: str, lang: str | None) -> str:
    """``<round>-第<v>版-<what><suffix>`` (English: ``<round>-v<v>-<what><suffix>``)."""
    zh, en = WHAT.get(what, (what, what))
    base = _UNSAFE.sub("_", round_name).strip(" .") or "round"
    if lang == "en":
        return f"{base}-v{version}-{en}{suffix}"
    return f"{base}-第{version}版-{zh}{suffix}"


def content_disposition(name: str) -> str:
    """``attachment`` with an ASCII fallback and the UTF-8 name (RFC 5987 ``filename*``)."""
    ascii_name = name.encode("ascii", "replace").decode("ascii").replace("?", "_")
    ascii_name = ascii_name.replace('"', "_").replace("\\", "_")
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name, safe='')}"


__all__ = ["content_disposition", "download_name"]
