"""Result writers (plan JSON, roster CSV/XLSX, summary) and atomic file/folder writes."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import openpyxl
import pytest

from matcher.engine.result import Assignment, Conflict, Result, Status
from matcher.model.io import (
    read_round,
    write_plan_json,
    write_roster_csv,
    write_roster_xlsx,
    write_summary,
)
from matcher.model.io.atomic import atomic_path, staged_dir, write_text
from matcher.model.round import Round

TINY = Path(__file__).parents[2] / "data" / "rounds" / "tiny.json"


def tiny() -> Round:
    return read_round(TINY)


def solved() -> Result:
    """A hand-made plan for tiny.json: every post filled except LH01's, which is vacant."""
    posts = [
        ("GT01", "full-time", "C01", 250, "closest 副科 for a weak community"),
        ("GT01", "part-time", "C02", 1800, "finance for a weak community"),
        ("GT02", "full-time", "C03", 250, "closest"),
        ("GT02", "part-time", "C05", 600, "closest"),
        ("LH01", "full-time", None, None, "no eligible cadre"),
    ]
    return Result(
        status=Status.OPTIMAL,
        objective=1_000_290,
        bound=1_000_290.0,
        gap=0.0,
        terms={"distance": 29, "vacancy": 1_000_000, "skill_fit": -100},
        method="flow",
        time_s=0.0123,
        assignments=tuple(
            Assignment(c, p, 1, who, d, 0 if who else 1_000_000, reason=r, locked=(who == "C01"))
            for c, p, who, d, r in posts
        ),
        unplaced_cadres=("C04", "C06"),
        seed=7,
    )


def infeasible() -> Result:
    conflict = Conflict(
        rules=("coverage", "rank_floors[0]"),
        message="weak communities need 2 cadres of 副科 or above; 1 is eligible",
        needed=2,
        available=1,
        communities=("GT01",),
        relaxation="lower the rank floor to 科员 or allow vacancies",
    )
    return Result(Status.INFEASIBLE, None, None, None, {}, "flow", 0.01, conflicts=(conflict,))


def test_roster_csv_one_row_per_post(tmp_path: Path) -> None:
    """The CSV roster has the approvers' Chinese header, one row per post (vacancies too) and
    the ids and post number (from 1) at the end for machines."""
    write_roster_csv(tiny(), solved(), tmp_path / "roster.csv")
    text = (tmp_path / "roster.csv").read_bytes().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:6] == ["序号", "区(县)", "街道", "社区", "岗位", "姓名"]
    assert rows[0][-3:] == ["社区编号", "岗位序号", "干部编号"]
    assert len(rows) == 6
    first = dict(zip(rows[0], rows[1], strict=True))
    assert first["干部编号"] == "C01" and first["姓名"] == "王一" and first["职务职级"] == "副科"
    assert first["距离(公里)"] == "0.2" and "锁定" in first["备注"] and first["岗位序号"] == "1"
    assert first["岗位"] == "担任第一书记" and first["选派理由"].startswith("就近（0.2公里）")
    vacant = dict(zip(rows[0], rows[5], strict=True))
    assert vacant["姓名"] == "（空缺）" and vacant["干部编号"] == "" and vacant["选派理由"]


def test_roster_csv_english(tmp_path: Path) -> None:
    """With lang='en' the roster uses English headers and values."""
    write_roster_csv(tiny(), solved(), tmp_path / "r.csv", lang="en")
    rows = list(csv.reader(io.StringIO((tmp_path / "r.csv").read_text(encoding="utf-8-sig"))))
    row = dict(zip(rows[0], rows[2], strict=True))
    assert row["Post"] == "Part-time member" and row["Title / rank"] == "section-member"
    assert row["Unit"] == "市财政局" and row["cadre id"] == "C02"


