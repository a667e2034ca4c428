"""The documents of the selection workflow: the publicity list (公示名单) and the approval
record (审批记录), as print-ready XLSX (:mod:`matcher.model.io.document`) and PDF
(:mod:`matcher.model.io.pdf`).

The publicity list is public: each placed cadre's name, unit, rank title as written and the
post as departments write it ("担任古塔区北街社区第一书记"); never an id, a 身份证号 or any
private column. The approval record says who approved, when, under which 落款, the decision,
and every objection received during publicity with its answer.
"""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

from matcher.engine.result import Result
from matcher.model.io.document import DocSheet, write_document
from matcher.model.io.pdf import write_table_pdf
from matcher.model.io.roster import title
from matcher.model.language import pick
from matcher.model.round import Community, Round

PUBLICITY_NOTE = (
    "公示期间，单位和个人可通过来信、来电、来访等方式反映情况。",
    "During publicity, anyone may raise objections by letter, telephone or in person.",
)


@dataclass(frozen=True)
class Period:
    """The publicity period as printed: first and last day (Beijing dates), working days."""

    first: date
    last: date
    days: int


@dataclass(frozen=True)
class Objection:
    """An objection received during publicity and its answer (names, never ids)."""

    about: str
    text: str
    recorded: date
    answer: str
    answered_by: str
    answered: date | None


@dataclass(frozen=True)
class Decision:
    """The approval: the date, the approver, the 落款, the decision in words."""

    day: date
    approver: str
    signatory: str
    decision: str
    objections: list[Objection] = field(default_factory=list)


def community_words(com: Community | None, community_id: str) -> str:
    """The community as departments write it: district, street, community (古塔区北街社区)."""
    if com is None:
        return community_id
    text = ""
    for part in (com.district.name, com.street or ""):
        if part and part not in text and not com.name.startswith(part):
            text += part
    return text + com.name


def post_words(com: Community | None, community_id: str, post_type: str, lang: str) -> str:
    """担任古塔区北街社区第一书记 / 担任…社区兼职委员 (English: First secretary of …)."""
    where = community_words(com, community_id)
    if post_type == "full-time":
        return pick(lang, f"担任{where}第一书记", f"First secretary of {where}")
    return pick(lang, f"担任{where}兼职委员", f"Part-time member of {where}")


def publicity_table(
    rnd: Round, result: Result, lang: str = "zh"
) -> tuple[list[str], list[list[Any]]]:
    """The publicity list: 序号, 姓名, 工作单位, 职务职级, 拟任职务 — one row per placed cadre,
    in the plan's post order."""
    coms = {c.id: c for c in rnd.communities}
    cadres = {c.id: c for c in rnd.cadres}
    head = [
        pick(lang, "序号", "No."),
        pick(lang, "姓名", "Name"),
        pick(lang, "工作单位", "Unit"),
        pick(lang, "职务职级", "Rank / title"),
        pick(lang, "拟任职务", "Proposed post"),
    ]
    rows: list[list[Any]] = []
    for a in result.assignments:
        cad = cadres.get(a.cadre_id) if a.cadre_id else None
        if cad is None:
            continue
        post = post_words(coms.get(a.community_id), a.community_id, a.post_type, lang)
        rows.append([len(rows) + 1, cad.name, cad.unit, title(cad, lang), post])
    return head, rows


def period_words(period: Period | None, lang: str) -> str:
    if period is None:
        return ""
    a, b = period.first, period.last
    return pick(
        lang,
        f"公示时间：{a.year}年{a.month}月{a.day}日至{b.year}年{b.month}月{b.day}日"
        f"（{period.days}个工作日）",
        f"Publicity: {a:%Y-%m-%d} to {b:%Y-%m-%d} ({period.days} working days)",
    )


def _publicity_title(rnd: Round, lang: str) -> str:
    return pick(lang, f"{rnd.name}拟选派人选公示名单", f"{rnd.name}: publicity list")


def _publicity_subtitle(period: Period | None, lang: str) -> str:
    return "  ".join(x for x in (period_words(period, lang), pick(lang, *PUBLICITY_NOTE)) if x)


def publicity_xlsx(rnd: Round, result: Result, period: Period | None, lang: str = "zh") -> bytes:
    """The publicity list as a print-ready workbook."""
    head, rows = publicity_table(rnd, result, lang)
    sub = _publicity_subtitle(period, lang)
    sheet = DocSheet(
        pick(lang, "公示名单", "Publicity"), head, rows, _publicity_title(rnd, lang), sub
    )
    return _written(".xlsx", lambda p: write_document(p, [sheet]))


