"""What an approval writes into the posting archive, and the archive read back for rounds.

An approved plan is compared with the postings still serving for the cadres it concerns: a
cadre in the same post keeps the posting; a cadre placed elsewhere ends it (moved) and starts
a new one; a cadre no longer placed ends it (completed, or the outcome the replacement
recorded: recalled, promoted, withdrawn, unsuitable); a newly placed cadre starts one.
:func:`approval_changes` is a plain function so any approval (the selection workflow's or the
lifecycle's) writes the archive the same way (:mod:`matcher_service.approving`).
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from matcher.engine.result import Result
from matcher.lifecycle.terms import Outcome, Posting, add_months, term_months
from matcher.model.round import Round
from matcher_service.store.archive import Ending, NewPosting, PostingRecord


def approval_changes(
    rnd: Round,
    result: Result,
    start: date,
    serving: list[PostingRecord],
    report: dict[str, Any] | None = None,
) -> tuple[list[NewPosting], list[Ending]]:
    """Postings an approval starts and serving postings it ends (see module docstring)."""
    names = {c.id: c.name for c in rnd.cadres}
    coms = {c.id: c.name for c in rnd.communities}
    placed = {
        a.cadre_id: (a.community_id, a.post_type)
        for a in result.assignments
        if a.cadre_id is not None
    }
    told = {c["cadre"]: c for c in (report or {}).get("changes", [])}
    scope = set(names) | set(told)
    current = {p.cadre_id: p for p in serving if p.cadre_id in scope}
    postings: list[NewPosting] = []
    endings: list[Ending] = []
    for cid, p in current.items():
        if placed.get(cid) == (p.community_id, p.post_type):
            continue
        change = told.get(cid)
        if change is not None and change.get("outcome") not in (None, "", "serving"):
            endings.append(Ending(cid, change["outcome"], change.get("reason", "")))
        elif cid in placed:
            endings.append(Ending(cid, Outcome.MOVED.value, "调整岗位"))
        else:
            why = "任期届满" if p.term_end <= start else "未再安排岗位"
            endings.append(Ending(cid, Outcome.COMPLETED.value, why))
    for cid, (com, typ) in placed.items():
        held = current.get(cid)
        if held is not None and (held.community_id, held.post_type) == (com, typ):
            continue
        months = term_months(rnd, typ)
        postings.append(
            NewPosting(
                cid,
                names.get(cid, cid),
                com,
                coms.get(com, com),
                typ,
                start,
                months,
                add_months(start, months),
            )
        )
    return postings, endings


def as_postings(records: list[PostingRecord]) -> list[Posting]:
    """Stored postings as the engine's :class:`~matcher.lifecycle.terms.Posting`."""
    return [
        Posting(
            r.cadre_id,
            r.community_id,
            r.post_type,
            r.start,
            r.term_months,
            Outcome(r.outcome),
            r.reason,
            r.ended,
        )
        for r in records
    ]


def served_recently(records: list[PostingRecord], before: date, years: int) -> dict[str, list[str]]:
    """Cadre → communities served in the ``years`` before ``before`` (for "not back")."""
    since = add_months(before, -12 * years)
    out: dict[str, list[str]] = {}
    for r in records:
        end = r.ended or r.term_end
        if end >= since and r.start <= before and r.community_id not in out.get(r.cadre_id, []):
            out.setdefault(r.cadre_id, []).append(r.community_id)
    return out


def report_of(text: str | None) -> dict[str, Any] | None:
    """A stored replacement report (JSON) or None."""
    return None if text is None else dict(json.loads(text))


FILE_HEAD = [
    "序号",
    "社区编号",
    "社区",
    "岗位",
    "任期开始",
    "任期届满",
    "实际结束",
    "结果",
    "原因",
    "方案",
]
_TYPE_ZH = {"full-time": "第一书记", "part-time": "兼职干部"}


def file_rows(records: list[PostingRecord]) -> list[list[Any]]:
    """A person's file as workbook rows (header first), oldest posting first."""
    rows: list[list[Any]] = [FILE_HEAD]
    for n, r in enumerate(records, 1):
        rows.append(
            [
                n,
                r.community_id,
                r.community_name,
                _TYPE_ZH.get(r.post_type, r.post_type),
                r.start.isoformat(),
                r.term_end.isoformat(),
                r.ended.isoformat() if r.ended else "",
                Outcome(r.outcome).zh,
                r.reason,
                r.plan_id,
            ]
        )
    return rows


def file_xlsx(cadre_id: str, records: list[PostingRecord]) -> bytes:
    """The person's file (一人一档) as an XLSX workbook."""
    import tempfile
    from pathlib import Path

    from matcher.model.io.tables import write_workbook

    name = records[-1].cadre_name if records else ""
    head: list[list[Any]] = [["干部编号", cadre_id], ["姓名", name], ["任职记录", len(records)]]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "file.xlsx"
        write_workbook(
            path, {"任职记录": file_rows(records), "基本信息": [["项目", "内容"], *head]}
        )
        return path.read_bytes()
