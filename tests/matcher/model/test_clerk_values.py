"""Values as clerks write them: rank titles, codes, ids, coordinate systems, names, columns."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from matcher.model.io import read_round, read_round_report, write_round_csv
from matcher.model.messages import suggest
from matcher.model.problems import InvalidInput
from matcher.model.ranks import Rank, title_rank
from matcher.model.validate import validate_round, validate_round_report

TINY = Path(__file__).parents[2] / "data" / "rounds" / "tiny.json"


def tiny() -> dict[str, Any]:
    return copy.deepcopy(json.loads(TINY.read_text(encoding="utf-8")))


def messages(raw: dict[str, Any]) -> list[str]:
    with pytest.raises(InvalidInput) as info:
        validate_round(raw)
    return [str(p) for p in info.value.problems]


@pytest.mark.parametrize(
    ("title", "level", "rank"),
    [
        ("一级巡视员", None, Rank.COUNTY),
        ("二级调研员", None, Rank.COUNTY),
        ("三级调研员", None, Rank.DEPUTY_COUNTY),
        ("4级调研员", None, Rank.DEPUTY_COUNTY),
        ("一级主任科员", None, Rank.SECTION),
        ("三级主任科员", None, Rank.DEPUTY_SECTION),
        ("二级科员", None, Rank.SECTION_MEMBER),
        ("主任科员", None, Rank.SECTION),
        ("副主任科员", None, Rank.DEPUTY_SECTION),
        ("处长", None, Rank.COUNTY),
        ("副处长", None, Rank.DEPUTY_COUNTY),
        ("科长", None, Rank.SECTION),
        ("副科长", None, Rank.DEPUTY_SECTION),
        ("镇长", None, Rank.SECTION),
        ("局长", "city", Rank.COUNTY),
        ("局长", "county", Rank.SECTION),
        ("副局长", "county", Rank.DEPUTY_SECTION),
        ("管理五级", None, Rank.COUNTY),
        ("管理六级", None, Rank.DEPUTY_COUNTY),
        ("管理岗7级", None, Rank.SECTION),
        ("八级职员", None, Rank.DEPUTY_SECTION),
        ("管理九级", None, Rank.SECTION_MEMBER),
        ("四级调研员（正处）", None, Rank.DEPUTY_COUNTY),
    ],
)
def test_rank_title_table(title: str, level: str | None, rank: Rank) -> None:
    """Each title lands on the rung the 2019 correspondence (or 2006 grades) gives it."""
    assert title_rank(title, level) == rank


def test_unknown_title_is_refused() -> None:
    """A title not in the table is not a rank (no silent guess)."""
    assert title_rank("二级巡查员") is None and title_rank("干部") is None


def test_round_rank_titles_override_and_title_kept() -> None:
    """A round's own table wins over the built-in one; the title stays on the cadre."""
    raw = tiny()
    raw["cadres"][0]["rank"] = "局长"
    raw["cadres"][1]["rank"] = "站长"
    raw["rank_titles"] = {"局长": "正科", "站长": "副科"}
    rnd = validate_round(raw)
    assert (rnd.cadres[0].rank, rnd.cadres[0].rank_title) == (Rank.SECTION, "局长")
    assert (rnd.cadres[1].rank, rnd.cadres[1].rank_title) == (Rank.DEPUTY_SECTION, "站长")
    without = tiny()
    without["cadres"][0]["rank"] = "局长"  # a city cadre: 县处级 bureau
    assert validate_round(without).cadres[0].rank == Rank.COUNTY
    assert validate_round(tiny()).cadres[0].rank_title is None  # 副科 is a rung, not a title


def test_full_width_district_code_is_normalised_other_digits_refused() -> None:
    """２１０７０２ reads as 210702 (same district, not a second one); Arabic-Indic digits,
    which \\d would have let through, are an error."""
    raw = tiny()
    raw["communities"][0]["district"]["code"] = "２１０７０２"
    raw["cadres"][0]["home_district"] = "２１０７０２"
    rnd = validate_round(raw)
    assert rnd.communities[0].district.code == rnd.communities[1].district.code == "210702"
    raw["cadres"][0]["home_district"] = "٢١٠٧٠٢"
    assert messages(raw) == [
        "round, cadres[0].home_district [C01]: district code '٢١٠٧٠٢' must be six plain digits "
        "(0-9), e.g. 210702"
    ]


def test_mixed_coordinate_systems_need_a_default() -> None:
    """Communities in GCJ-02 and cadres without a system is an error naming both; a round
    default fills the gap with a warning; WGS-84 alone needs nothing."""
    raw = tiny()
    for com in raw["communities"]:
        com["location"]["crs"] = "gcj02"
    assert messages(raw) == [
        "round, cadres[0].location.crs: communities declares the coordinate system gcj02 but 6 "
        "point(s) in cadres declare none: add a 坐标系/crs column there, or set it once for the "
        "round (rules: 轮次/round, default_crs)"
    ]
    raw["default_crs"] = "gcj02"
    rnd, warnings = validate_round_report(raw)
    assert {c.location.crs.value for c in rnd.cadres} == {"gcj02"}
    assert [p.message for p in warnings] == [
        "cadres declare no coordinate system; the round's default gcj02 is used"
    ]
    assert validate_round_report(tiny())[1] == []


