"""People and communities resolved: ID numbers checked, duplicates named or merged."""

from __future__ import annotations

import copy
import datetime as dt
import random
from typing import Any

import pytest

from matcher import InvalidInput, Origin, validate_round
from matcher.analysis.rule_check import check_rules
from matcher.engine.problem import build_problem
from matcher.engine.solve import solve
from matcher.model.community_twins import core_name, haversine_m
from matcher.model.identity import IdNumberError, check_char, read_id_number
from matcher.model.validate import validate_round_report
from tests.matcher.engine_fixtures import all_pairs, load_raw


def _id(rng: random.Random, born: dt.date) -> str:
    """A valid 18-character ID number born on ``born`` (district code, date, sequence)."""
    first17 = f"{rng.randint(110000, 659999)}{born:%Y%m%d}{rng.randint(0, 999):03d}"
    return first17 + check_char(first17)


def _born(rng: random.Random) -> dt.date:
    return dt.date(1960, 1, 1) + dt.timedelta(days=rng.randint(0, 365 * 40))


def test_check_char_of_the_standard_example() -> None:
    """GB 11643's worked example 11010519491231002X ends in X."""
    assert check_char("11010519491231002") == "X"
    assert read_id_number("11010519491231002x").birth == dt.date(1949, 12, 31)


@pytest.mark.parametrize("seed", range(5))
def test_generated_numbers_read_and_any_one_digit_change_is_refused(seed: int) -> None:
    """Valid generated numbers read with their birth date; changing any one of the 17 digits
    or the check character makes the check fail (MOD 11-2 catches every single error)."""
    rng = random.Random(seed)
    for _ in range(40):
        born = _born(rng)
        number = _id(rng, born)
        assert read_id_number(number).birth == born
        assert read_id_number(" ".join([number[:6], number[6:14], number[14:]])).number == number
        k = rng.randrange(18)
        wrong = rng.choice([c for c in "0123456789X" if c != number[k]])
        bad = number[:k] + wrong + number[k + 1 :]
        if k < 17 and wrong == "X":
            continue  # not a digit at all: refused for its shape, also an error
        with pytest.raises(IdNumberError):
            read_id_number(bad)


def test_old_fifteen_digit_numbers_are_upgraded() -> None:
    """A 15-digit number (before 1999) reads as born 19YY and compares in 18-character form."""
    old = "110105491231002"
    num = read_id_number(old)
    assert num.upgraded and num.birth == dt.date(1949, 12, 31)
    assert num.number == "11010519491231002X"


def _tiny() -> dict[str, Any]:
    return load_raw("tiny.json")


def _rows() -> Origin:
    return Origin("round", rows={"cadres": [("名单.xlsx[干部]", i + 3) for i in range(9)]})


def _messages(raw: dict[str, Any], origin: Origin | None = None) -> list[str]:
    with pytest.raises(InvalidInput) as err:
        validate_round(raw, origin)
    return [p.render("zh") for p in err.value.problems]


def test_a_bad_check_digit_is_an_error_at_its_row_and_never_printed() -> None:
    """The row and field are named; the number itself is not in the message."""
    raw = _tiny()
    good = _id(random.Random(1), dt.date(1985, 3, 4))
    bad = good[:17] + ("0" if good[17] != "0" else "1")
    raw["cadres"][2]["id_number"] = bad
    (msg,) = _messages(raw, _rows())
    assert "第 5 行" in msg and "id_number" in msg and "校验位" in msg and bad not in msg


def test_birth_read_from_the_id_and_disagreement_warned() -> None:
    """An empty birth takes the ID's date; a different one is a warning, not an error."""
    raw = _tiny()
    raw["cadres"][0]["id_number"] = _id(random.Random(2), dt.date(1985, 3, 4))
    raw["cadres"][1] |= {
        "id_number": _id(random.Random(3), dt.date(1990, 7, 1)),
        "birth_year": 1991,
    }
    rnd, warnings = validate_round_report(raw)
    assert (rnd.cadres[0].birth_year, rnd.cadres[0].birth_month) == (1985, 3)
    (w,) = [w for w in warnings if w.id == "C02"]
    assert "出生年月1991与公民身份号码中的出生日期（1990.07）不一致" in (w.zh or "")


