"""Workbooks laid out as documents a department prints and signs (名单, 调整名单 …).

A :class:`DocSheet` is one sheet: an optional title row (and a subtitle row) above a bold
header, then the rows. :func:`write_document` writes the sheets print-ready: A4 landscape,
fitted to the page width, the title and header rows repeated on every printed page, page
numbers in the footer, the header frozen, filters on the header, column widths from the
content (long text wrapped), and columns that are only for machines hidden. Any roster-like
workbook (the selection roster, a re-plan's adjustment list) is written with it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from matcher.model.io.atomic import atomic_path
from matcher.model.text import clean

MAX_WIDTH = 48.0  # characters; wider text wraps
WRAP_FROM = 24.0  # columns wider than this wrap their text


@dataclass(frozen=True)
class DocSheet:
    """One sheet: ``title``/``subtitle`` rows (optional), ``header``, ``rows``.

    ``hidden`` names header cells whose columns are kept for machines (ids) but not printed;
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
    for i, width in enumerate(widths, 1):
        dim = ws.column_dimensions[get_column_letter(i)]
        dim.width = width
        if sheet.header[i - 1] in sheet.hidden:
            dim.hidden = True
    ws.freeze_panes = f"A{top + 1}"
    if sheet.print_ready:
        _page_setup(ws, top, last, sheet.footer)
    return ws


def _page_setup(ws: Any, header_row: int, last_col: str, footer: str) -> None:
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"1:{header_row}"
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.oddFooter.center.text = footer
    if ws.max_row > header_row:
        ws.auto_filter.ref = f"A{header_row}:{last_col}{ws.max_row}"


def write_document(path: str | Path, sheets: Sequence[DocSheet]) -> None:
    """Write the sheets as one print-ready workbook, atomically."""
    import openpyxl

    book = openpyxl.Workbook()
    book.remove(book.active)
    for sheet in sheets:
        add_sheet(book, sheet)
    with atomic_path(path) as temp:
        book.save(temp)


__all__ = ["DocSheet", "add_sheet", "column_widths", "text_width", "write_document"]
