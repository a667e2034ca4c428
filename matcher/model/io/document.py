"""Workbooks laid out as documents a department prints and signs (名单, 调整名单 …).

A :class:`DocSheet` is one sheet: an optional title row (and a subtitle row) above a bold
header, then the rows, then the closing lines (落款: the issuing organisation and the date,
right-aligned). :func:`write_document` writes the sheets print-ready as a 公文 attachment:
A4 landscape with the GB/T 9704 margins turned with the page (版心 225 × 156 mm), a print
area over the printed columns only, column widths scaled so those columns fit the 版心
width (long text wrapped), the title and header rows repeated on every printed page, page
numbers in the footer, the header frozen, filters on the header, and columns that are only
for machines hidden and outside the print area. Any roster-like workbook (the selection
roster, a re-plan's adjustment list) is written with it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from matcher.model.io.atomic import atomic_path
from matcher.model.text import clean

MAX_WIDTH = 48.0  # characters; wider text wraps
WRAP_FROM = 24.0  # columns wider than this wrap their text
# GB/T 9704 page: margins 37 (top) 35 (bottom) 28 (left) 26 (right) mm on portrait A4; the
# landscape attachment turns them with the page, leaving the same 版心 of 225 × 156 mm.
MARGINS_MM = {"left": 37.0, "right": 35.0, "top": 28.0, "bottom": 26.0}
BODY_WIDTH_MM = 297.0 - MARGINS_MM["left"] - MARGINS_MM["right"]
MM_PER_WIDTH = 2.0  # one Excel width unit (a digit of the default font plus padding), in mm


@dataclass(frozen=True)
class DocSheet:
    """One sheet: ``title``/``subtitle`` rows (optional), ``header``, ``rows``.

    ``hidden`` names header cells whose columns are kept for machines (ids) but not printed;
    ``printed_columns`` limits the print area to the first N columns (0: up to the last
    column not hidden), so a planner's own extra columns stay on screen but off the page;
    ``closing`` are the 落款 lines under the table (organisation, date);
    ``print_ready`` turns on the page setup, filters and repeated rows (off for short tables
    of figures, which still get the title row and widths).
    """

    name: str
    header: list[str]
    rows: list[list[Any]]
    title: str = ""
    subtitle: str = ""
    hidden: frozenset[str] = field(default_factory=frozenset)
    print_ready: bool = True
    footer: str = "第 &P 页，共 &N 页"
    closing: tuple[str, ...] = ()
    printed_columns: int = 0


def closing(organisation: str, on: date, lang: str = "zh") -> tuple[str, ...]:
    """The 落款 lines: the issuing organisation (or a line to sign and seal) and the date as
    GB/T 9704 writes it (2026年12月7日)."""
    if lang == "en":
        return (organisation or "Issued by: ____________ (seal)", on.strftime("%d %B %Y"))
    who = organisation or "（单位盖章）____________________"
    return (who, f"{on.year}年{on.month}月{on.day}日")


def _clean(value: Any) -> Any:
    """Text without the characters a workbook refuses (:func:`matcher.model.text.clean`)."""
    return clean(value) if isinstance(value, str) else value


def text_width(value: Any) -> float:
    """Display width of a cell: Chinese characters count double."""
    text = "" if value is None else str(value)
    return float(sum(2 if ord(ch) > 0x2E80 else 1 for ch in text))


def column_widths(header: Sequence[Any], rows: Sequence[Sequence[Any]]) -> list[float]:
    """A width per column from its header and the first 300 rows, capped at MAX_WIDTH."""
    widths = [text_width(h) + 2 for h in header]
    for row in rows[:300]:
        for i, value in enumerate(row[: len(widths)]):
            widths[i] = max(widths[i], min(MAX_WIDTH, text_width(value) + 2))
    return [min(MAX_WIDTH, max(6.0, w)) for w in widths]


def add_sheet(book: Any, sheet: DocSheet) -> Any:
    """Add one document sheet to an openpyxl workbook and return the worksheet."""
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    ws = book.create_sheet(sheet.name[:31])
    ncol = max(1, len(sheet.header))
    last = get_column_letter(ncol)
    top = 1
    if sheet.title:
        ws.append([_clean(sheet.title)])
        ws.merge_cells(f"A{top}:{last}{top}")
        ws.cell(top, 1).font = Font(bold=True, size=16)
        ws.cell(top, 1).alignment = Alignment(horizontal="center", vertical="center")
        ws.row_dimensions[top].height = 30
        top += 1
    if sheet.subtitle:
        ws.append([_clean(sheet.subtitle)])
        ws.merge_cells(f"A{top}:{last}{top}")
        ws.cell(top, 1).alignment = Alignment(horizontal="center")
        top += 1
    ws.append([_clean(h) for h in sheet.header])
    thin = Side(style="thin", color="808080")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    for cell in ws[top]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDE4EE")
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = box
    widths = column_widths(sheet.header, sheet.rows)
    wrap = [w >= WRAP_FROM for w in widths]
    for row in sheet.rows:
        ws.append([_clean(v) for v in row])
        for i, cell in enumerate(ws[ws.max_row][:ncol]):
            cell.border = box
            cell.alignment = Alignment(vertical="top", wrap_text=wrap[i])
    shown = [i for i, h in enumerate(sheet.header) if h not in sheet.hidden]
    if sheet.printed_columns:
        shown = [i for i in shown if i < sheet.printed_columns]
    printed = shown[-1] + 1 if shown else ncol
    if sheet.print_ready:
        widths = fit_widths(widths, [i in shown for i in range(ncol)])
    for i, width in enumerate(widths, 1):
        dim = ws.column_dimensions[get_column_letter(i)]
        dim.width = width
        if sheet.header[i - 1] in sheet.hidden:
            dim.hidden = True
        elif sheet.print_ready and width < WRAP_FROM:
            for row in ws.iter_rows(min_row=top + 1, min_col=i, max_col=i):
                row[0].alignment = Alignment(vertical="top", wrap_text=True)
    data_end = ws.max_row
    if sheet.closing:
        right = get_column_letter(printed)
        ws.append([])
        for line in sheet.closing:
            ws.append([_clean(line)])
            r = ws.max_row
            ws.merge_cells(f"A{r}:{right}{r}")
            ws.cell(r, 1).alignment = Alignment(horizontal="right")
            ws.cell(r, 1).font = Font(size=12)
    ws.freeze_panes = f"A{top + 1}"
    if sheet.print_ready:
        _page_setup(ws, top, last, sheet.footer, get_column_letter(printed), data_end)
    return ws


def fit_widths(widths: list[float], printed: list[bool]) -> list[float]:
    """Column widths scaled down so the printed columns fit the 版心 width of A4 landscape
    (no shrink-to-fit below legibility: long cells wrap instead)."""
    room = BODY_WIDTH_MM / MM_PER_WIDTH
    total = sum(w for w, p in zip(widths, printed, strict=True) if p)
    if total <= room:
        return widths
    scale = room / total
    return [max(4.0, round(w * scale, 1)) if p else w for w, p in zip(widths, printed, strict=True)]


def _page_setup(
    ws: Any, header_row: int, last_col: str, footer: str, last_printed: str, data_end: int
) -> None:
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"1:{header_row}"
    ws.print_area = f"A1:{last_printed}{ws.max_row}"
    ws.print_options.horizontalCentered = True
    inch = 25.4
    ws.page_margins.left = MARGINS_MM["left"] / inch
    ws.page_margins.right = MARGINS_MM["right"] / inch
    ws.page_margins.top = MARGINS_MM["top"] / inch
    ws.page_margins.bottom = MARGINS_MM["bottom"] / inch
    ws.page_margins.footer = 10 / inch
    ws.oddFooter.center.text = footer
    if data_end > header_row:
        ws.auto_filter.ref = f"A{header_row}:{last_col}{data_end}"


def write_document(path: str | Path, sheets: Sequence[DocSheet]) -> None:
    """Write the sheets as one print-ready workbook, atomically."""
    import openpyxl

    book = openpyxl.Workbook()
    book.remove(book.active)
    for sheet in sheets:
        add_sheet(book, sheet)
    with atomic_path(path) as temp:
        book.save(temp)


__all__ = [
    "DocSheet",
    "add_sheet",
    "closing",
    "column_widths",
    "fit_widths",
    "text_width",
    "write_document",
]
