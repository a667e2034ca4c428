"""Writers for a solved round: plan JSON, roster CSV/XLSX and the Markdown summary.

Every writer takes ``(round, result, path)`` and writes atomically (temp file, then
:func:`os.replace`). ``plan.json`` holds the canonical result (no wall-clock time), so the
same round and seed give a byte-identical file.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from matcher.engine.result import Result
from matcher.model.io.atomic import atomic_path, write_bytes, write_text
from matcher.model.io.roster import conflict_rows, roster_rows
from matcher.model.io.summary import summary_markdown, summary_rows
from matcher.model.io.tables import csv_bytes, write_workbook
from matcher.model.round import Round

PLAN_FORMAT_VERSION = 1


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
    text = json.dumps(plan_dict(round, result), ensure_ascii=False, indent=2) + "\n"
    write_text(path, text)


def write_roster_csv(
    round: Round, result: Result, path: str | Path, *, headers: str = "zh"
) -> None:
    """Write the roster as CSV (UTF-8 with BOM, one row per post)."""
    rows = [[str(v) for v in row] for row in roster_rows(round, result, headers)]
    write_bytes(path, csv_bytes(rows))


def write_roster_xlsx(
    round: Round, result: Result, path: str | Path, *, headers: str = "zh"
) -> None:
    """Write the roster workbook: roster sheet, summary sheet and conflicts sheet if any."""
    en = headers == "en"
    sheets: dict[str, list[list[Any]]] = {
        "roster" if en else "名单": roster_rows(round, result, headers),
        "summary" if en else "汇总": summary_rows(round, result, headers),
    }
    conflicts = conflict_rows(result, headers)
    if conflicts:
        sheets["conflicts" if en else "冲突"] = conflicts
    with atomic_path(path) as temp:
        write_workbook(temp, sheets)


def write_summary(round: Round, result: Result, path: str | Path) -> None:
    """Write the Markdown summary (aggregate figures only, no cadre names)."""
    write_text(path, summary_markdown(round, result))
