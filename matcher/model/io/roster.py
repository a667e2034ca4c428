"""The roster: one row per post of a plan, as planners read it for approval.

Columns: community, district, street, post type, cadre, rank, unit, level, distance, cost,
locked, the reason and the cadre's standing (资格审查: the disqualifying conditions and missing
clearances in words, or the required clearances given). Vacant posts stay in the roster
(marked 空缺 / vacant) so nothing is hidden. Headers are Chinese by default, English with
``headers="en"``.
"""

from __future__ import annotations

from typing import Any

from matcher.engine.result import Result
from matcher.model.round import Round
from matcher.model.standing import roster_words

# key, Chinese header
ROSTER_COLUMNS: tuple[tuple[str, str], ...] = (
    ("community_id", "社区编号"),
    ("community", "社区"),
    ("district", "区县"),
    ("street", "街道"),
    ("weak", "软弱涣散"),
    ("post_type", "岗位"),
    ("slot", "岗位序号"),
    ("cadre_id", "干部编号"),
    ("cadre", "姓名"),
    ("rank", "职级"),
    ("unit", "派出单位"),
    ("level", "层级"),
    ("distance_km", "距离(公里)"),
    ("cost", "代价(分)"),
    ("locked", "锁定"),
    ("reason", "说明"),
    ("standing", "资格审查"),
)
_ZH_VALUES = {
    "full-time": "脱产",
    "part-time": "非脱产",
    "city": "市直",
    "county": "县区",
    "street": "街道",
}


def roster_header(headers: str = "zh") -> list[str]:
    """The roster header row: Chinese (``zh``) or English (``en``)."""
    return [key if headers == "en" else zh for key, zh in ROSTER_COLUMNS]


def roster_rows(round: Round, result: Result, headers: str = "zh") -> list[list[Any]]:
    """One row per post (filled or vacant), in the result's post order; header row first."""
    zh = headers != "en"
    communities = {c.id: c for c in round.communities}
    cadres = {c.id: c for c in round.cadres}

    def word(value: str) -> str:
        return _ZH_VALUES.get(value, value) if zh else value

    rows: list[list[Any]] = [roster_header(headers)]
    for a in result.assignments:
        com = communities.get(a.community_id)
        cad = cadres.get(a.cadre_id) if a.cadre_id is not None else None
        vacant = ("空缺" if zh else "vacant") if a.vacant else ""
        row: dict[str, Any] = {
            "community_id": a.community_id,
            "community": com.name if com else "",
            "district": com.district.name if com else "",
            "street": (com.street or "") if com else "",
            "weak": (("是" if zh else "yes") if com.weak else "") if com else "",
            "post_type": word(a.post_type),
            "slot": a.slot + 1,
            "cadre_id": a.cadre_id or "",
            "cadre": cad.name if cad else vacant,
            "rank": (cad.rank.label if zh else cad.rank.english) if cad else "",
            "unit": cad.unit if cad else "",
            "level": word(cad.level.value) if cad else "",
            "distance_km": float(f"{a.distance_m / 1000:.2f}") if a.distance_m is not None else "",
            "cost": a.cost,
            "locked": (("是" if zh else "yes") if a.locked else ""),
            "reason": a.reason,
            "standing": roster_words(round, cad) if cad else "",
        }
        rows.append([row[key] for key, _ in ROSTER_COLUMNS])
    return rows


def conflict_rows(result: Result, headers: str = "zh") -> list[list[Any]]:
    """The conflicts of an infeasible result, header first (empty list when there are none)."""
    if not result.conflicts:
        return []
    if headers == "en":
        head = ["rules", "message", "needed", "available", "shortfall", "communities", "fix"]
    else:
        head = ["规则", "说明", "需要", "可用", "缺口", "涉及社区", "放宽建议"]
    rows: list[list[Any]] = [head]
    for c in result.conflicts:
        rows.append(
            [
                "; ".join(c.rules),
                c.message,
                c.needed,
                c.available,
                c.shortfall,
                "; ".join(c.communities),
                c.relaxation,
            ]
        )
    return rows
