"""Columns read by meaning: generated clerk workbooks with new words each seed map every column
to its role; contents decide where words do not; unsure columns become questions."""

from __future__ import annotations

import csv
from pathlib import Path

import openpyxl
import pytest

from matcher.model.io import read_round_report
from matcher.model.io.header_words import norm
from matcher.model.io.mapping import propose
from matcher.model.problems import InvalidInput
from tests.matcher.model.io.clerk_variants import make

SEEDS = range(12)


def _role_of(report_mappings: list, table: str, header: str) -> str | None:
    sm = next(s for s in report_mappings if s.table == table)
    col = next(c for c in sm.columns if norm(c.header) == norm(header))
    return col.field or col.role


@pytest.mark.parametrize("seed", SEEDS)
def test_generated_workbook_maps_every_column(seed: int, tmp_path: Path) -> None:
    """Whatever words, order and layout the seed drew, every column gets its field and the
    round reads with warnings only."""
    v = make(seed, tmp_path)
    report = read_round_report(v.path)
    for table, expected in v.roles.items():
        for header, field in expected.items():
            got = _role_of(report.mappings, table, header)
            assert got in ({field, "ignored"} if field == "sequence" else {field}), (header, got)
    assert all(p.severity == "warning" for p in report.warnings)
    assert len(report.round.cadres) == len(v.cadres)
    coms = report.round.communities  # the clerk's post counts and needed skills are read
    assert [c.posts.full_time for c in coms] == [1] * len(coms)
    assert sum(c.posts.part_time for c in coms) == v.part_time_posts
    assert all(len(c.required_skills.full_time) == 2 for c in coms)


@pytest.mark.parametrize("seed", SEEDS)
def test_private_columns_are_private_and_units_split(seed: int, tmp_path: Path) -> None:
    """身份证号 lands in id_number, phones in private, neither in extra; a unit+post cell gives
    the unit and the title as written."""
    v = make(seed, tmp_path)
    rnd = read_round_report(v.path).round
    for cad, src in zip(rnd.cadres, v.cadres, strict=True):
        assert cad.id_number == src["id_number"]
        assert list(cad.private.values()) == [src["phone"]]
        assert src["id_number"] not in str(cad.extra) and src["phone"] not in str(cad.extra)
        assert cad.unit == src["unit"] and cad.rank_title == src["rank"]


def test_ids_made_from_id_numbers_are_stable(tmp_path: Path) -> None:
    """Without an id column, ids come from 身份证号 (never showing it) and survive reordering."""
    v = make(3, tmp_path)
    first = read_round_report(v.path)
    assert any(
        "本表没有编号列" in p.message or "本表没有编号列" in (p.zh or "") for p in first.warnings
    )
    ids = {c.id_number: c.id for c in first.round.cadres}
    assert all(n not in i for n, i in ids.items())
    book = openpyxl.load_workbook(v.path)
    ws = book["选派干部名单"]
    rows = [[c.value for c in r] for r in ws.iter_rows()]
    head = 3 if ws["A2"].value and not ws["A3"].value else 2
    body = rows[head : head + len(v.cadres)]
    for r, values in enumerate(reversed(body), start=head + 1):
        for c, value in enumerate(values, start=1):
            ws.cell(row=r, column=c).value = value
    book.save(tmp_path / "reordered.xlsx")
    again = read_round_report(tmp_path / "reordered.xlsx").round
    assert {c.id_number: c.id for c in again.cadres} == ids


