"""`matcher validate` on a clerk's workbook: one pass, grouped, Chinese or English, marked."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import openpyxl
import pytest

import matcher_cli
from tests.matcher.model.clerk_workbook import write_workbook


def run(capsys: pytest.CaptureFixture[str], *argv: str | Path) -> tuple[int, str]:
    code = matcher_cli.main([str(a) for a in argv])
    return code, capsys.readouterr().out


def hazards(tmp_path: Path) -> Path:
    """The clerk's workbook with the three silent hazards of issue 9 and a few typos: no 坐标系
    on the cadres sheet (communities say GCJ-02), Excel-mangled ids, a community name used
    twice, a misspelt rank on three rows, 卫生建康 for 卫生健康 (a warning: a word of the
    round), a letter O in a district code."""
    path = write_workbook(tmp_path / "名单.xlsx")
    book = openpyxl.load_workbook(path)
    cadres = book["选派干部名单"]
    cadres.delete_cols(15)  # 坐标系
    cadres["B4"], cadres["B5"] = "2.10702E+11", "210702000001.0"
    for cell in ("J6", "J7", "J8"):
        cadres[cell] = "二级巡查员"
    cadres["K4"], cadres["I5"] = "卫生建康", "２１０7O2"
    book["社区名单"]["C6"], book["社区名单"]["D6"] = "北街社区", "凌河区"
    book.save(path)
    return path


def test_clean_workbook_validates_with_warnings_only(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """The clerk's workbook as it is exits 0; warnings are listed in Chinese (its headers)."""
    path = write_workbook(tmp_path / "名单.xlsx")
    code, out = run(capsys, "validate", "--no-districts", path)
    assert code == 0
    assert "10 条提示（不影响读取）：" in out and "可以使用" in out
    assert f"  - {path}[选派干部名单]：跳过 3 行（只有序号的空行）：第 10–12 行" in out


def test_every_hazard_in_one_pass_grouped(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """All problems of every layer come in one run, the same rank mistake as one line."""
    path = hazards(tmp_path)
    code, out = run(capsys, "validate", "--no-districts", "--lang", "en", path)
    cad = f"{path}[选派干部名单]"
    assert code == 2 and "10 problem(s) in the input:" in out
    expected = [
        f"{cad}, row 4, field 'location.crs': {path}[社区名单] declares the coordinate system "
        f"gcj02 but 6 point(s) in {cad} declare none: add a 坐标系/crs column there, or set it "
        "once for the round (rules: 轮次/round, default_crs)",
        f"{cad}, row 4, column '干部编号', field 'id' [2.10702E+11]: id '2.10702E+11' was "
        "turned into scientific notation by Excel and its digits are lost: format the column "
        "as text and re-enter the ids",
        f"{cad}, row 4, column '志愿社区', field 'preferences[0]' [北街社区]: '北街社区' is not "
        "unique: 2 社区/communities have this name (GT01 (古塔区); LH01 (凌河区)); use the id",
        f"{cad}, row 5, column '干部编号', field 'id' [210702000001.0]: id '210702000001.0' "
        "carries a trailing '.0' (Excel took it for a number): format the column as text and "
        "re-enter it as '210702000001'",
        f"{cad}, row 5, column '区划代码', field 'home_district' [210702000001.0]: district "
        "code '2107O2' must be six plain digits (0-9), e.g. 210702",
        f"{cad}, column '职务职级', 3 rows (6–8): rank '二级巡查员' unknown; write 科员, 副科, "
        "正科, 副县, 正县, a title since the 2019 regulation (四级调研员, 二级主任科员), a post "
        "(副科长) or a management grade (管理八级); did you mean '二级巡视员'?",
        f"{path}[规则], row 4 (rules.locks[0].community) [北街社区]: '北街社区' is not unique: "
        "2 社区/communities have this name (GT01 (古塔区); LH01 (凌河区)); use the id",
    ]
    for line in expected:
        assert f"  - {line}\n" in out
    assert "skill '卫生建康' is not in the vocabulary; did you mean '卫生健康'?" in out


def test_hazards_in_chinese_by_default(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """Without --lang the messages follow the Chinese headers."""
    path = hazards(tmp_path)
    code, out = run(capsys, "validate", "--no-districts", path)
    assert code == 2 and "输入中有 10 个问题：" in out
    assert (
        f"  - {path}[选派干部名单]，'职务职级' 列，3 行（第 6–8 行）：职级“二级巡查员”无法识别；"
    ) in out
    assert "技能“卫生建康”不在词表中，是否为“卫生健康”？已作为本轮新词加入词表" in out


def test_mark_writes_the_clerks_workbook_back(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """--mark copies the workbook with problem cells filled and commented, plus 问题清单."""
    path = hazards(tmp_path)
    marked = tmp_path / "标注.xlsx"
    code, out = run(capsys, "validate", "--no-districts", "--mark", marked, path)
    assert code == 2 and f"已标注 13 个单元格：{marked}" in out
    book = openpyxl.load_workbook(marked)
    assert book.sheetnames == ["问题清单", "社区名单", "选派干部名单", "规则"]
    cell = book["选派干部名单"]["J7"]
    assert cell.fill.start_color.rgb.endswith("FFC7CE")
    assert cell.comment.text.startswith("职级“二级巡查员”无法识别")
    assert book["选派干部名单"]["A3"].fill.start_color.rgb.endswith("FFEB9C")  # a warning
    rows = list(book["问题清单"].iter_rows(values_only=True))
    assert rows[0] == ("级别", "工作表", "行", "列", "编号", "问题")
    assert len(rows) == 1 + 11 + 11  # errors, warnings (private columns named too)
    assert book["社区名单"]["A1"].value == "锦州市社区名单（2024年）"  # the copy keeps the title


def test_json_lists_problems_and_warnings(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """--json carries severity and both languages of each message."""
    path = write_workbook(tmp_path / "名单.xlsx")
    code, out = run(capsys, "validate", "--no-districts", "--json", path)
    payload = json.loads(out)
    assert code == 0 and payload["valid"] is True and payload["problems"] == []
    first = payload["warnings"][0]
    assert first["severity"] == "warning"
    assert first["message_zh"] == "跳过 3 行（只有序号的空行）：第 7–9 行"
    assert first["message"] == "skipped 3 row(s) (numbered but empty): rows 7–9"


def test_points_outside_their_district_are_warned(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A community whose point lies in another district is named by row (bundled borders)."""
    path = write_workbook(tmp_path / "名单.xlsx")
    book = openpyxl.load_workbook(path)
    book["社区名单"]["E5"] = "210711"  # 南街社区 in 太和区? its point is in 古塔区
    book.save(path)
    code, out = run(capsys, "validate", "--lang", "en", path)
    assert code == 0
    assert f"  - {path}[社区名单], row 5, field 'district' [GT02]: point (" in out
    assert "lies in 古塔区 (210702), not in the stated 太和区 (210711)" in out


def test_post_types_on_the_command_line_as_clerks_write_them() -> None:
    """--post takes 脱产/兼职 and full-width slot numbers; an unknown type is refused."""
    from matcher_cli.arguments import post_ref

    assert post_ref("GT01/脱产") == ("GT01", "full-time", 1)
    assert post_ref("GT01/兼职/２") == ("GT01", "part-time", 2)
    assert post_ref("GT01/part-time/2") == ("GT01", "part-time", 2)
    with pytest.raises(argparse.ArgumentTypeError):
        post_ref("GT01/挂职")
