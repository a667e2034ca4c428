"""Round tables on disk: a folder of CSV files or an XLSX workbook, read and written.

A CSV round is a folder with ``communities.csv`` and ``cadres.csv`` (or 社区.csv, 干部.csv,
or any names whose headers say what they are) and optionally ``rules.csv``/规则.csv and/or
``round.json`` (rules, weights, settings, name — the JSON round file without communities and
cadres). An XLSX round is a workbook with sheets ``communities``/社区, ``cadres``/干部 and
optionally ``rules``/规则, or sheets a clerk named (社区名单, 选派干部名单) whose headers say
what they are (:mod:`matcher.model.io.layout`). CSV files may be UTF-8 (with or without BOM)
or GB18030 (what Excel saves on Chinese Windows). Every cell is NFKC-normalised on reading
(full-width ２１０７０２ → 210702).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

from matcher.model.io.cells import normalise_text, sheet_text
from matcher.model.io.headers import SHEET_NAMES
from matcher.model.io.layout import Located, assign, locate
from matcher.model.io.rows import Table
from matcher.model.io.xlsx_guard import check_workbook
from matcher.model.problems import InputProblem
from matcher.model.text import clean

CSV_FILES = {name: f"{name}.csv" for name in SHEET_NAMES}
REQUIRED = ("communities", "cadres")
ENGINES = ("calamine", "openpyxl")


def _rows(source: str, records: list[list[str]]) -> Table:
    """The table of one sheet: header found below any title rows (see :mod:`layout`)."""
    return locate(source, source, records).table


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


def _csv_records(path: Path) -> list[list[str]]:
    source = str(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise _Problem(InputProblem(source, "", f"cannot read file: {exc.strerror}")) from None
    text = decode_csv(data, source)
    try:
        return [[normalise_text(c) for c in r] for r in csv.reader(io.StringIO(text, newline=""))]
    except csv.Error as exc:
        raise _Problem(InputProblem(source, "", f"not a readable CSV file: {exc}")) from None


def read_csv_table(path: Path) -> Table:
    """Read one CSV file as a :class:`Table`; raises ``_Problem`` if it cannot be read."""
    return _rows(str(path), _csv_records(path))


def _chosen(found: list[Located], problems: list[InputProblem], missing: str) -> dict[str, Table]:
    """Tables by kind from located sheets; warnings and missing required tables to problems."""
    chosen, notes = assign(found)
    problems += notes
    for loc in chosen.values():
        problems += loc.notes
    for name in REQUIRED:
        if name not in chosen:
            problems.append(InputProblem(missing.format(name=name), "", "file is missing"))
    return {k: chosen[k].table for k in SHEET_NAMES if k in chosen}


def read_csv_folder(folder: Path) -> tuple[dict[str, Table], list[InputProblem]]:
    """The tables of a CSV round folder, recognised by file name or headers (社区.csv …).

    Problems of severity ``warning`` say what was recognised or skipped; the others are fatal.
    """
    problems: list[InputProblem] = []
    found: list[Located] = []
    for path in sorted(folder.glob("*.csv")) + sorted(folder.glob("*.CSV")):
        try:
            found.append(locate(str(path), path.stem, _csv_records(path)))
        except _Problem as exc:
            problems.append(exc.problem)
    missing = str(folder / "{name}.csv")
    tables = _chosen(found, problems, missing)
    if any(p.severity == "error" and p.message != "file is missing" for p in problems):
        problems[:] = [p for p in problems if p.message != "file is missing"]
    return tables, problems


Sheets = list[tuple[str, list[list[Any]] | Exception]]


def _sheets_calamine(path: Path) -> Sheets:
    from python_calamine import CalamineWorkbook  # local: only XLSX users pay for it

    book = CalamineWorkbook.from_path(str(path))
    out: Sheets = []
    for name in book.sheet_names:
        try:
            out.append((name, book.get_sheet_by_name(name).to_python(skip_empty_area=False)))
        except Exception as exc:  # a damaged sheet is named, never raised
            out.append((name, exc))
    return out


def _sheets_openpyxl(path: Path) -> Sheets:
    import openpyxl

    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    out: Sheets = []
    try:
        for ws in book.worksheets:
            try:
                out.append((ws.title, [list(r) for r in ws.iter_rows(values_only=True)]))
            except Exception as exc:  # openpyxl raises ValueError, KeyError, ParseError, …
                out.append((ws.title, exc))
        return out
    finally:
        book.close()


def read_workbook(
    path: Path, *, engine: str = "calamine"
) -> tuple[dict[str, Table], list[InputProblem]]:
    """The tables of an XLSX round workbook, found by sheet headers or names.

    :func:`matcher.model.io.xlsx_guard.check_workbook` runs first (a zip bomb never reaches
    a reader). ``engine`` is ``calamine`` (fast, the default) or ``openpyxl`` (kept for
    comparison in the benchmark). Problems of severity ``warning`` say what was recognised or
    skipped; a damaged sheet is named as a problem.
    """
    source = str(path)
    check_workbook(path)  # bounded scan first
    try:
        sheets = (_sheets_calamine if engine == "calamine" else _sheets_openpyxl)(path)
    except Exception as exc:  # a damaged part raises anything from KeyError to a ParseError
        reason = getattr(exc, "strerror", None) or "not an XLSX workbook"
        return {}, [InputProblem(source, "", f"cannot read workbook: {reason}")]
    problems: list[InputProblem] = []
    found: list[Located] = []
    for title, rows in sheets:
        where = f"{source}[{title}]"
        if isinstance(rows, Exception):
            reason = f"{type(rows).__name__}: {str(rows)[:200]}"
            problems.append(InputProblem(where, "", f"damaged sheet, cannot be read ({reason})"))
            continue
        found.append(locate(where, title, sheet_text(rows)))
    chosen, notes = assign(found)
    problems += notes
    for loc in chosen.values():
        problems += loc.notes
    for name in REQUIRED:
        if name not in chosen and not any(p.severity == "error" for p in problems):
            titles = " or ".join(f"'{t}'" for t in SHEET_NAMES[name])
            problems.append(InputProblem(source, "", f"sheet {titles} is missing"))
    return {k: chosen[k].table for k in SHEET_NAMES if k in chosen}, problems


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
