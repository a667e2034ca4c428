"""A clerk's own workbook and CSV files read as they are: every quirk resolved or reported."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from matcher.model.io import read_round_report
from matcher.model.io.tables import read_workbook
from matcher.model.problems import InputProblem
from matcher.model.ranks import Rank
from matcher.model.round import Round
from tests.matcher.model.clerk_workbook import write_csv_folder, write_workbook


@pytest.fixture(scope="module")
def workbook(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Round, list[InputProblem]]:
    path = write_workbook(tmp_path_factory.mktemp("clerk") / "名单.xlsx")
    report = read_round_report(path)
    assert report.lang == "zh"
    rnd, warnings = report.round, report.warnings
    return path, rnd, warnings


def test_clerk_workbook_reads_with_warnings_only(
    workbook: tuple[Path, Round, list[InputProblem]],
) -> None:
    """Title rows, footer, pre-numbered rows and extra columns are reported as warnings, in
    both languages, and the round reads."""
    path, rnd, warnings = workbook
    cadres = f"{path}[选派干部名单]"
    lines = [p.render("en") for p in warnings if p.source == cadres]
    assert lines == [
        f"{cadres}: skipped 3 row(s) (numbered but empty): rows 10–12",
        f"{cadres}: skipped 1 row(s) (footer: 填表人, 审核人, dates …): rows 14",
        f"{cadres}, row 3: the header is row 3; 2 title or note row(s) above it were not read",
        f"{cadres}, row 3: private columns (used to tell people apart, never printed): “联系电话”",
        f"{cadres}, row 3: columns not used by the round are kept and travel with each record "
        "to the roster: '备注'",
    ]
    assert next(p.render("zh") for p in warnings if p.source == cadres) == (
        f"{cadres}：跳过 3 行（只有序号的空行）：第 10–12 行"
    )
    assert all(p.severity == "warning" for p in warnings)
    assert len(rnd.communities) == 3 and len(rnd.cadres) == 6


def test_ranks_as_written_keep_their_title(
    workbook: tuple[Path, Round, list[InputProblem]],
) -> None:
    """2019 titles, posts and management grades land on the ladder; the title is kept."""
    _, rnd, _ = workbook
    got = {c.id: (c.rank, c.rank_title) for c in rnd.cadres}
    assert got == {
        "C01": (Rank.DEPUTY_COUNTY, "四级调研员"),
        "C02": (Rank.SECTION, "二级主任科员"),
        "C03": (Rank.DEPUTY_SECTION, "管理八级"),
        "C04": (Rank.DEPUTY_SECTION, "副科长"),
        "C05": (Rank.SECTION_MEMBER, None),
        "C06": (Rank.SECTION_MEMBER, "一级科员"),
    }


def test_values_as_clerks_type_them(workbook: tuple[Path, Round, list[InputProblem]]) -> None:
    """Excel dates, 1989.08, 1990年5月, full-width codes, √, 区直, 兼职, 10公里 and names as
    references all read to the round's values."""
    _, rnd, _ = workbook
    birth = {c.id: (c.birth_year, c.birth_month) for c in rnd.cadres}
    assert birth == {
        "C01": (1985, 3),
        "C02": (1989, 8),
        "C03": (1990, 5),
        "C04": (1992, None),
        "C05": (1987, 11),
        "C06": (1991, 1),
    }
    gt01 = rnd.communities[0]
    assert gt01.district.code == "210702" and gt01.weak and not rnd.communities[1].weak
    c02 = rnd.cadres[1]
    assert (c02.level, c02.availability.value, c02.gender) == ("county", "part-time", "女")
    assert rnd.cadres[0].preferences == ["GT01", "GT02"]
    assert rnd.rules.max_distance.km == 10.0
    assert [(lk.cadre, lk.community) for lk in rnd.rules.locks] == [("C01", "GT01")]
    assert rnd.cadres[0].location.crs.value == "gcj02"


def test_unknown_columns_travel_with_each_record(
    workbook: tuple[Path, Round, list[InputProblem]],
) -> None:
    """备注 is kept in extra, only where the row has a value; 联系电话 is private, not extra."""
    _, rnd, _ = workbook
    assert rnd.cadres[0].extra == {}
    assert rnd.cadres[0].private == {"联系电话": "13800000001"}
    assert rnd.cadres[1].extra == {"备注": "借调"}
    assert rnd.communities[1].extra == {"备注": "新建"}
    assert rnd.cadres[0].political_status == "中共党员"


@pytest.mark.parametrize("encoding", ["gb18030", "utf-8-sig"])
def test_chinese_csv_files_read_like_the_workbook(
    tmp_path: Path, workbook: tuple[Path, Round, list[InputProblem]], encoding: str
) -> None:
    """社区.csv, 干部.csv and 规则.csv in GB18030 or UTF-8 with BOM give the same round."""
    _, expected, _ = workbook
    report = read_round_report(write_csv_folder(tmp_path / "round", encoding))
    rnd, warnings = report.round, report.warnings
    assert rnd.model_dump(exclude={"name"}) == expected.model_dump(exclude={"name"})
    assert any("the header is row 2" in p.message for p in warnings)


def test_sheets_recognised_by_headers_whatever_their_names(tmp_path: Path) -> None:
    """Sheets named Sheet1/Sheet2 are found by their headers, each named in a warning; a
    second sheet that looks like the cadres table is left out, with a warning saying so."""
    path = write_workbook(tmp_path / "名单.xlsx")
    book = openpyxl.load_workbook(path)
    book["社区名单"].title = "Sheet1"
    book["选派干部名单"].title = "Sheet2"
    copy = book.copy_worksheet(book["Sheet2"])
    copy.title = "Sheet3"
    copy.delete_rows(5, 10)  # fewer rows, same headers
    book.save(path)
    report = read_round_report(path)
    assert len(report.round.cadres) == 6 and len(report.round.communities) == 3
    notes = [p.message for p in report.warnings if "recognised" in p.message or "also" in p.message]
    assert sorted(notes) == [
        "'Sheet3' also looks like the cadres table; 'Sheet2' is used and this one is not read",
        "sheet 'Sheet1' recognised by its headers as the communities table",
        "sheet 'Sheet2' recognised by its headers as the cadres table",
        "sheet 'Sheet3' recognised by its headers as the cadres table",
    ]


def test_both_readers_give_the_same_tables(tmp_path: Path) -> None:
    """calamine (default) and openpyxl read the clerk's workbook to the same text tables."""
    path = write_workbook(tmp_path / "名单.xlsx")
    fast, fast_notes = read_workbook(path)
    slow, slow_notes = read_workbook(path, engine="openpyxl")
    assert fast == slow and [str(p) for p in fast_notes] == [str(p) for p in slow_notes]
