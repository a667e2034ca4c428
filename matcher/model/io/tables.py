"""Round tables on disk: a folder of CSV files or an XLSX workbook, read and written.

A CSV round is a folder with ``communities.csv`` and ``cadres.csv`` and optionally
``rules.csv`` and/or ``round.json`` (rules, weights, settings, name — the JSON round file
without communities and cadres). An XLSX round is a workbook with sheets ``communities``/社区,
``cadres``/干部 and optionally ``rules``/规则. CSV files may be UTF-8 (with or without BOM) or
GB18030 (what Excel saves on Chinese Windows).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

from matcher.model.io.cells import cell_text
from matcher.model.io.headers import SHEET_NAMES, normalise_header
from matcher.model.io.rows import Table
from matcher.model.io.xlsx_guard import check_workbook
from matcher.model.problems import InputProblem
from matcher.model.text import clean

CSV_FILES = {name: f"{name}.csv" for name in SHEET_NAMES}
REQUIRED = ("communities", "cadres")


def _rows(source: str, records: list[list[str]]) -> Table:
    """Header = first non-blank row; blank rows below are skipped but keep their numbers."""
    numbered = [(i + 1, r) for i, r in enumerate(records) if any(c.strip() for c in r)]
    if not numbered:
        return Table(source, [], [])
    (_, header), *body = numbered
    return Table(source, [h.strip() for h in header], body)


def decode_csv(data: bytes, source: str) -> str:
    """UTF-8 (BOM or not), else GB18030; anything else is an :class:`InputProblem`."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise _Problem(InputProblem(source, "", "cannot decode: save the file as UTF-8 or GB18030"))


class _Problem(Exception):
    def __init__(self, problem: InputProblem) -> None:
        super().__init__(str(problem))
        self.problem = problem


def read_csv_table(path: Path) -> Table:
    """Read one CSV file as a :class:`Table`; raises ``_Problem`` if it cannot be read."""
    source = str(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise _Problem(InputProblem(source, "", f"cannot read file: {exc.strerror}")) from None
    text = decode_csv(data, source)
    try:
        records = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        raise _Problem(InputProblem(source, "", f"not a readable CSV file: {exc}")) from None
    return _rows(source, records)


def read_csv_folder(folder: Path) -> tuple[dict[str, Table], list[InputProblem]]:
    """The tables of a CSV round folder (missing optional files are simply absent)."""
    tables: dict[str, Table] = {}
    problems: list[InputProblem] = []
    for name, file in CSV_FILES.items():
        path = folder / file
        if not path.exists():
            if name in REQUIRED:
                problems.append(InputProblem(str(path), "", "file is missing"))
            continue
        try:
            tables[name] = read_csv_table(path)
        except _Problem as exc:
            problems.append(exc.problem)
    return tables, problems


def read_workbook(path: Path) -> tuple[dict[str, Table], list[InputProblem]]:
    """The tables of an XLSX round workbook, found by English or Chinese sheet name."""
    import openpyxl  # local: only XLSX users pay for the import

    source = str(path)
    check_workbook(path)  # bounded scan first: a zip bomb never reaches openpyxl
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # a damaged part raises anything from KeyError to a ParseError
        reason = getattr(exc, "strerror", None) or "not an XLSX workbook"
        return {}, [InputProblem(source, "", f"cannot read workbook: {reason}")]
    try:
        return _sheets(book, source)
    finally:
        book.close()


def _sheets(book: Any, source: str) -> tuple[dict[str, Table], list[InputProblem]]:
    """The round's tables from an open workbook; a damaged sheet (a bad cell reference,
    truncated XML) is named as a problem, never raised."""
    by_name = {normalise_header(ws.title): ws for ws in book.worksheets}
    tables: dict[str, Table] = {}
    problems: list[InputProblem] = []
    for name, titles in SHEET_NAMES.items():
        sheet = next((by_name[t] for t in titles if t in by_name), None)
        if sheet is None:
            if name in REQUIRED:
                names = " or ".join(f"'{t}'" for t in titles)
                problems.append(InputProblem(source, "", f"sheet {names} is missing"))
            continue
        where = f"{source}[{sheet.title}]"
        try:
            records = [[cell_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
        except Exception as exc:  # openpyxl raises ValueError, KeyError, ParseError, …
            reason = f"{type(exc).__name__}: {str(exc)[:200]}"
            problems.append(InputProblem(where, "", f"damaged sheet, cannot be read ({reason})"))
            continue
        tables[name] = _rows(where, records)
    return tables, problems


def csv_bytes(rows: list[list[str]]) -> bytes:
    """CSV text as UTF-8 with BOM, so Excel opens Chinese headers correctly."""
    buf = io.StringIO(newline="")
    csv.writer(buf, lineterminator="\r\n").writerows(rows)
    return buf.getvalue().encode("utf-8-sig")


def write_workbook(path: Path, sheets: dict[str, list[list[Any]]]) -> None:
    """Write sheets (title → rows, header first) to an XLSX file with a frozen header row."""
    import openpyxl
    from openpyxl.styles import Font

    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:  # text stored before it was checked must never break a roster
            sheet.append([clean(v) if isinstance(v, str) else v for v in row])
        sheet.freeze_panes = "A2"
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for letter, width in _widths(rows).items():
            sheet.column_dimensions[letter].width = width
    book.save(path)


def _widths(rows: list[list[Any]]) -> dict[str, float]:
    from openpyxl.utils import get_column_letter

    widths: dict[str, float] = {}
    for row in rows[:200]:
        for i, value in enumerate(row, 1):
            text = str(value if value is not None else "")
            size = sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)
            letter = get_column_letter(i)
            widths[letter] = min(60.0, max(widths.get(letter, 6.0), size + 2.0))
    return widths
