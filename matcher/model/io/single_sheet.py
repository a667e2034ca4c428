"""A list sent as one file — the first sheet of an XLSX workbook, or a CSV file (UTF-8 or
GB18030) — as normalised cell text, for the readers that find their header in it (a unit's
nominations, a vetting department's answers). The workbook is checked for bombs and DTDs
before openpyxl opens it; a file that is neither is one input problem."""

from __future__ import annotations

import csv
import io
import zipfile
from typing import Any

from matcher.model.io.cells import sheet_text
from matcher.model.io.tables import decode_csv
from matcher.model.io.xlsx_guard import check_workbook
from matcher.model.problems import InputProblem, InvalidInput


def single_sheet_text(filename: str, data: bytes) -> list[list[str]]:
    """Every row of the file's first sheet as :func:`~matcher.model.io.cells.sheet_text`."""
    records: list[list[Any]]
    if filename.lower().endswith(".xlsx"):
        import openpyxl  # local: only XLSX users pay for the import

        check_workbook(io.BytesIO(data), source=filename)  # bombs and DTDs before openpyxl
        try:
            book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except (OSError, zipfile.BadZipFile, KeyError, ValueError):
            raise InvalidInput(
                [InputProblem(filename, "", "not an XLSX workbook", zh="不是 Excel 工作簿")]
            ) from None
        try:
            records = [list(row) for row in book.worksheets[0].iter_rows(values_only=True)]
        finally:
            book.close()
    else:
        try:
            text = decode_csv(data, filename)
        except Exception as exc:
            problem = getattr(exc, "problem", InputProblem(filename, "", "cannot decode"))
            raise InvalidInput([problem]) from None
        try:  # newline="": a bare CR inside a cell is the csv module's to read, not a line end
            records = list(csv.reader(io.StringIO(text, newline="")))
        except csv.Error as exc:
            raise InvalidInput(
                [InputProblem(filename, "", f"not a readable CSV: {exc}", zh="CSV 文件无法读取")]
            ) from None
    return sheet_text(records)
