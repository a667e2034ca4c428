"""The one reader of a list sent as one file (nominations, clearances): CSV and XLSX give the
same normalised cells; a file that is neither is one problem in both languages."""

from __future__ import annotations

import io

import openpyxl
import pytest

from matcher.model.io.single_sheet import single_sheet_text
from matcher.model.problems import InvalidInput

ROWS = [["干部名单", None], ["姓名", "出生年月"], ["张三", "１９７４.１２"]]


def test_csv_and_xlsx_read_alike() -> None:
    """Full-width digits are folded and blanks are empty text, whatever the file kind."""
    book = openpyxl.Workbook()
    for row in ROWS:
        book.active.append(row)
    buf = io.BytesIO()
    book.save(buf)
    csv = "\n".join(",".join(c or "" for c in r) for r in ROWS).encode("gb18030")
    want = [["干部名单", ""], ["姓名", "出生年月"], ["张三", "1974.12"]]
    assert single_sheet_text("a.xlsx", buf.getvalue()) == want
    assert single_sheet_text("a.csv", csv) == want


def test_neither_workbook_nor_text_is_one_problem() -> None:
    """A broken workbook and undecodable bytes each raise one problem naming the file."""
    with pytest.raises(InvalidInput) as info:
        single_sheet_text("jw.xlsx", b"not a zip")
    (p,) = info.value.problems
    assert p.source == "jw.xlsx" and "工作簿" in p.text("zh")
    with pytest.raises(InvalidInput) as info:
        single_sheet_text("jw.csv", bytes(range(128, 256)) * 3)
    assert [p.source for p in info.value.problems] == ["jw.csv"]


def test_a_bare_carriage_return_reads_as_a_line_end_not_a_crash() -> None:
    """Old Mac line ends (CR alone) and a CR in the middle of a row are read, never a crash
    (the fuzzer sent such a body and got a 500)."""
    rows = single_sheet_text("a.csv", "姓名,出生年月\r张三,1974.12\r".encode())
    assert rows == [["姓名", "出生年月"], ["张三", "1974.12"]]
    text = single_sheet_text("b.csv", b"a,b\rc\n")
    assert text[0] == ["a", "b"]


def test_an_unreadable_csv_is_one_problem() -> None:
    """A cell the csv module refuses (over its field size limit) is a problem naming the
    file, in both languages."""
    with pytest.raises(InvalidInput) as err:
        single_sheet_text("c.csv", b'"' + b"x" * 200_000 + b'",c\n')
    problem = err.value.problems[0]
    assert problem.source == "c.csv" and problem.zh
