"""A plan as GeoJSON (RFC 7946, WGS-84): community points with their posts, home→post lines.

Each community is a Point feature carrying its posts, numbered from 1 as in the roster — who
fills each (cadre id, rank and the title as written, unit, level, distance) or that it is
vacant. Each filled post is also a LineString from the cadre's home to the community. Cadre
names never enter this file, which is meant for GIS tools; the HTML map, a companion of the
roster, adds them from the round. Coordinates in GCJ-02, BD-09 or CGCS2000 are converted to WGS-84
(:mod:`geodata.points` → :func:`geodata.crs.to_wgs84`), as RFC 7946 requires; no ``crs``
member is written. The file appears atomically.
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path
from typing import Any

from geodata.points import cadre_points, community_points
from matcher.engine.result import Result
from matcher.model.io.atomic import write_text
from matcher.model.round import Round

#: Decimals of exported coordinates (1e-6° ≈ 0.1 m; RFC 7946 suggests 6).
DECIMALS = 6


def _xy(lon: float, lat: float) -> list[float]:
    return [round(float(lon), DECIMALS), round(float(lat), DECIMALS)]


def plan_features(round: Round, result: Result) -> dict[str, Any]:
    """The plan as a GeoJSON FeatureCollection (communities first, then assignment lines).

    Raises ValueError naming any community or cadre id of the result missing from the round.
    """
    com_lon, com_lat = community_points(round)
    cad_lon, cad_lat = cadre_points(round)
    com_index = round.community_index()
    cad_index = round.cadre_index()
    posts: dict[str, list[dict[str, Any]]] = defaultdict(list)
    lines: list[dict[str, Any]] = []
    unknown = sorted(
        {a.community_id for a in result.assignments if a.community_id not in com_index}
        | {a.cadre_id for a in result.assignments if a.cadre_id and a.cadre_id not in cad_index}
    )
    if unknown:
        raise ValueError(f"the result names ids missing from the round: {', '.join(unknown)}")
    for a in result.assignments:
        post: dict[str, Any] = {
            "post_type": a.post_type,
            "slot": a.slot,
            "vacant": a.vacant,
            "cadre_id": a.cadre_id,
        }
        if a.cadre_id is not None:
            k = cad_index[a.cadre_id]
            cadre = round.cadres[k]
            who = {
                "rank": cadre.rank.label,
                "rank_title": cadre.rank_title or cadre.rank.label,
                "unit": cadre.unit,
                "level": cadre.level.value,
                "distance_m": a.distance_m,
                "locked": a.locked,
            }
            post.update(who)
            i = com_index[a.community_id]
            lines.append(
                {
                    "type": "Feature",
                    "geometry": {
                        "type": "LineString",
                        "coordinates": [
                            _xy(cad_lon[k], cad_lat[k]),
                            _xy(com_lon[i], com_lat[i]),
                        ],
                    },
                    "properties": {
                        "kind": "assignment",
                        "community_id": a.community_id,
                        "cadre_id": a.cadre_id,
                        "post_type": a.post_type,
                        "slot": a.slot,
                        **who,
                    },
                }
            )
        posts[a.community_id].append(post)
    features = [
        {
            "type": "Feature",
            "id": com.id,
            "geometry": {"type": "Point", "coordinates": _xy(com_lon[i], com_lat[i])},
            "properties": {
                "kind": "community",
                "id": com.id,
                "name": com.name,
                "district_code": com.district.code,
                "district": com.district.name,
                "street": com.street,
                "weak": com.weak,
                "stars": com.stars,
                "tags": list(com.tags),
                "posts": posts.get(com.id, []),
                "vacancies": sum(p["vacant"] for p in posts.get(com.id, [])),
            },
        }
        for i, com in enumerate(round.communities)
    ]
    return {"type": "FeatureCollection", "features": features + lines}


def write_geojson(round: Round, result: Result, path: str | Path) -> Path:
    """Write :func:`plan_features` to ``path`` atomically (UTF-8, Chinese kept readable)."""
    text = json.dumps(plan_features(round, result), ensure_ascii=False, separators=(",", ":"))
    write_text(path, text + "\n")
    return Path(path)
