"""A vetting department's own sheet: rows matched to nominees by id or by name + unit + birth
year; every mismatch reported by row, nothing applied unless every row is good."""

from __future__ import annotations

from pathlib import Path

import pytest

from matcher import validate_round
from matcher.model.io.clearance_sheet import match_sheet, read_sheet
from matcher.model.io.rows import Table
from matcher.model.problems import InvalidInput
from matcher.model.round import Cadre
from tests.matcher.engine_fixtures import load_raw

SHEETS = Path(__file__).parents[2] / "data" / "vetting"


def _nominees() -> list[Cadre]:
    raw = load_raw("tiny.json")
    for i, cad in enumerate(raw["cadres"]):
        cad["birth_year"] = 1980 + i
    return validate_round(raw).cadres


def _read(name: str) -> Table:
    return read_sheet(name, (SHEETS / name).read_bytes())


def test_rows_match_by_id_or_by_name_unit_and_birth_year() -> None:
    """All six rows find their nominee; 钱五 (C05) is refused with the department's note."""
    got = dict(match_sheet(_read("petitions.csv"), "信访", _nominees()))
    assert sorted(got) == ["C01", "C02", "C03", "C04", "C05", "C06"]
    assert got["C05"].status == "refused" and got["C05"].note == "有越级上访未了结"
    assert got["C05"].department == "petitions" and str(got["C01"].date) == "2024-05-06"
    assert got["C06"].status == "pending"


def test_a_row_naming_nobody_is_reported_by_row() -> None:
    """李二 with birth year 1979 names no nominee: the problem names row 3 and the person."""
    with pytest.raises(InvalidInput) as err:
        match_sheet(_read("petitions_mismatch.csv"), "信访", _nominees())
    (problem,) = err.value.problems
    assert problem.where == "row 3" and "李二 / 市财政局 / 1979 names no nominee" in problem.message


def test_the_same_person_twice_with_different_answers_conflicts() -> None:
    """C01 cleared in row 2 and refused in row 3: conflicting clearances, row 3 named."""
    text = "干部编号,审查结果\nC01,通过\nC01,不通过\n"
    with pytest.raises(InvalidInput) as err:
        match_sheet(read_sheet("x.csv", text.encode()), "纪检监察", _nominees())
    assert "conflicting clearances: row 2 says cleared" in str(err.value)
    assert err.value.problems[0].where == "row 3"


def test_a_crafted_department_sheet_is_refused_before_it_is_parsed() -> None:
    """A department's 'sheet' that is a row bomb or carries a DTD never reaches openpyxl."""
    from benchmarks import upload_bombs as bombs
    from matcher.model.io.xlsx_guard import WorkbookTooLarge

    _, data = bombs.many_identical_rows()
    with pytest.raises(WorkbookTooLarge):
        read_sheet("纪检监察.xlsx", data)
    _, data = bombs.billion_laughs()
    with pytest.raises(InvalidInput) as err:
        read_sheet("信访.xlsx", data)
    assert err.value.problems[0].source == "信访.xlsx"
