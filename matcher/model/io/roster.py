"""The roster (选派名单): the plan as the document a department puts before its leaders.

One row per post, in the round's community order: 序号, 区(县), 街道, 社区, 岗位, 姓名, 性别,
出生年月, 政治面貌, 工作单位, 职务职级 (the title as written), 专长, 距离(公里), 选派理由, 备注,
then the planner's own columns (``Community.extra``, ``Cadre.extra``), then the ids and post
number for machines (hidden when printed). Vacant posts stay in the roster. Further tables:
cadres without a post, vacant posts, each with its reason. Chinese or English (``lang``).
"""

from __future__ import annotations

from typing import Any

from matcher.engine.result import Assignment, Result
from matcher.model.io.reasons import Reasons
from matcher.model.language import pick
from matcher.model.round import Cadre, Community, Round
from matcher.model.skills import skills_text

# key, Chinese header, English header
ROSTER_COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("no", "序号", "No."),
    ("district", "区(县)", "District"),
    ("street", "街道", "Street"),
    ("community", "社区", "Community"),
    ("post", "岗位", "Post"),
    ("name", "姓名", "Name"),
    ("gender", "性别", "Gender"),
    ("born", "出生年月", "Born"),
    ("political_status", "政治面貌", "Political status"),
    ("unit", "工作单位", "Unit"),
    ("title", "职务职级", "Title / rank"),
    ("skills", "专长", "Skills"),
    ("distance_km", "距离(公里)", "Distance (km)"),
    ("reason", "选派理由", "Reasons"),
    ("note", "备注", "Notes"),
)
ID_COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("community_id", "社区编号", "community id"),
    ("slot", "岗位序号", "post no."),
    ("cadre_id", "干部编号", "cadre id"),
)
# relative widths of the printed columns (PDF), in the order of ROSTER_COLUMNS
PRINT_WIDTHS = (3, 5, 6, 7, 7, 4.5, 3, 5, 5, 9, 7, 6, 4, 20, 6)


def header(lang: str, columns: tuple[tuple[str, str, str], ...] = ROSTER_COLUMNS) -> list[str]:
    """Headers of ``columns`` in the language asked."""
    return [pick(lang, zh, en) for _, zh, en in columns]


def post_label(post_type: str, slot: int, count: int, lang: str, document: bool = True) -> str:
    """岗位 as a department writes it in a roster: 担任第一书记 / 担任兼职委员（2）, numbered
    (from 1) where the community has several; ``document=False`` drops the verb (第一书记,
    兼职委员（2）) for maps and tables that label a post rather than state an appointment."""
    verb = "担任" if document else ""
    if post_type == "full-time":
        base = pick(lang, f"{verb}第一书记", "First secretary (full-time)")
    else:
        base = pick(lang, f"{verb}兼职委员", "Part-time member")
    if count <= 1:
        return base
    return pick(lang, f"{base}（{slot}）", f"{base} {slot}")


def born(cadre: Cadre) -> str:
    """出生年月 as departments write it: 1985.03 (or just the year)."""
    if cadre.birth_year is None:
        return ""
    return (
        f"{cadre.birth_year}.{cadre.birth_month:02d}"
        if cadre.birth_month
        else str(cadre.birth_year)
    )


def title(cadre: Cadre, lang: str) -> str:
    """职务职级: the title as written, else the rank."""
    return cadre.rank_title or pick(lang, cadre.rank.label, cadre.rank.english)


def extra_columns(round: Round) -> tuple[list[str], list[str]]:
    """The planner's own column names: communities' then cadres', in order of appearance."""
    com: dict[str, None] = {}
    for c in round.communities:
        com.update(dict.fromkeys(c.extra))
    cad: dict[str, None] = {}
    for p in round.cadres:
        cad.update(dict.fromkeys(p.extra))
    return list(com), list(cad)


def _extra_headers(round: Round, lang: str) -> tuple[list[str], list[str], list[str]]:
    com, cad = extra_columns(round)
    taken = set(header("zh")) | set(header("en"))
    com_h = [
        k if k not in taken and k not in cad else k + pick(lang, "（社区）", " (community)")
        for k in com
    ]
    cad_h = [
        k if k not in taken and k not in com else k + pick(lang, "（干部）", " (cadre)")
        for k in cad
    ]
    return com, cad, com_h + cad_h


def roster_table(
    round: Round, result: Result, lang: str = "zh"
) -> tuple[list[str], list[list[Any]]]:
    """The roster: header and one row per post (filled or vacant)."""
    communities = {c.id: c for c in round.communities}
    cadres = {c.id: c for c in round.cadres}
    reasons = Reasons(round, lang)
    com_keys, cad_keys, extra_h = _extra_headers(round, lang)
    head = header(lang) + extra_h + header(lang, ID_COLUMNS)
    rows: list[list[Any]] = []
    for n, a in enumerate(result.assignments, 1):
        com = communities.get(a.community_id)
        cad = cadres.get(a.cadre_id) if a.cadre_id else None
        row = _row(n, a, com, cad, reasons, lang)
        row += [com.extra.get(k, "") if com else "" for k in com_keys]
        row += [cad.extra.get(k, "") if cad else "" for k in cad_keys]
        row += [a.community_id, a.slot, a.cadre_id or ""]
        rows.append(row)
    return head, rows


