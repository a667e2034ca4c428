"""A unit's own list of nominees: read like the round import (title rows, the clerk's headers,
birth dates as written, XLSX or CSV), matched to the pool by id, citizen id or name + birth
year; every bad row reported, nothing taken unless every row is good."""

from __future__ import annotations

import io

import openpyxl
import pytest

from matcher import validate_round
from matcher.model.io.nomination_sheet import match_nominations, read_nomination_sheet
from matcher.model.problems import InvalidInput
from matcher.model.round import Cadre
from tests.matcher.engine_fixtures import load_raw

ID_NUMBER = "21070219800101003X"  # a valid check character (GB 11643)


def _pool() -> list[Cadre]:
    raw = load_raw("tiny.json")
    for i, cad in enumerate(raw["cadres"]):
        cad["birth_year"] = 1980 + i
    raw["cadres"][0]["id_number"] = ID_NUMBER
    return validate_round(raw).cadres


def _xlsx(rows: list[list[object]]) -> bytes:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.mark.parametrize("how", ["id", "id_number", "name_birth", "name_birth_unit"])
def test_a_person_is_found_by_any_identity_the_clerk_wrote(how: str) -> None:
    """A title row above the header, then one row naming 王一 (C01) each way; XLSX and CSV."""
    header, cells = {
        "id": (["人员编号", "推荐理由"], ["C01", "党建"]),
        "id_number": (["身份证号", "推荐理由"], [ID_NUMBER.lower(), "党建"]),
        "name_birth": (["姓名", "出生年月", "推荐理由"], ["王一", "1980.05", "党建"]),
        "name_birth_unit": (
            ["姓名", "工作单位", "出生日期", "理由"],
            ["王一", "市委组织部", "1980-05-01", "党建"],
        ),
    }[how]
    rows: list[list[object]] = [["市委组织部推荐人选名单"], ["序号", *header], [1, *cells]]
    for name, data in (
        ("名单.xlsx", _xlsx(rows)),
        ("名单.csv", "\n".join(",".join(map(str, r)) for r in rows).encode("gb18030")),
    ):
        table = read_nomination_sheet(name, data)
        assert match_nominations(table, _pool(), "市委组织部") == [("C01", "党建")], (how, name)


def test_every_bad_row_is_reported_and_nothing_is_taken() -> None:
    """Nobody, another unit's person, a repeat and a row naming no one: four problems, by row,
    in Chinese and English; the good row is not taken alone."""
    text = (
        "姓名,出生年份,推荐理由\n"
        "王一,1980,好\n"  # row 2: good
        "王壹,1980,\n"  # row 3: nobody
        "李二,1981,\n"  # row 4: 市财政局, not this unit
        "王一,1980,\n"  # row 5: twice
        ",,只有理由\n"  # row 6: names no one
    )
    with pytest.raises(InvalidInput) as err:
        match_nominations(read_nomination_sheet("名单.csv", text.encode()), _pool(), "市委组织部")
    got = {p.where: p.zh for p in err.value.problems}
    assert set(got) == {"row 3", "row 4", "row 5", "row 6"}
    assert "查无此人" in got["row 3"] and "只能推荐本单位干部" in got["row 4"]
    assert "第2行重复" in got["row 5"] and "无法确定是谁" in got["row 6"]


def test_an_administrator_may_name_anyone_and_an_empty_sheet_is_refused() -> None:
    """Without a unit (admin) any person of the pool is taken; a header alone is refused."""
    table = read_nomination_sheet("名单.csv", "干部编号\nC02\nC06\n".encode())
    assert [cid for cid, _ in match_nominations(table, _pool(), None)] == ["C02", "C06"]
    with pytest.raises(InvalidInput):
        match_nominations(
            read_nomination_sheet("名单.csv", b"\xe5\xa7\x93\xe5\x90\x8d\n"), _pool(), None
        )
