"""The selection data: catalogue of disqualifying conditions, clearances, cadre attributes."""

from __future__ import annotations

import pytest

from matcher import validate_round
from matcher.model.disqualifications import OTHER, Condition, bundled
from matcher.model.io.cells import format_cell, parse_cell
from matcher.model.io.rows import Table
from matcher.model.io.rules_table import read_rules_table
from matcher.model.problems import InvalidInput
from matcher.model.rules import Rules
from matcher.model.standing import bars, catalogue
from tests.matcher.engine_fixtures import two_towns


def test_bundled_catalogue_has_twenty_conditions_with_source() -> None:
    """The bundled catalogue holds D01–D20, each with Chinese text, and names seed 004."""
    cat = bundled()
    assert [c.code for c in cat.conditions] == [f"D{i:02d}" for i in range(1, 21)]
    assert all(c.zh and c.source for c in cat.conditions)
    assert "004" in cat.source and cat.version


def test_free_text_is_matched_to_the_one_condition_it_names() -> None:
    """正在接受纪律审查 names D07 only; a lower-case code is the catalogue's code."""
    cat = bundled()
    assert cat.resolve("正在接受纪律审查") == ("D07", "正在接受纪律审查")
    assert cat.resolve("d07", "note") == ("D07", "note")


def test_ambiguous_or_unknown_text_is_kept_as_other() -> None:
    """Text naming two conditions (处分 and 审计), or none, becomes 'other' with the text."""
    cat = bundled()
    assert cat.resolve("受党纪处分，且审计发现问题") == (OTHER, "受党纪处分，且审计发现问题")
    assert cat.resolve("身体原因") == (OTHER, "身体原因")


def test_round_adds_its_own_condition_and_cites_it_in_words() -> None:
    """A round's own condition X01 resolves and is cited by its text in the explanation words."""
    raw = two_towns()
    raw["disqualification_conditions"] = [{"code": "X01", "zh": "本轮自定情形：借调未满一年"}]
    raw["cadres"][0]["disqualifications"] = [{"code": "借调未满一年"}]
    rnd = validate_round(raw)
    assert rnd.cadres[0].disqualifications[0].code == "X01"
    assert catalogue(rnd).get("X01") == Condition(code="X01", zh="本轮自定情形：借调未满一年")
    assert bars(rnd, rnd.cadres[0]) == [
        "不得当选情形 X01 本轮自定情形：借调未满一年（借调未满一年）"
    ]


def test_conflicting_clearances_are_refused() -> None:
    """Two answers from one department (纪委 and 纪检监察 are the same) are a validation problem."""
    raw = two_towns()
    raw["cadres"][1]["clearances"] = [
        {"department": "纪委", "status": "通过"},
        {"department": "纪检监察", "status": "refused"},
    ]
    with pytest.raises(InvalidInput) as err:
        validate_round(raw)
    assert "conflicting clearances" in str(err.value) and "discipline" in str(err.value)


def test_attributes_read_chinese_and_political_status() -> None:
    """骨干型 → backbone; 中共党员 in political_status makes a party member unless stated."""
    raw = two_towns()
    raw["cadres"][0] |= {"secretary_type": "骨干型", "political_status": "中共党员"}
    raw["cadres"][1] |= {"political_status": "中共党员", "party_member": False}
    raw["cadres"][2] |= {"political_status": "群众"}
    rnd = validate_round(raw)
    assert rnd.cadres[0].secretary_type == "backbone" and rnd.cadres[0].is_party_member
    assert not rnd.cadres[1].is_party_member and not rnd.cadres[2].is_party_member


def test_clearance_cells_round_trip() -> None:
    """``纪检监察:通过:2024-05-06; 信访:待审`` parses and is written back in Chinese."""
    cells = parse_cell("clearances", "纪检监察:通过:2024-05-06; 信访:待审")
    assert cells == [
        {"department": "纪检监察", "status": "通过", "date": "2024-05-06"},
        {"department": "信访", "status": "待审"},
    ]
    raw = two_towns()
    raw["cadres"][0]["clearances"] = cells
    dumped = validate_round(raw).cadres[0].model_dump(mode="json")["clearances"]
    assert format_cell("clearances", dumped, "zh") == "纪检监察:通过:2024-05-06; 信访:待审"


def test_rules_table_states_clearances_and_cadre_selectors() -> None:
    """资格联审 required and a rank floor's cadres.secretary_types read from rules-table rows."""
    rows = [
        ["资格联审", "", "required", "纪检监察、信访", ""],
        ["职级下限", "1", "min_rank", "科员", ""],
        [
            "职级下限",
            "1",
            "cadres.secretary_types",
            "骨干型、示范型",
            "软弱涣散社区配骨干型或示范型",
        ],
        ["技能搭配", "1", "cadres.party_member", "是", ""],
        ["技能搭配", "1", "min_count", "3", "党小组"],
    ]
    header = ["规则", "序号", "参数", "值", "说明"]
    read = read_rules_table(Table("rules.csv", header, [(i + 2, r) for i, r in enumerate(rows)]))
    assert read.problems == []
    rules = Rules.model_validate(read.raw["rules"])
    assert rules.clearances.required == ["discipline", "petitions"]
    assert rules.rank_floors[0].cadres.secretary_types == ["backbone", "model"]
    assert rules.skill_mix[0].cadres.party_member and rules.skill_mix[0].any_of == []
