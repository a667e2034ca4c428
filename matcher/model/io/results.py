"""Writers for a solved round: plan JSON, the roster (CSV, XLSX, PDF) and the summary.

Every writer takes ``(round, result, path)`` and writes atomically (temp file, then
:func:`os.replace`); ``lang`` is ``zh`` or ``en`` and defaults to the round's language
(:func:`matcher.model.language.resolve`). ``plan.json`` holds the canonical result (no
wall-clock time), so the same round and seed give a byte-identical file.

The roster workbook (选派名单) is an approval document: sheets 选派名单, 未安排干部,
空缺岗位, 规则核对, 汇总 and 技术信息 (plus 冲突 when the rules conflict), laid out for
printing by :mod:`matcher.model.io.document`. The PDF is the 选派名单 sheet with a
signature block (:mod:`matcher.model.io.pdf`).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from matcher.analysis.rule_check import check_rules
from matcher.engine.result import Result
from matcher.model.io.atomic import write_bytes, write_text
from matcher.model.io.document import DocSheet, closing, write_document
from matcher.model.io.json_text import dumps_indented
from matcher.model.io.pdf import write_table_pdf
from matcher.model.io.roster import (
    ID_COLUMNS,
    PRINT_WIDTHS,
    ROSTER_COLUMNS,
    conflict_rows,
    roster_table,
    unplaced_table,
    vacancy_table,
)
from matcher.model.io.summary import summary_items, summary_markdown, technical_rows
from matcher.model.io.tables import csv_bytes
from matcher.model.language import chooser, pick, resolve
from matcher.model.round import Round

PLAN_FORMAT_VERSION = 2  # 2: posts numbered from 1 (``slot``), as in the roster


def plan_dict(round: Round, result: Result) -> dict[str, Any]:
    """The plan as plain JSON data: round identity and the canonical result."""
    return {
        "format_version": PLAN_FORMAT_VERSION,
        "round": {
            "name": round.name,
            "communities": len(round.communities),
            "cadres": len(round.cadres),
        },
        "result": result.canonical_dict(),
    }


def write_plan_json(round: Round, result: Result, path: str | Path) -> None:
    """Write ``plan.json``: the canonical result with the round's name and size."""
    text = dumps_indented(plan_dict(round, result)) + "\n"
    write_text(path, text)


def roster_title(round: Round, lang: str) -> str:
    """The title row: the round's name and 选派名单."""
    return pick(lang, f"{round.name} 选派名单", f"{round.name}: selection roster")


def _subtitle(round: Round, result: Result, lang: str) -> str:
    n, vac = len(result.assignments), len(result.vacancies)
    return pick(
        lang,
        f"共{len(round.communities)}个社区、{n}个岗位，已选派{n - vac}人，空缺{vac}个",
        f"{len(round.communities)} communities, {n} posts, {n - vac} filled, {vac} vacant",
    )


def write_roster_csv(
    round: Round, result: Result, path: str | Path, *, lang: str | None = None
) -> None:
    """Write the roster as CSV (UTF-8 with BOM, header then one row per post)."""
    head, rows = roster_table(round, result, resolve(lang, round))
    write_bytes(path, csv_bytes([head] + [[str(v) for v in r] for r in rows]))


def roster_sheets(
    round: Round,
    result: Result,
    lang: str = "zh",
    why_unplaced: dict[str, str] | None = None,
    on: date | None = None,
) -> list[DocSheet]:
    """The sheets of the roster workbook (see the module docstring); ``on`` is the date
    signed under the roster (default today)."""
    t = chooser(lang)
    head, rows = roster_table(round, result, lang)
    ids = frozenset(pick(lang, zh, en) for _, zh, en in ID_COLUMNS)
    sheets = [
        DocSheet(
            t("选派名单", "Roster"),
            head,
            rows,
            roster_title(round, lang),
            _subtitle(round, result, lang),
            hidden=ids,
            closing=closing(round.organisation, on or date.today(), lang),
            printed_columns=len(ROSTER_COLUMNS),
        ),
    ]
    h, r = unplaced_table(round, result, lang, why_unplaced)
    sheets.append(
        DocSheet(
            t("未安排干部", "Not placed"),
            h,
            r,
            t(f"{round.name}未安排干部", f"{round.name}: cadres without a post"),
            hidden=ids,
        )
    )
    h, r = vacancy_table(round, result, lang)
    sheets.append(
        DocSheet(
            t("空缺岗位", "Vacant posts"),
            h,
            r,
            t(f"{round.name}空缺岗位", f"{round.name}: vacant posts"),
            hidden=ids,
        )
    )
    if result.is_feasible():
        checks = check_rules(round, result, lang)
        sheets.append(
            DocSheet(
                t("规则核对", "Rule check"),
                [
                    t("序号", "No."),
                    t("规则", "Rule"),
                    t("要求", "Requires"),
                    t("本方案情况", "This plan"),
                    t("结论", "Holds"),
                ],
                [[i, c.rule, c.requires, c.plan, c.mark()] for i, c in enumerate(checks, 1)],
                t(f"{round.name}规则核对", f"{round.name}: hard rules checked"),
            )
        )
    sheets.append(
        DocSheet(
            t("汇总", "Summary"),
            [t("项目", "Item"), t("情况", "Value")],
            [list(x) for x in summary_items(round, result, lang)],
            t(f"{round.name}选派情况汇总", f"{round.name}: summary"),
            print_ready=False,
        )
    )
    conflicts = conflict_rows(result, lang)
    if conflicts:
        sheets.append(
            DocSheet(t("冲突", "Conflicts"), conflicts[0], conflicts[1:], print_ready=False)
        )
    sheets.append(
        DocSheet(
            t("技术信息", "Technical"),
            [t("项目", "Item"), t("数值", "Value")],
            [list(x) for x in technical_rows(result, lang)],
            print_ready=False,
        )
    )
    return sheets


def write_roster_xlsx(
    round: Round,
    result: Result,
    path: str | Path,
    *,
    lang: str | None = None,
    why_unplaced: dict[str, str] | None = None,
    on: date | None = None,
) -> None:
    """Write the roster workbook (选派名单 and its companion sheets), print-ready."""
    language = resolve(lang, round)
    write_document(path, roster_sheets(round, result, language, why_unplaced, on))


def write_roster_pdf(
    round: Round,
    result: Result,
    path: str | Path,
    *,
    lang: str | None = None,
    on: date | None = None,
) -> None:
    """Write the roster as a PDF to sign: title, the roster, page numbers, 审核/审批 block,
    落款 (the round's organisation) and the date ``on`` (default today)."""
    language = resolve(lang, round)
    head, rows = roster_table(round, result, language)
    n = len(ROSTER_COLUMNS)
    write_table_pdf(
        path,
        title=roster_title(round, language),
        subtitle=_subtitle(round, result, language),
        header=head[:n],
        rows=[r[:n] for r in rows],
        widths=PRINT_WIDTHS,
        lang=language,
        closing=closing(round.organisation, on or date.today(), language),
    )


def write_summary(
    round: Round, result: Result, path: str | Path, *, lang: str | None = None
) -> None:
    """Write the Markdown summary (figures, with vacant posts and unplaced cadres named)."""
    write_text(path, summary_markdown(round, result, resolve(lang, round)))