def _twice(raw: dict[str, Any], by: str) -> dict[str, Any]:
    """The tiny round with C01 written again as C09 (another unit nominated him)."""
    again = copy.deepcopy(raw["cadres"][0]) | {"id": "C09", "unit": "市委办公室"}
    if by == "id":
        number = _id(random.Random(4), dt.date(1980, 5, 6))
        raw["cadres"][0]["id_number"] = number
        again |= {"id_number": number, "name": "王 一"}  # a space: still one person
    else:
        raw["cadres"][0] |= {"birth_year": 1980, "birth_month": 5}
        again |= {"birth_year": 1980, "birth_month": 5, "name": "王一"}
    raw["cadres"].append(again)
    return raw


@pytest.mark.parametrize(
    ("by", "why"), [("id", "公民身份号码相同"), ("birth", "姓名和出生年月相同")]
)
def test_a_duplicate_person_is_an_error_naming_both_rows(by: str, why: str) -> None:
    """Same ID number, or same name and birth month: an error at the later row naming the
    earlier one and the name."""
    (msg,) = _messages(_twice(_tiny(), by), _rows())
    assert msg.startswith("名单.xlsx[干部]，第 9 行")
    assert "同一人出现两次：" in msg and "（C09） 与 第 3 行 的 王一（C01） " + why in msg


def test_different_ids_or_birth_months_are_different_people() -> None:
    """Two 王一 with different ID numbers, or born in different months, are two people."""
    raw = _twice(_tiny(), "id")
    raw["cadres"][-1]["id_number"] = _id(random.Random(5), dt.date(1980, 5, 6))
    validate_round(raw)
    raw = _twice(_tiny(), "birth")
    raw["cadres"][-1]["birth_month"] = 6
    validate_round(raw)


def test_confirmed_distinct_people_pass() -> None:
    """Two 王一 born the same month, confirmed different people, both stay."""
    raw = _twice(_tiny(), "birth")
    raw["identity"] = {"distinct_people": [["C01", "C09"]]}
    assert len(validate_round(raw).cadres) == 7


@pytest.mark.parametrize("how", ["merge_duplicates", "same_person"])
def test_a_confirmed_merge_keeps_one_person_with_every_restriction(how: str) -> None:
    """Merged, C01 stays once: the narrower wish, both rows' skills and the strictest vetting
    answer; a lock naming C09 now names C01."""
    raw = _twice(_tiny(), "id")
    raw["cadres"][-1] |= {
        "skills": ["信访"],
        "clearances": [{"department": "纪检", "status": "待审"}],
    }
    raw["rules"]["locks"] = [{"cadre": "C09", "community": "GT02", "post_type": "full-time"}]
    raw["identity"] = (
        {"merge_duplicates": True}
        if how == "merge_duplicates"
        else {"same_person": [["C01", "C09"]]}
    )
    rnd = validate_round(raw)
    (c01,) = [c for c in rnd.cadres if c.name == "王一"]
    assert c01.id == "C01" and len(rnd.cadres) == 6
    assert set(c01.skills) == {"party-building", "petitions"}
    assert [c.status.value for c in c01.clearances] == ["pending"]
    assert rnd.rules.locks[0].cadre == "C01"


def test_contradicting_wishes_cannot_be_merged() -> None:
    """脱产 only and 兼职 only cannot be one person's wish: an error at the merged row."""
    raw = _twice(_tiny(), "id")
    raw["cadres"][-1]["availability"] = "只愿兼职"
    raw["identity"] = {"merge_duplicates": True}
    (msg,) = _messages(raw)
    assert "本人意愿矛盾" in msg


def test_rule_check_counts_posts_per_person_across_ids() -> None:
    """Two cadre ids carrying one ID number, both posted (validation bypassed): 一人一岗 ✗."""
    raw = _twice(_tiny(), "id")
    raw["identity"] = {"distinct_people": [["C01", "C09"]]}  # wrongly confirmed
    rnd = validate_round(raw)
    res = solve(build_problem(rnd, all_pairs(rnd)), rnd.settings)
    placed = {a.cadre_id for a in res.assignments}
    (row,) = [c for c in check_rules(rnd, res) if c.rule == "一人一岗"]
    assert row.mark() == ("✗" if {"C01", "C09"} <= placed else "✓")
    assert "按公民身份号码识别本人" in row.requires


