"""The rules table: every rule, list rule, weight and setting, read and written as rows."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from matcher.model.io import read_round, write_round_csv, write_round_xlsx
from matcher.model.io.rows import Table
from matcher.model.io.rules_table import SECTION_ZH, read_rules_table, rules_rows
from matcher.model.ranks import Rank
from matcher.model.round import Round
from matcher.model.rules import Rules

ROUNDS = Path(__file__).parents[2] / "data" / "rounds"


@pytest.fixture
def example(tmp_path: Path) -> Round:
    """tiny_csv with the documented rules example (docs/round.md) as its rules.csv."""
    folder = tmp_path / "round"
    shutil.copytree(ROUNDS / "tiny_csv", folder)
    (folder / "round.json").unlink()
    shutil.copy(ROUNDS / "rules_example.csv", folder / "rules.csv")
    return read_round(folder)


def test_example_reads_every_rule(example: Round) -> None:
    """Each row of the documented example lands in the rule, item and parameter it names."""
    rules = example.rules
    assert rules.max_distance.km == 8
    assert [f.min_rank for f in rules.rank_floors] == [Rank.DEPUTY_SECTION, Rank.SECTION]
    second = rules.rank_floors[1]
    assert second.where.tags == ["conflict-heavy"] and second.where.max_stars == 2
    assert second.where.match == "any" and second.where.weak is None
    assert second.levels == ["city"]
    assert rules.rank_floors[0].where.weak is True
    assert rules.own_district.levels == ["county", "street"]
    assert rules.source_quotas[0].level == "city" and rules.source_quotas[0].min == 1
    assert rules.source_quotas[1].units == ["市财政局"] and rules.source_quotas[1].max == 1
    assert rules.source_quotas[1].post_type == "part-time"
    assert rules.skill_mix[0].any_of == ["business-environment", "finance", "transport"]
    assert rules.forbidden_pairs[0].model_dump() == {
        "cadre": "C04",
        "community": "GT02",
        "post_type": None,
        "reason": "回避",
    }
    assert rules.locks[0].post_type == "full-time"
    assert example.weights.distance_per_km == 12 and example.weights.preference_step == 30
    assert example.settings.seed == 11 and example.settings.time_limit_s == 20
    assert example.name == "锦州示例轮次" and example.extra_skills == ["垃圾分类"]


def test_written_table_reads_back(example: Round, tmp_path: Path) -> None:
    """Every rule written by the exporter (CSV and XLSX, both languages) reads back equal."""
    for headers in ("zh", "en"):
        write_round_csv(example, tmp_path / headers, headers=headers)
        write_round_xlsx(example, tmp_path / f"{headers}.xlsx", headers=headers)
        assert read_round(tmp_path / headers) == example
        assert read_round(tmp_path / f"{headers}.xlsx") == example


def test_every_rule_appears_in_export(example: Round) -> None:
    """The exported table names every rule and section, so planners see all they can set."""
    names = {row[0] for row in rules_rows(example, "en")[1:]}
    assert names == set(Rules.model_fields) | {"weights", "settings", "round", "identity"}
    assert set(SECTION_ZH) == names | {"rank_titles"}  # only the round's own titles are listed


def test_empty_list_value_differs_from_default() -> None:
    """An empty list cell means 'none' (coverage of no post type), not 'use the default'."""
    table = Table(
        "rules.csv", ["rule", "parameter", "value"], [(2, ["coverage", "post_types", ""])]
    )
    sections = read_rules_table(table)
    assert sections.problems == []
    assert sections.raw == {"rules": {"coverage": {"post_types": []}}}


def test_empty_scalar_keeps_default() -> None:
    """An empty scalar cell leaves the model default in place."""
    table = Table("rules.csv", ["rule", "parameter", "value"], [(2, ["就近距离", "km", ""])])
    assert read_rules_table(table).raw == {}


def test_item_numbers_need_not_be_dense() -> None:
    """Items 3 and 7 become list entries 0 and 1, and problems point at their rows."""
    rows = [
        (2, ["locks", "7", "cadre", "B"]),
        (3, ["locks", "3", "cadre", "A"]),
    ]
    sections = read_rules_table(Table("r.csv", ["rule", "item", "parameter", "value"], rows))
    assert sections.raw["rules"]["locks"] == [{"cadre": "A"}, {"cadre": "B"}]
    assert sections.rows["rules.locks[0].cadre"] == ("r.csv", 3)
