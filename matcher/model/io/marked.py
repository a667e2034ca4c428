"""The clerk's own workbook back, marked: each problem cell highlighted with the message as a
comment, and a sheet listing every problem.

``matcher validate ROUND --mark FILE.xlsx`` and the service's ``POST /rounds/upload/validate
?mark=xlsx`` write it. The input workbook is copied as it is (formatting, merged titles, other
sheets); a CSV folder becomes one sheet per file; a JSON round gets the problems sheet only.
Errors are filled red, warnings yellow. Problems name their cell by sheet (``book.xlsx[干部]``
or ``干部.csv``), row and column as the file spells it, so the mark lands where the clerk typed.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from matcher.model.io.atomic import atomic_path
from matcher.model.io.headers import normalise_header
from matcher.model.io.tables import decode_csv
from matcher.model.messages import Lang, localise_where
from matcher.model.problems import InputProblem

_WHERE = re.compile(r"^rows? (\d+)(?:, column '([^']*)')?(?: \((.*)\))?")
_SHEET = re.compile(r"^(.*)\[([^\]]+)\]$")
FILLS = {"error": "FFC7CE", "warning": "FFEB9C"}
LIST_TITLE = {"zh": "问题清单", "en": "problems"}
LIST_HEADER = {
    "zh": ["级别", "工作表", "行", "列", "编号", "问题"],
    "en": ["severity", "sheet", "row", "column", "id", "problem"],
}
SEVERITY = {
    "zh": {"error": "错误", "warning": "提示"},
    "en": {"error": "error", "warning": "warning"},
}


def _book_from(source: Path) -> Any:
    """A workbook holding the input as the clerk saw it."""
    import openpyxl

    if source.is_file() and source.suffix.lower() in (".xlsx", ".xlsm"):
        return openpyxl.load_workbook(source)
    book = openpyxl.Workbook()
    book.remove(book.active)
    if source.is_dir():
        for path in sorted(source.glob("*.csv")):
            text = decode_csv(path.read_bytes(), str(path))
            sheet = book.create_sheet(path.stem[:31])
            for row in csv.reader(io.StringIO(text, newline="")):
                sheet.append(row)
    return book


def _sheet_of(book: Any, source: str) -> Any:
    m = _SHEET.match(source)
    title = m.group(2) if m else Path(source).stem[:31]
    return book[title] if title in book.sheetnames else None


def _column(sheet: Any, row: int, header: str | None, rules_value: bool) -> int:
    """The column whose header (in a row above ``row``) is ``header``; 1 when unknown."""
    # a two-row header is read as 上级/下级: the cell holds the child (or the parent alone)
    wanted = {normalise_header(h) for h in (header, *header.split("/"))} if header else set()
    if header and "/" in header:
        wanted.discard(normalise_header(header.split("/")[0]))
    if rules_value:
        wanted = {"值", "value"}
    if not wanted:
        return 1
    for r in range(min(row, 40), 0, -1):
        for cell in sheet[r]:
            if isinstance(cell.value, str) and normalise_header(cell.value) in wanted:
                return int(cell.column)
    return 1


def _writable(sheet: Any, row: int, col: int) -> Any:
    """The cell to mark: a cell inside a merged range (a two-row header, a merged title) is
    read-only in openpyxl, so the range's top-left cell carries the mark."""
    for merged in sheet.merged_cells.ranges:
        if merged.min_row <= row <= merged.max_row and merged.min_col <= col <= merged.max_col:
            return sheet.cell(row=merged.min_row, column=merged.min_col)
    return sheet.cell(row=row, column=col)


def write_marked_workbook(
    source: str | Path, problems: Sequence[InputProblem], target: str | Path, lang: Lang = "zh"
) -> int:
    """Write ``source`` (workbook, CSV folder or JSON round) with ``problems`` marked to
    ``target`` (atomically); return how many cells were marked."""
    from openpyxl.comments import Comment
    from openpyxl.styles import Font, PatternFill

    book = _book_from(Path(source))
    notes: dict[tuple[str, int, int], list[InputProblem]] = {}
    for p in problems:
        sheet = _sheet_of(book, p.source)
        m = _WHERE.match(p.where)
        if sheet is None or m is None:
            continue
        row = int(m.group(1))
        col = _column(sheet, row, m.group(2), m.group(3) is not None)
        notes.setdefault((sheet.title, row, col), []).append(p)
    for (title, row, col), found in notes.items():
        cell = _writable(book[title], row, col)
        worst = "error" if any(p.severity == "error" for p in found) else "warning"
        cell.fill = PatternFill("solid", start_color=FILLS[worst], end_color=FILLS[worst])
        text = "\n".join(p.text(lang) for p in found)
        cell.comment = Comment(text, "matcher", width=360, height=40 + 18 * text.count("\n"))
    title = LIST_TITLE[lang]
    if title in book.sheetnames:
        del book[title]
    listing = book.create_sheet(title, 0)
    listing.append(LIST_HEADER[lang])
    for cell in listing[1]:
        cell.font = Font(bold=True)
    for p in problems:
        m = _WHERE.match(p.where)
        listing.append(
            [
                SEVERITY[lang][p.severity],
                p.source,
                int(m.group(1)) if m else None,
                m.group(2) if m and m.group(2) else "",
                p.id or "",
                p.text(lang) if m else f"{localise_where(p.where, lang)} {p.text(lang)}".strip(),
            ]
        )
    for letter, width in zip("ABCDEF", (8, 36, 6, 14, 12, 90), strict=True):
        listing.column_dimensions[letter].width = width
    listing.freeze_panes = "A2"
    with atomic_path(target) as temp:
        book.save(temp)
    return len(notes)