# Communities -------------------------------------------------------------------------------


def test_core_names_and_distance() -> None:
    """Committee suffixes, spaces and full-width letters do not make another community."""
    assert (
        core_name("北街社区居委会") == core_name("北 街 社区") == core_name("北街居委会") == "北街"
    )
    assert core_name("Ａ区社区") == core_name("a区")
    assert 110 < haversine_m(121.0, 41.0, 121.0, 41.001) < 112


def test_a_community_twice_by_name_is_an_error_naming_both() -> None:
    """北街社区 and 北街社区居委会 in one street (far apart): an error naming both."""
    raw = _tiny()
    twin = copy.deepcopy(raw["communities"][0]) | {"id": "GT09", "name": "北街社区居委会"}
    twin["location"] = {"lon": 121.2, "lat": 41.2}
    raw["communities"].append(twin)
    (msg,) = _messages(raw)
    assert "疑似同一社区重复：北街社区居委会 与 communities[0] 的 北街社区（GT01）" in msg
    assert "名称几乎相同" in msg


def test_another_street_is_another_community() -> None:
    """The same core name in two streets of one district is two communities."""
    raw = _tiny()
    raw["communities"][0]["street"] = "北山街道"
    twin = copy.deepcopy(raw["communities"][0]) | {"id": "GT09", "street": "南湖街道办事处"}
    twin["location"] = {"lon": 121.2, "lat": 41.2}
    raw["communities"].append(twin)
    validate_round(raw)


@pytest.mark.parametrize(("metres", "error"), [(40, True), (95, True), (130, False)])
def test_a_community_twice_by_distance(metres: float, error: bool) -> None:
    """Another name 40 m (or 95 m) from GT02 is an error; 130 m is not (threshold 100 m)."""
    raw = _tiny()
    twin = copy.deepcopy(raw["communities"][1]) | {"id": "GT09", "name": "光明社区"}
    twin["location"] = {"lon": 121.140, "lat": 41.110 + metres / 111_195}
    raw["communities"].append(twin)
    if error:
        (msg,) = _messages(raw)
        assert "两点相距仅" in msg and "不足100米" in msg and "南街社区（GT02）" in msg
    else:
        validate_round(raw)


def test_confirmed_distinct_communities_pass() -> None:
    """A pair listed in identity.distinct_communities is not an error."""
    raw = _tiny()
    twin = copy.deepcopy(raw["communities"][1]) | {"id": "GT09", "name": "南街社区居委会"}
    raw["communities"].append(twin)
    raw["identity"] = {"distinct_communities": [["GT02", "GT09"]]}
    assert len(validate_round(raw).communities) == 4


def test_same_name_and_unit_without_birth_is_only_a_warning() -> None:
    """Two 王一 of one unit, no birth dates: weak evidence, a warning; both rows stay."""
    raw = _tiny()
    again = copy.deepcopy(raw["cadres"][0]) | {"id": "C09"}
    raw["cadres"].append(again)
    rnd, warnings = validate_round_report(raw)
    (w,) = [w for w in warnings if w.id == "C09"]
    assert "姓名和单位相同（出生年月未填）" in (w.zh or "") and len(rnd.cadres) == 7


def test_identity_choices_travel_in_the_rules_table(tmp_path: Any) -> None:
    """identity written to an XLSX round (人员识别 rows) reads back the same."""
    from matcher.model.io.round_files import read_round, write_round_xlsx

    raw = _tiny()
    twin = copy.deepcopy(raw["communities"][1]) | {"id": "GT09", "name": "南街社区居委会"}
    raw["communities"].append(twin)
    raw["identity"] = {
        "distinct_communities": [["GT02", "GT09"]],
        "distinct_people": [["C01", "C02"], ["C03", "C04"]],
        "community_distance_m": 50,
    }
    rnd = validate_round(raw)
    write_round_xlsx(rnd, tmp_path / "r.xlsx")
    assert read_round(tmp_path / "r.xlsx").identity == rnd.identity