def test_default_crs_from_the_rules_table(tmp_path: Path) -> None:
    """轮次, , default_crs, 高德 sets the round default from the rules sheet."""
    folder = tmp_path / "round"
    rnd = read_round(TINY)
    write_round_csv(rnd, folder)
    rules = (folder / "rules.csv").read_text(encoding="utf-8-sig")
    (folder / "rules.csv").write_text(rules + "轮次,,default_crs,高德,\n", encoding="utf-8-sig")
    report = read_round_report(folder)
    assert report.round.default_crs is not None and report.round.default_crs.value == "gcj02"


def test_lost_leading_zeros_are_named_at_every_row(tmp_path: Path) -> None:
    """12-digit ids that became 11 digits are errors, each with the likely original."""
    folder = tmp_path / "round"
    write_round_csv(read_round(TINY), folder)
    text = (folder / "cadres.csv").read_text(encoding="utf-8-sig")
    for i, cid in enumerate(("C01", "C02", "C03", "C04", "C05", "C06")):
        new = "21070200000" + str(i) if i < 4 else "1070200000" + str(i)
        text = text.replace(f"\n{cid},", f"\n{new},")
    (folder / "cadres.csv").write_text(text, encoding="utf-8-sig")
    rules = (folder / "rules.csv").read_text(encoding="utf-8-sig")
    rules = rules.replace(",C01,", ",210702000000,").replace(",C04,", ",210702000003,")
    (folder / "rules.csv").write_text(rules, encoding="utf-8-sig")
    with pytest.raises(InvalidInput) as info:
        read_round(folder)
    assert [p.render("en").split(": ", 1)[1] for p in info.value.problems] == [
        "id '10702000004' has 11 digits where the others in this column have 12: Excel may "
        "have dropped a leading zero; format the column as text and re-enter it (perhaps "
        "'010702000004')",
        "id '10702000005' has 11 digits where the others in this column have 12: Excel may "
        "have dropped a leading zero; format the column as text and re-enter it (perhaps "
        "'010702000005')",
    ]


def test_names_as_references_and_ambiguity() -> None:
    """A unique community or cadre name resolves to its id; a shared one lists candidates."""
    raw = tiny()
    raw["cadres"][0]["preferences"] = [raw["communities"][1]["name"]]
    raw["rules"]["locks"] = [{"cadre": raw["cadres"][2]["name"], "community": "GT01"}]
    rnd = validate_round(raw)
    assert rnd.cadres[0].preferences == [raw["communities"][1]["id"]]
    assert rnd.rules.locks[0].cadre == raw["cadres"][2]["id"]
    raw["communities"][2]["name"] = raw["communities"][1]["name"]
    found = messages(raw)
    assert len(found) == 1 and "is not unique: 2 社区/communities have this name" in found[0]


def test_extra_columns_and_titles_are_written_back(tmp_path: Path) -> None:
    """A round written as CSV keeps the planner's columns and the rank title as written."""
    raw = tiny()
    raw["cadres"][0]["rank"] = "四级调研员"
    raw["cadres"][0]["extra"] = {"借调情况": "借调"}
    raw["cadres"][0]["birth_year"], raw["cadres"][0]["birth_month"] = 1989, 8
    folder = tmp_path / "round"
    write_round_csv(validate_round(raw), folder)
    text = (folder / "cadres.csv").read_text(encoding="utf-8-sig")
    assert text.splitlines()[0].endswith(",借调情况")
    assert "四级调研员" in text and "1989.08" in text
    back = read_round(folder).cadres[0]
    assert (back.rank, back.rank_title, back.extra) == (
        Rank.DEPUTY_COUNTY,
        "四级调研员",
        {"借调情况": "借调"},
    )
    assert (back.birth_year, back.birth_month) == (1989, 8)


def test_near_matches() -> None:
    """卫生 suggests 卫生健康, 出生年 suggests 出生年份; nothing near suggests nothing."""
    assert suggest("卫生", ["卫生健康", "教育"]) == "卫生健康"
    assert suggest("出生年", ["出生年份", "姓名"]) == "出生年份"
    assert suggest("邮编", ["姓名", "职级"]) is None


def test_a_title_that_would_read_differently_is_written_as_its_rung(tmp_path: Path) -> None:
    """A JSON cadre with rank 正科 and title 局长 (a city cadre, whose 局长 reads as 正县) is
    written with 正科, so the file reads back to the same rung."""
    raw = tiny()
    raw["cadres"][0]["rank"], raw["cadres"][0]["rank_title"] = "正科", "局长"
    folder = tmp_path / "round"
    write_round_csv(validate_round(raw), folder)
    assert read_round(folder).cadres[0].rank == Rank.SECTION
