"""The adjustment list (调整名单) for approval: who, from, to, why, term.

One row per change of a replacement (leaves, moves, released, comes), then a sheet with the
three proven levels (vacancies, moves, cost) and the notes. Chinese headers first, English with
``headers="en"``. Laid out as a print-ready document (title, subtitle with the effective date
and the proven counts) by the roster's :mod:`matcher.model.io.document`; written atomically.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from matcher.model.io.document import DocSheet, closing, write_document
from matcher.model.io.summary import method_words
from matcher.model.messages import is_chinese
from matcher.model.round import Round

if TYPE_CHECKING:
    from matcher.lifecycle.adjustment import Replacement

STATUS_ZH = {
    "optimal": "最优（已证明）",
    "feasible": "可行",
    "infeasible": "无可行方案",
    "unknown": "未得出结论",
}
KIND_ZH = {
    "leaves": "离岗",
    "moves": "调整岗位",
    "released": "免去岗位",
    "comes": "新任",
    "follows": "随社区合并",
}
LEVEL_ZH = {"vacancies": "空缺岗位数", "moves": "调动在岗干部数", "cost": "综合评价值"}
_TYPE_ZH = {"full-time": "第一书记", "part-time": "兼职委员"}
_HEAD = {
    "zh": [
        "序号",
        "干部编号",
        "姓名",
        "调整类型",
        "原社区",
        "原岗位",
        "新社区",
        "新岗位",
        "原因",
        "任期开始",
        "任期届满",
    ],
    "en": [
        "no",
        "cadre id",
        "name",
        "change",
        "from community",
        "from post",
        "to community",
        "to post",
        "reason",
        "term start",
        "term end",
    ],
}


_ID = re.compile(r"(社区)?([A-Za-z0-9][A-Za-z0-9_.\-]*)")


def names_of(*rounds: Round) -> dict[str, str]:
    """Community and cadre id → the name a planner knows it by, over ``rounds``."""
    out = {c.id: c.name for r in rounds for c in r.communities}
    out.update({c.id: c.name for r in rounds for c in r.cadres})
    return out


def reason_words(text: str, names: Mapping[str, str], headers: str = "zh") -> str:
    """A reason or note as a planner reads it: the language's half of a bilingual
    ``中文 / English`` text, and each community or cadre id replaced by its name
    (``社区GT01并入GT02`` → ``北街社区并入南街社区``)."""
    zh, sep, en = text.partition(" / ")
    if sep and is_chinese(zh) and not is_chinese(en):
        text = en if headers == "en" else zh

    def name(m: re.Match[str]) -> str:
        found = names.get(m.group(2))
        if found is None:
            return m.group(0)
        lead = m.group(1) or ""
        return found if found.endswith(("社区", "小区")) else f"{lead}{found}"

    return _ID.sub(name, text)


def adjustment_rows(
    old: Round, rep: Replacement, effective: date, headers: str = "zh"
) -> list[list[Any]]:
    """Header row plus one row per change (names from the plan's round and the new one)."""
    from matcher.lifecycle.terms import add_months, term_months

    en = headers == "en"
    rnd = rep.round
    names = {c.id: c.name for r in (old, rnd) for c in r.cadres}
    coms = {c.id: c.name for r in (old, rnd) for c in r.communities}
    said = names_of(old, rnd)
    out: list[list[Any]] = [_HEAD["en" if en else "zh"]]
    for n, ch in enumerate(rep.changes, 1):
        frm, to = ch.from_post, ch.to_post
        start = end = ""
        if to is not None:
            start = effective.isoformat()
            end = add_months(effective, term_months(rnd, to[1])).isoformat()

        def com(post: tuple[str, str] | None) -> str:
            return "" if post is None else coms.get(post[0], post[0])

        def typ(post: tuple[str, str] | None) -> str:
            return "" if post is None else (post[1] if en else _TYPE_ZH.get(post[1], post[1]))

        kind = ch.kind if en else KIND_ZH.get(ch.kind, ch.kind)
        name = names.get(ch.cadre_id, "")
        out.append(
            [
                n,
                ch.cadre_id,
                name,
                kind,
                com(frm),
                typ(frm),
                com(to),
                typ(to),
                reason_words(ch.reason, said, headers),
                start,
                end,
            ]
        )
    return out


def level_rows(
    rep: Replacement, headers: str = "zh", names: Mapping[str, str] | None = None
) -> list[list[Any]]:
    """The lexicographic levels with value, bound and whether each is proven, then notes
    (ids named by ``names``)."""
    en = headers == "en"
    head = ["level", "value", "bound", "proven"] if en else ["层级", "取值", "下界", "已证明"]
    out: list[list[Any]] = [head]
    for lv in rep.levels:
        proven = ("yes" if lv.proven else "no") if en else ("是" if lv.proven else "否")
        out.append([lv.name if en else LEVEL_ZH[lv.name], lv.value, lv.bound, proven])
    status = rep.status.value if en else STATUS_ZH.get(rep.status.value, rep.status.value)
    out.append(["status" if en else "测算结论", status, "", ""])
    out.append(["method" if en else "测算方法", method_words(rep.method, headers), "", ""])
    for note in rep.notes:
        out.append(["note" if en else "说明", reason_words(note, names or {}, headers), "", ""])
    return out


def write_adjustments_xlsx(
    old: Round,
    rep: Replacement,
    path: str | Path,
    effective: date,
    *,
    headers: str = "zh",
    on: date | None = None,
) -> None:
    """Write the 调整名单 workbook, print-ready (:mod:`matcher.model.io.document`): the changes
    and the proven levels (``old``: the approved plan's round, for the names of cadres who
    left)."""
    en = headers == "en"
    changes = adjustment_rows(old, rep, effective, headers)
    levels = level_rows(rep, headers, names_of(old, rep.round))
    moves = rep.level("moves")
    vac = rep.level("vacancies")
    if en:
        title = "Adjustment list"
        sub = f"{rep.round.name} · effective {effective.isoformat()}"
    else:
        title = "干部调整名单"
        d = effective
        sub = f"{rep.round.name} · 自 {d.year}年{d.month}月{d.day}日起执行"
    if moves is not None and vac is not None:
        sub += (
            f" · vacancies {vac.value}, sitting cadres moved {moves.value} (proven fewest)"
            if en
            else f" · 空缺 {vac.value} 个，调动在岗干部 {moves.value} 人（已证明最少）"
        )
    sheets = [
        DocSheet(
            "adjustments" if en else "调整名单",
            changes[0],
            changes[1:],
            title,
            sub,
            hidden=frozenset({changes[0][1]}),  # the cadre id: for machines, not printed
            closing=closing(rep.round.organisation, on or date.today(), headers),
        ),
        DocSheet("levels" if en else "优化层级", levels[0], levels[1:], print_ready=False),
    ]
    write_document(path, sheets)