def _csv(folder: Path, name: str, rows: list[list[str]]) -> None:
    folder.mkdir(exist_ok=True)
    with (folder / name).open("w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows(rows)


def _communities(folder: Path) -> None:
    _csv(
        folder,
        "社区.csv",
        [
            ["社区编号", "名称", "区县", "区县代码", "经度", "纬度"],
            ["A1", "东街社区", "古塔区", "210702", "121.13", "41.13"],
        ],
    )


def test_contents_decide_when_the_header_says_nothing(tmp_path: Path) -> None:
    """Columns headed 甲/乙/位置 are read as longitude, latitude and a lon,lat pair by their
    cells, and the warning says so; a required field never becomes 缺少必填列."""
    _communities(tmp_path)
    _csv(
        tmp_path,
        "干部.csv",
        [
            ["干部编号", "姓名", "派出单位", "层级", "区划", "职级", "位置"],
            ["K1", "王一", "市委组织部", "市直", "210702", "副科", "121.13,41.13"],
            ["K2", "李二", "市财政局", "市直", "210702", "正科", "121.14,41.12"],
        ],
    )
    report = read_round_report(tmp_path)
    cad = report.round.cadres[1]
    assert (cad.location.lon, cad.location.lat, cad.home_district) == (121.14, 41.12, "210702")
    notes = " ".join(p.zh or p.message for p in report.warnings)
    assert "“位置”→坐标" in notes and "“区划”→" in notes


def test_swapped_columns_and_swapped_rows(tmp_path: Path) -> None:
    """经度 holding latitudes is read as latitude (reported); one row with lon and lat swapped
    is an error naming that row."""
    _communities(tmp_path)
    _csv(
        tmp_path,
        "干部.csv",
        [
            ["干部编号", "姓名", "派出单位", "层级", "所在区县代码", "职级", "经度", "纬度"],
            ["K1", "王一", "市委组织部", "市直", "210702", "副科", "121.13", "41.13"],
            ["K2", "李二", "市财政局", "市直", "210702", "正科", "41.12", "121.14"],
        ],
    )
    with pytest.raises(InvalidInput) as info:
        read_round_report(tmp_path)
    errors = [p.render("zh") for p in info.value.problems]
    assert len(errors) == 1 and "第 3 行" in errors[0] and "填反" in errors[0]


def test_unsure_column_is_a_question_naming_candidates(tmp_path: Path) -> None:
    """A header that only hints (出生) with years in it is used as the birth year but asked,
    naming the column; a sure column is not asked."""
    sm = propose("cadres", "s", ["姓名", "出生"], [["王一", "李二"], ["1985", "1990"]])
    assert sm.columns[1].field == "birth_year" and sm.columns[1].unsure
    assert not sm.columns[0].unsure
    _communities(tmp_path)
    _csv(
        tmp_path,
        "干部.csv",
        [
            [
                "干部编号",
                "姓名",
                "派出单位",
                "层级",
                "所在区县代码",
                "职级",
                "经度",
                "纬度",
                "出生",
            ],
            ["K1", "王一", "市委组织部", "市直", "210702", "副科", "121.13", "41.13", "1985"],
        ],
    )
    report = read_round_report(tmp_path)
    assert report.round.cadres[0].birth_year == 1985
    asked = [p.zh for p in report.warnings if p.zh and "没有把握" in p.zh]
    assert len(asked) == 1 and "“出生”（现按出生年份" in asked[0]


def test_a_repeated_header_is_an_error(tmp_path: Path) -> None:
    """The same field written twice (经度 and lon) is refused, naming both."""
    _communities(tmp_path)
    _csv(
        tmp_path,
        "干部.csv",
        [
            ["干部编号", "姓名", "派出单位", "层级", "所在区县代码", "职级", "经度", "纬度", "lon"],
            ["K1", "王一", "市委组织部", "市直", "210702", "副科", "121.13", "41.13", "121.13"],
        ],
    )
    with pytest.raises(InvalidInput) as info:
        read_round_report(tmp_path)
    assert [p.message for p in info.value.problems] == ["column repeats '经度' (both mean lon)"]


def test_own_columns_are_kept_not_taken_by_content(tmp_path: Path) -> None:
    """邮编 (6 digits like a district code) stays the clerk's own column."""
    sm = propose("communities", "s", ["名称", "邮编"], [["东街社区"], ["121000"]])
    assert sm.columns[1].role == "kept"


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_a_planted_swapped_point_is_the_only_error(seed: int, tmp_path: Path) -> None:
    """One cadre's lon/lat planted swapped (in one cell or two columns, any layout): validate
    names that row and nothing else as an error."""
    v = make(seed, tmp_path, swap=5)
    with pytest.raises(InvalidInput) as info:
        read_round_report(v.path)
    errors = info.value.problems
    assert len(errors) == 1, [p.render("zh") for p in errors]
    assert errors[0].where.startswith(f"row {v.first_row + 5}") and "填反" in (errors[0].zh or "")


def test_problems_never_name_a_row_by_its_id_number(tmp_path: Path) -> None:
    """A bad cell in a sheet whose first column is 身份证号 is named by row, not by the number."""
    _communities(tmp_path)
    number = make(0, tmp_path).id_numbers[0]
    _csv(
        tmp_path,
        "干部.csv",
        [
            [
                "身份证号",
                "姓名",
                "派出单位",
                "层级",
                "所在区县代码",
                "职级",
                "经度",
                "纬度",
                "出生年月",
            ],
            [number, "王一", "市委组织部", "市直", "210702", "副科", "121.13", "41.13", "去年"],
        ],
    )
    with pytest.raises(InvalidInput) as info:
        read_round_report(tmp_path)
    shown = " ".join(p.render("zh") + str(p.to_dict()) for p in info.value.problems)
    assert "第 2 行" in shown and number not in shown


def test_swapped_columns_are_read_by_range_and_reported(tmp_path: Path) -> None:
    """经度 holding latitudes and 纬度 holding longitudes: read the right way round, and the
    warning names both columns."""
    _communities(tmp_path)
    rows = [["干部编号", "姓名", "派出单位", "层级", "区县代码", "职级", "经度", "纬度"]]
    for i in range(3):
        rows.append(
            [f"K{i}", "王一", "市委组织部", "市直", "210702", "副科", f"41.1{i}", f"121.1{i}"]
        )
    _csv(tmp_path, "干部.csv", rows)
    report = read_round_report(tmp_path)
    loc = report.round.cadres[2].location
    assert (loc.lon, loc.lat) == (121.12, 41.12)
    notes = " ".join(p.zh or "" for p in report.warnings)
    assert "“经度”→纬度" in notes and "“纬度”→经度" in notes
