"""A vetting department's sheet read like a round's: title and footer rows skipped, 出生年月
1974.12, 出生年份 不详 as empty, and problems in Chinese."""

from __future__ import annotations

import io

import openpyxl
import pytest

from matcher import validate_round
from matcher.model.io.clearance_sheet import match_sheet, read_sheet
from matcher.model.problems import InvalidInput
from matcher.model.round import Cadre
from tests.matcher.engine_fixtures import load_raw


def _nominees() -> list[Cadre]:
    raw = load_raw("tiny.json")
    for i, cad in enumerate(raw["cadres"]):
        cad["birth_year"], cad["birth_month"] = 1974 + i, 12
    return validate_round(raw).cadres


def _sheet(rows: list[list[object]]) -> bytes:
    book = openpyxl.Workbook()
    ws = book.active
    ws.append(["2024年选派干部资格联审意见（信访）"])
    ws.merge_cells("A1:E1")
    ws.append(["填报单位：市信访局", None, None, "2024年5月"])
    ws.append(["姓名", "单位", "出生年月", "审查结果", "说明"])
    for row in rows:
        ws.append(row)
    ws.append([])
    ws.append(["填表人：刘某", None, "审核人：陈某"])
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def test_title_footer_and_birth_months_are_read() -> None:
    """Rows below the title match by name + unit + 1974.12; a year 不详 still matches when name
    and unit name one nominee; the footer is no row."""
    cads = _nominees()
    rows = [
        [cads[0].name, cads[0].unit, "1974.12", "通过", ""],
        [cads[1].name, cads[1].unit, "不详", "待审", "在查"],
    ]
    got = dict(match_sheet(read_sheet("xf.xlsx", _sheet(rows)), "信访", cads))
    assert got[cads[0].id].status == "cleared" and got[cads[1].id].status == "pending"
    assert len(got) == 2


def test_mismatches_are_reported_in_chinese_by_row() -> None:
    """A row naming nobody and a bad answer are both reported, each at its sheet row."""
    cads = _nominees()
    rows = [["无此人", "某单位", "1980.01", "通过", ""], [cads[0].name, cads[0].unit, "", "好", ""]]
    with pytest.raises(InvalidInput) as info:
        match_sheet(read_sheet("xf.xlsx", _sheet(rows)), "信访", cads)
    texts = [p.render("zh") for p in info.value.problems]
    assert len(texts) == 2
    assert "第 4 行" in texts[0] and "推荐人选中查无此人" in texts[0]
    assert "第 5 行" in texts[1] and "审查结果“好”无法识别" in texts[1]