def _count(com: Community | None, post_type: str) -> int:
    if com is None:
        return 1
    return com.posts.full_time if post_type == "full-time" else com.posts.part_time


def _row(
    n: int, a: Assignment, com: Community | None, cad: Cadre | None, why: Reasons, lang: str
) -> list[Any]:
    notes = []
    if com is not None and com.weak:
        notes.append(pick(lang, "软弱涣散社区", "weak community"))
    if a.locked:
        notes.append(pick(lang, "锁定", "locked"))
    if a.vacant:
        notes.append(pick(lang, "空缺", "vacant"))
    km = "" if a.distance_m is None else float(f"{a.distance_m / 1000:.1f}")
    return [
        n,
        com.district.name if com else "",
        (com.street or "") if com else "",
        com.name if com else a.community_id,
        post_label(a.post_type, a.slot, _count(com, a.post_type), lang),
        cad.name if cad else pick(lang, "（空缺）", "(vacant)"),
        (cad.gender or "") if cad else "",
        born(cad) if cad else "",
        (cad.political_status or "") if cad else "",
        cad.unit if cad else "",
        title(cad, lang) if cad else "",
        skills_text(cad.skills, lang) if cad else "",
        km,
        why.vacancy(a) if a.vacant else why.filled(a),
        pick(lang, "；", "; ").join(notes),
    ]


def unplaced_table(
    round: Round, result: Result, lang: str = "zh", why: dict[str, str] | None = None
) -> tuple[list[str], list[list[Any]]]:
    """Cadres without a post, each with its reason (``why`` overrides by cadre id)."""
    cadres = {c.id: c for c in round.cadres}
    reasons = Reasons(round, lang)
    vacancies = len(result.vacancies)
    head = [
        pick(lang, zh, en)
        for zh, en in (
            ("序号", "No."),
            ("姓名", "Name"),
            ("性别", "Gender"),
            ("出生年月", "Born"),
            ("工作单位", "Unit"),
            ("职务职级", "Title / rank"),
            ("专长", "Skills"),
            ("未安排原因", "Why no post"),
            ("干部编号", "cadre id"),
        )
    ]
    rows: list[list[Any]] = []
    for n, cid in enumerate(result.unplaced_cadres, 1):
        c = cadres.get(cid)
        if c is None:
            continue
        reason = (why or {}).get(cid) or reasons.unplaced(cid, vacancies)
        rows.append(
            [
                n,
                c.name,
                c.gender or "",
                born(c),
                c.unit,
                title(c, lang),
                skills_text(c.skills, lang),
                reason,
                c.id,
            ]
        )
    return head, rows


def vacancy_table(
    round: Round, result: Result, lang: str = "zh"
) -> tuple[list[str], list[list[Any]]]:
    """Vacant posts, each with its reason."""
    communities = {c.id: c for c in round.communities}
    reasons = Reasons(round, lang)
    head = [
        pick(lang, zh, en)
        for zh, en in (
            ("序号", "No."),
            ("区(县)", "District"),
            ("街道", "Street"),
            ("社区", "Community"),
            ("岗位", "Post"),
            ("空缺原因", "Why vacant"),
            ("社区编号", "community id"),
            ("岗位序号", "post no."),
        )
    ]
    rows: list[list[Any]] = []
    for n, a in enumerate(result.vacancies, 1):
        com = communities.get(a.community_id)
        rows.append(
            [
                n,
                com.district.name if com else "",
                (com.street or "") if com else "",
                com.name if com else a.community_id,
                post_label(a.post_type, a.slot, _count(com, a.post_type), lang),
                reasons.vacancy(a),
                a.community_id,
                a.slot,
            ]
        )
    return head, rows


def conflict_rows(result: Result, headers: str = "zh") -> list[list[Any]]:
    """The conflicts of an infeasible result, header first (empty list when there are none)."""
    if not result.conflicts:
        return []
    head = [
        pick(headers, zh, en)
        for zh, en in (
            ("规则", "rules"),
            ("说明", "message"),
            ("需要", "needed"),
            ("可用", "available"),
            ("缺口", "shortfall"),
            ("涉及社区", "communities"),
            ("放宽建议", "fix"),
        )
    ]
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


__all__ = [
    "ID_COLUMNS",
    "PRINT_WIDTHS",
    "ROSTER_COLUMNS",
    "born",
    "conflict_rows",
    "extra_columns",
    "header",
    "post_label",
    "roster_table",
    "title",
    "unplaced_table",
    "vacancy_table",
]