def publicity_pdf(rnd: Round, result: Result, period: Period | None, lang: str = "zh") -> bytes:
    """The publicity list as a PDF (no signature block: it is posted, not signed)."""
    head, rows = publicity_table(rnd, result, lang)
    sub = _publicity_subtitle(period, lang)
    return _written(
        ".pdf",
        lambda p: write_table_pdf(
            p,
            title=_publicity_title(rnd, lang),
            subtitle=sub,
            header=head,
            rows=rows,
            widths=(3, 6, 14, 10, 20),
            lang=lang,
            signatures=False,
        ),
    )


def record_rows(
    rnd: Round, plan_id: str, period: Period | None, decision: Decision, placed: int, lang: str
) -> list[list[Any]]:
    """The approval record as (item, content) rows, objections last, each with its answer."""
    d = decision.day
    rows: list[list[Any]] = [
        [pick(lang, "轮次", "Round"), rnd.name],
        [pick(lang, "方案编号", "Plan"), plan_id],
        [pick(lang, "拟选派人数", "Cadres proposed"), placed],
        [pick(lang, "公示", "Publicity"), period_words(period, lang)],
        [pick(lang, "审批决定", "Decision"), decision.decision or pick(lang, "同意", "approved")],
        [pick(lang, "审批人", "Approved by"), decision.approver],
        [pick(lang, "审批日期", "Date"), pick(lang, f"{d.year}年{d.month}月{d.day}日", f"{d}")],
        [pick(lang, "落款", "Signed for"), decision.signatory],
        [
            pick(lang, "公示期间反映", "Objections"),
            pick(lang, f"{len(decision.objections)} 件", str(len(decision.objections))),
        ],
    ]
    for n, o in enumerate(decision.objections, 1):
        answered = f"{o.answered}" if o.answered else ""
        rows.append(
            [
                pick(lang, f"反映（第{n}件）", f"Objection {n}"),
                pick(
                    lang,
                    f"反映对象：{o.about or '方案'}；反映内容：{o.text}（{o.recorded}收到）；"
                    f"办理结果：{o.answer}（{o.answered_by}，{answered}）",
                    f"about {o.about or 'the plan'}: {o.text} (received {o.recorded}); "
                    f"answer: {o.answer} ({o.answered_by}, {answered})",
                ),
            ]
        )
    return rows


def _record_title(rnd: Round, lang: str) -> str:
    return pick(lang, f"{rnd.name}选派方案审批记录", f"{rnd.name}: approval record")


def record_document(
    rnd: Round,
    plan_id: str,
    period: Period | None,
    decision: Decision,
    placed: int,
    lang: str = "zh",
    *,
    kind: str = "xlsx",
) -> bytes:
    """The approval record as a workbook (``kind="xlsx"``: the record, and the objections
    sheet) or a PDF (``"pdf"``: the record, closing with the 落款 and the date)."""
    rows = record_rows(rnd, plan_id, period, decision, placed, lang)
    head = [pick(lang, "项目", "Item"), pick(lang, "内容", "Content")]
    if kind == "pdf":
        d = decision.day
        closing = [decision.signatory, pick(lang, f"{d.year}年{d.month}月{d.day}日", f"{d}")]
        return _written(
            ".pdf",
            lambda p: write_table_pdf(
                p,
                title=_record_title(rnd, lang),
                header=head,
                rows=rows,
                widths=(8, 40),
                lang=lang,
                signatures=False,
                closing=closing,
            ),
        )
    obj_head = [
        pick(lang, "序号", "No."),
        pick(lang, "反映对象", "About"),
        pick(lang, "反映内容", "Objection"),
        pick(lang, "收到日期", "Received"),
        pick(lang, "办理结果", "Answer"),
        pick(lang, "办理人", "Answered by"),
        pick(lang, "办结日期", "Answered"),
    ]
    obj_rows: list[list[Any]] = [
        [n, o.about, o.text, f"{o.recorded}", o.answer, o.answered_by, f"{o.answered or ''}"]
        for n, o in enumerate(decision.objections, 1)
    ]
    sheets = [
        DocSheet(pick(lang, "审批记录", "Record"), head, rows[:9], _record_title(rnd, lang)),
        DocSheet(pick(lang, "公示反映", "Objections"), obj_head, obj_rows),
    ]
    return _written(".xlsx", lambda p: write_document(p, sheets))


record_xlsx = partial(record_document, kind="xlsx")
record_pdf = partial(record_document, kind="pdf")


def _written(suffix: str, write: Any) -> bytes:
    """Bytes of a document written to a temporary file by ``write(path)``."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"document{suffix}"
        write(path)
        return path.read_bytes()


__all__: Sequence[str] = [
    "Decision",
    "Objection",
    "Period",
    "community_words",
    "post_words",
    "publicity_pdf",
    "publicity_table",
    "publicity_xlsx",
    "record_document",
    "record_pdf",
    "record_rows",
    "record_xlsx",
]
