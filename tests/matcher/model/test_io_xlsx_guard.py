"""The XLSX guard: every crafted workbook is refused before a reader opens it, in bounded
work; real workbooks pass; each limit binds exactly at its bound."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from benchmarks import upload_bombs as bombs
from matcher.model.io import read_round
from matcher.model.io.xlsx_guard import WorkbookTooLarge, XlsxLimits, check_workbook
from matcher.model.problems import InvalidInput


def _file(tmp_path: Path, made: tuple[str, bytes]) -> Path:
    path = tmp_path / made[0]
    path.write_bytes(made[1])
    return path


def _sheet_with_rows(rows: int, prefix: str = "") -> bytes:
    """The tiny workbook whose cadre sheet holds ``rows`` rows (tags with ``prefix``)."""
    p = f"{prefix}:" if prefix else ""
    ns = f' xmlns:{prefix}="x"' if prefix else ' xmlns="x"'
    row = f'<{p}row><{p}c t="inlineStr"><{p}is><{p}t>x</{p}t></{p}is></{p}c></{p}row>'.encode()

    def sheet(_: zipfile.ZipFile) -> object:
        yield f"<{p}worksheet{ns}><{p}sheetData>".encode()
        yield row * rows
        yield f"</{p}sheetData></{p}worksheet>".encode()

    return bombs._replace({bombs.CADRES_SHEET: sheet})  # type: ignore[dict-item]


def test_a_real_round_workbook_passes(tmp_path: Path) -> None:
    """The writer's own workbook passes the guard and reads as the tiny round."""
    path = _file(tmp_path, ("tiny.xlsx", bombs.tiny_workbook()))
    check_workbook(path)
    assert len(read_round(path).cadres) == 6


@pytest.mark.parametrize(
    "make",
    [bombs.many_identical_rows, bombs.wide_dimension, bombs.far_cell, bombs.many_varied_rows],
    ids=lambda f: f.__name__,
)
def test_size_bombs_are_refused_as_too_large(tmp_path: Path, make: object) -> None:
    """Rows, declared dimensions and far cells past the limits raise WorkbookTooLarge,
    naming the sheet part."""
    path = _file(tmp_path, make())  # type: ignore[operator]
    with pytest.raises(WorkbookTooLarge) as err:
        read_round(path)
    assert err.value.problems[0].where == "xl/worksheets/sheet2.xml"


@pytest.mark.parametrize(
    ("make", "words"),
    [
        (bombs.billion_laughs, "DTD"),
        (bombs.bad_cell_reference, "damaged sheet"),
        (bombs.truncated_sheet, "damaged sheet"),
        (bombs.not_a_zip, "not an XLSX workbook"),
    ],
    ids=["laughs", "bad-ref", "truncated", "not-zip"],
)
def test_broken_workbooks_are_input_problems(tmp_path: Path, make: object, words: str) -> None:
    """Entity declarations, bad cell references, truncated XML and non-zips are problems
    with a message, never an exception from the reader."""
    path = _file(tmp_path, make())  # type: ignore[operator]
    with pytest.raises(InvalidInput) as err:
        read_round(path)
    assert not isinstance(err.value, WorkbookTooLarge)
    assert words in str(err.value)


@pytest.mark.parametrize("prefix", ["", "x"])
def test_row_limit_binds_exactly_across_chunks(tmp_path: Path, prefix: str) -> None:
    """A sheet of exactly max_rows rows (spread over several 1 MB chunks, tags with or
    without a namespace prefix) passes; one row more is refused."""
    rows = 40_000  # ~2.5 MB of XML: the count crosses chunk boundaries
    path = tmp_path / "rows.xlsx"
    path.write_bytes(_sheet_with_rows(rows, prefix))
    check_workbook(path, XlsxLimits(max_rows=rows + 1))  # + the <rowBreaks>-free footer
    with pytest.raises(WorkbookTooLarge):
        check_workbook(path, XlsxLimits(max_rows=rows - 1))


def test_column_limit_binds_at_its_bound(tmp_path: Path) -> None:
    """The tiny workbook passes a 30-column limit; a cell moved to column AF (32) passes a
    32-column limit and fails a 31-column one."""
    path = _file(tmp_path, ("tiny.xlsx", bombs.tiny_workbook()))
    check_workbook(path, XlsxLimits(max_columns=30))
    edited = bombs._edit(bombs.CADRES_SHEET, lambda x: x.replace(b'r="B2"', b'r="AF2"', 1))
    path.write_bytes(edited)
    check_workbook(path, XlsxLimits(max_columns=32))
    with pytest.raises(WorkbookTooLarge):
        check_workbook(path, XlsxLimits(max_columns=31))


def test_sheet_count_limit(tmp_path: Path) -> None:
    """Three sheets pass a limit of three and fail a limit of two."""
    path = _file(tmp_path, ("tiny.xlsx", bombs.tiny_workbook()))
    check_workbook(path, XlsxLimits(max_sheets=3))
    with pytest.raises(WorkbookTooLarge):
        check_workbook(path, XlsxLimits(max_sheets=2))


def test_declared_unpacked_size_is_checked_before_reading(tmp_path: Path) -> None:
    """A zip whose parts declare more bytes than allowed is refused from its directory."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as book:
        book.writestr("xl/worksheets/sheet1.xml", b" " * 2_000_000)
    path = tmp_path / "big.xlsx"
    path.write_bytes(buf.getvalue())
    check_workbook(path, XlsxLimits(max_part_bytes=2_000_000))
    with pytest.raises(WorkbookTooLarge, match="unpacks to"):
        check_workbook(path, XlsxLimits(max_part_bytes=1_999_999))


def test_sparse_far_cells_are_bounded_by_the_area_a_reader_fills(tmp_path: Path) -> None:
    """Two cells, A1 and GR99000, make a reader fill 99,000 × 200 cells: refused although
    there are only two rows; A1 and Z99000 (26 columns) stay within the bound."""

    def sheet_with(far: bytes) -> bytes:
        xml = (
            b'<worksheet xmlns="x"><sheetData><row r="1"><c r="A1"><v>1</v></c></row>'
            b'<row r="99000"><c r="' + far + b'"><v>1</v></c></row></sheetData></worksheet>'
        )
        return bombs._replace({bombs.CADRES_SHEET: lambda _: iter([xml])})

    path = tmp_path / "sparse.xlsx"
    path.write_bytes(sheet_with(b"Z99000"))
    check_workbook(path)
    path.write_bytes(sheet_with(b"GR99000"))
    with pytest.raises(WorkbookTooLarge, match="99000 rows × 200 columns"):
        check_workbook(path)
