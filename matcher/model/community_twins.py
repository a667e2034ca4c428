"""One community written twice: near-identical names in one street, or two points too close.

Names are compared after NFKC (full-width letters and digits), without spaces, and without
the committee suffix (…社区居民委员会 / …社区居委会 / …居委会 / …社区 all name one community):
two communities of one district with the same core name are the same community when their
streets agree or either street is not written. Points (the location, or the mean of the
outline's vertices) closer than ``identity.community_distance_m`` (default 100 m,
great-circle distance) are one place twice; only points in the same coordinate system are
compared (GCJ-02 against WGS-84 differs by hundreds of metres). Either is an error naming
both rows unless the pair is listed in ``identity.distinct_communities``.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Callable

from matcher.model.identity import IdentityChoices
from matcher.model.messages import Text, localise_where
from matcher.model.resolve import Finding
from matcher.model.round import Community

EARTH_RADIUS_M = 6_371_000.0
_SUFFIXES = ("社区居民委员会", "社区居委会", "居民委员会", "居委会", "社区")
_STREET_SUFFIXES = ("街道办事处", "办事处", "街道办", "街道")


def haversine_m(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Great-circle distance in metres on a 6,371 km sphere."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(min(1.0, h)))


def _plain(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split()).lower()


def core_name(name: str) -> str:
    """北街社区居委会, 北街社区, 北 街 居委会 → 北街."""
    text = _plain(name)
    for suffix in _SUFFIXES:
        if text.endswith(suffix) and len(text) > len(suffix):
            return text[: -len(suffix)]
    return text


def _street(name: str | None) -> str:
    text = _plain(name or "")
    for suffix in _STREET_SUFFIXES:
        if text.endswith(suffix) and len(text) > len(suffix):
            return text[: -len(suffix)]
    return text


def point(com: Community) -> tuple[float, float, str] | None:
    """The community's point (lon, lat, crs): its location or its outline's mean."""
    if com.location is not None:
        return com.location.lon, com.location.lat, com.location.crs.value
    if com.polygon is not None:
        ring = com.polygon.rings[0]
        lon = sum(p[0] for p in ring) / len(ring)
        lat = sum(p[1] for p in ring) / len(ring)
        return lon, lat, com.polygon.crs.value
    return None


def same_name_pairs(coms: list[Community]) -> list[tuple[int, int]]:
    """Pairs (earlier, later) with one core name in one district and agreeing streets."""
    seen: dict[tuple[str, str], list[int]] = {}
    out: list[tuple[int, int]] = []
    for j, com in enumerate(coms):
        key = (com.district.code, core_name(com.name))
        for i in seen.get(key, []):
            a, b = _street(coms[i].street), _street(com.street)
            if not a or not b or a == b:
                out.append((i, j))
                break
        seen.setdefault(key, []).append(j)
    return out


def close_pairs(coms: list[Community], limit_m: float) -> list[tuple[int, int, float]]:
    """Pairs closer than ``limit_m``: points bucketed on a grid at least that wide."""
    if limit_m <= 0:
        return []
    pts = [point(c) for c in coms]
    lats = [abs(p[1]) for p in pts if p is not None]
    if not lats:
        return []
    dlat = limit_m / 111_000 * 1.01
    dlon = dlat / max(math.cos(math.radians(min(max(lats), 89.0))), 0.01)
    grid: dict[tuple[str, int, int], list[int]] = {}
    out: list[tuple[int, int, float]] = []
    for j, p in enumerate(pts):
        if p is None:
            continue
        lon, lat, crs = p
        gx, gy = math.floor(lon / dlon), math.floor(lat / dlat)
        for dx in (-1, 0, 1):
            for dy in (-1, 0, 1):
                for i in grid.get((crs, gx + dx, gy + dy), []):
                    q = pts[i]
                    assert q is not None
                    m = haversine_m(q[0], q[1], lon, lat)
                    if m < limit_m:
                        out.append((i, j, m))
        grid.setdefault((crs, gx, gy), []).append(j)
    return out


def twin_communities(
    coms: list[tuple[int, Community]],
    choices: IdentityChoices,
    locate: Callable[[str, int], tuple[str, str]],
) -> list[Finding]:
    """Errors for communities written twice (see the module doc), at the later row."""
    items = [c for _, c in coms]
    found: list[Finding] = []
    reported: set[tuple[int, int]] = set()

    def add(a: int, b: int, why: Text) -> None:
        (ia, ca), (ib, cb) = coms[a], coms[b]
        if (a, b) in reported or ca.id == cb.id:
            return
        if choices.confirmed(choices.distinct_communities, ca.id, cb.id):
            return
        reported.add((a, b))
        src, _where = locate("communities", ib)
        other_src, other = locate("communities", ia)
        seen = other if src == other_src else f"{other_src} {other}"
        found.append(
            Finding(
                "communities",
                ib,
                Text(
                    f"疑似同一社区重复：{cb.name} 与 {localise_where(seen, 'zh')} 的 "
                    f"{ca.name}（{ca.id}）{why.zh}；"
                    "如为同一社区请删除一行，如确为不同社区请在 identity.distinct_communities "
                    "中确认",
                    f"the same community twice? {cb.name} and {ca.name} ({ca.id}) at {seen}: "
                    f"{why.en}; delete one row, or confirm they differ in "
                    "identity.distinct_communities",
                ),
                path="name",
                id=cb.id,
            )
        )

    for a, b in same_name_pairs(items):
        add(a, b, Text("名称几乎相同，且在同一街道", "near-identical names in one street"))
    for a, b, m in close_pairs(items, choices.community_distance_m):
        limit = f"{choices.community_distance_m:g}"
        add(
            a,
            b,
            Text(f"两点相距仅{m:.0f}米（不足{limit}米）", f"only {m:.0f} m apart (< {limit} m)"),
        )
    return found


__all__ = [
    "close_pairs",
    "core_name",
    "haversine_m",
    "point",
    "same_name_pairs",
    "twin_communities",
]