def test_roster_xlsx_sheets(tmp_path: Path) -> None:
    """The workbook has the roster and its companion sheets; conflicts only when infeasible
    (then no rule check, as there is no plan to check)."""
    write_roster_xlsx(tiny(), solved(), tmp_path / "ok.xlsx")
    write_roster_xlsx(tiny(), infeasible(), tmp_path / "bad.xlsx")
    ok = openpyxl.load_workbook(tmp_path / "ok.xlsx")
    assert ok.sheetnames == ["选派名单", "未安排干部", "空缺岗位", "规则核对", "汇总", "技术信息"]
    roster = ok["选派名单"]
    assert roster.max_row == 3 + 5 + 3 and roster["F4"].value == "王一"  # blank, 落款, date
    assert re.fullmatch(r"\d{4}年\d{1,2}月\d{1,2}日", roster.cell(roster.max_row, 1).value)
    assert roster.print_area == "'选派名单'!$A$1:$O$11"  # the 15 printed columns, not the ids
    record = {r[0]: r[1] for r in ok["技术信息"].iter_rows(min_row=2, values_only=True)}
    assert record["求解状态"] == "最优（已证明）"
    summary = {r[0]: r[1] for r in ok["汇总"].iter_rows(min_row=3, values_only=True)}
    assert summary["已选派"] == "4人；空缺岗位1个：河东社区 第一书记"
    assert summary["第一书记来源"] == "市直1名，县区1名，街道0名"
    bad = openpyxl.load_workbook(tmp_path / "bad.xlsx")
    assert bad.sheetnames == ["选派名单", "未安排干部", "空缺岗位", "汇总", "冲突", "技术信息"]
    assert bad["冲突"]["E2"].value == 1  # shortfall


def test_plan_json_is_canonical(tmp_path: Path) -> None:
    """plan.json carries the result without wall-clock time: same plan, same bytes."""
    write_plan_json(tiny(), solved(), tmp_path / "a.json")
    other = solved()
    object.__setattr__(other, "time_s", 99.0)
    write_plan_json(tiny(), other, tmp_path / "b.json")
    assert (tmp_path / "a.json").read_bytes() == (tmp_path / "b.json").read_bytes()
    plan = json.loads((tmp_path / "a.json").read_text(encoding="utf-8"))
    assert plan["round"]["communities"] == 3
    assert plan["result"]["assignments"][4]["cadre"] is None


def test_summary_has_figures_and_no_names(tmp_path: Path) -> None:
    """The Markdown summary gives the plan in words, counts and conflicts, naming only vacant
    posts and cadres without a post;
    English with lang='en'."""
    write_summary(tiny(), solved(), tmp_path / "s.md")
    write_summary(tiny(), infeasible(), tmp_path / "x.md", lang="en")
    text = (tmp_path / "s.md").read_text(encoding="utf-8")
    assert "| 求解状态 | 最优（已证明） |" in text
    assert "| 已选派 | 4人；空缺岗位1个：河东社区 第一书记 |" in text
    assert "河东社区 第一书记：" in text
    left = set(solved().unplaced_cadres)  # named as people without a post; the placed never
    assert not any(c.name in text for c in tiny().cadres if c.id not in left)
    assert all(c.name in text for c in tiny().cadres if c.id in left)
    bad = (tmp_path / "x.md").read_text(encoding="utf-8")
    assert "short by 1" in bad and "to fix: lower the rank floor" in bad


def test_failed_write_leaves_old_file(tmp_path: Path) -> None:
    """A write that fails after writing half its bytes leaves the old file and no temp file."""
    path = tmp_path / "roster.csv"
    path.write_text("old", encoding="utf-8")
    with pytest.raises(RuntimeError), atomic_path(path) as temp:
        temp.write_text("half a ros", encoding="utf-8")
        raise RuntimeError("disk full")
    assert path.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["roster.csv"]


def test_staged_dir_all_or_nothing(tmp_path: Path) -> None:
    """A folder of outputs replaces the old one only when complete; a failure keeps the old."""
    out = tmp_path / "out"
    with staged_dir(out) as temp:
        write_text(temp / "a.txt", "1")
    assert (out / "a.txt").read_text(encoding="utf-8") == "1"
    with pytest.raises(RuntimeError), staged_dir(out) as temp:
        write_text(temp / "a.txt", "2")
        raise RuntimeError("solver crashed")
    assert (out / "a.txt").read_text(encoding="utf-8") == "1"
    with staged_dir(out, replaceable={"a.txt"}) as temp:
        write_text(temp / "b.txt", "3")
    assert sorted(p.name for p in out.iterdir()) == ["b.txt"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_staged_dir_refuses_foreign_folder(tmp_path: Path) -> None:
    """A folder holding files the writer does not own is never replaced."""
    out = tmp_path / "out"
    out.mkdir()
    (out / "thesis.docx").write_text("precious", encoding="utf-8")
    with pytest.raises(FileExistsError, match=r"thesis\.docx"), staged_dir(out, replaceable={"a"}):
        pass
    assert (out / "thesis.docx").exists()
