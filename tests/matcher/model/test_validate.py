"""Validation of raw round data into a Round: every problem found, named and located."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from matcher import InvalidInput, Origin, Rank, validate_round
from matcher.model.validate import validate_round_report

TINY = Path(__file__).parents[2] / "data" / "rounds" / "tiny.json"


def tiny() -> dict[str, Any]:
    return json.loads(TINY.read_text(encoding="utf-8"))


def problems(raw: dict[str, Any], origin: Origin | None = None) -> list[str]:
    with pytest.raises(InvalidInput) as info:
        validate_round(raw, origin)
    return [str(p) for p in info.value.problems]


def test_tiny_round_is_valid() -> None:
    """The hand-checkable fixture validates, with ranks and skills normalised."""
    rnd = validate_round(tiny())
    assert len(rnd.communities) == 3 and len(rnd.cadres) == 6
    assert rnd.cadres[0].rank is Rank.DEPUTY_SECTION
    assert rnd.cadres[0].skills == ["party-building"]
    assert rnd.cadres[4].rank is Rank.DEPUTY_SECTION  # English alias
    assert rnd.community_index()["LH01"] == 2


def test_round_trips_through_json() -> None:
    """A validated round dumped to JSON validates again to the same value."""
    rnd = validate_round(tiny())
    again = validate_round(json.loads(rnd.model_dump_json()))
    assert again == rnd
    assert json.loads(rnd.model_dump_json())["cadres"][0]["rank"] == "副科"


def test_all_problems_reported_at_once() -> None:
    """Several unrelated mistakes come back together, each with its path and id."""
    raw = tiny()
    raw["cadres"][0]["rank"] = "副处座"
    raw["cadres"][1]["id"] = "C03"
    raw["communities"][1]["posts"]["part_time"] = -1
    raw["cadres"][2]["preferences"] = ["NOPE"]
    found = problems(raw)
    assert len(found) == 4
    assert any("cadres[0].rank [C01]: rank '副处座' unknown" in p for p in found)
    assert any("[C03]: duplicate id" in p for p in found)
    assert any("communities[1].posts.part_time [GT02]" in p for p in found)
    assert any("preferred community 'NOPE' does not exist" in p for p in found)


def test_rows_are_named_when_origin_has_rows() -> None:
    """With row origins (CSV/XLSX), a problem names the file and row, not a list index."""
    raw = tiny()
    raw["cadres"][3]["level"] = "province"
    origin = Origin("round", rows={"cadres": [("cadres.csv", i + 2) for i in range(6)]})
    (found,) = problems(raw, origin)
    assert found.startswith("cadres.csv, row 5, field 'level' [C04]:")


def test_unknown_skill_warns_and_missing_coordinates_is_an_error() -> None:
    """A typo'd skill is a warning that names it and its near match (the round reads, with
    the word added to its vocabulary); a community without coordinates is an error."""
    raw = tiny()
    raw["communities"][0]["required_skills"]["part_time"] = ["finanse"]
    rnd, warnings = validate_round_report(raw)
    (w,) = [w for w in warnings if w.field == "part_time"]
    assert "finanse" in w.message and "did you mean 'finance'?" in w.message
    assert w.severity == "warning" and "finanse" in rnd.extra_skills
    del raw["communities"][2]["location"]
    found = problems(raw)
    assert any("[LH01]: missing coordinates" in p for p in found)


def test_extra_skills_extend_vocabulary() -> None:
    """A round may declare its own skill tags."""
    raw = tiny()
    raw["extra_skills"] = ["finanse"]
    raw["communities"][0]["required_skills"]["part_time"] = ["finanse"]
    validate_round(raw)


def test_rule_references_checked() -> None:
    """Locks and forbidden pairs must name existing cadres and communities."""
    raw = tiny()
    raw["rules"]["locks"] = [{"cadre": "C99", "community": "GT01"}]
    raw["rules"]["forbidden_pairs"] = [{"cadre": "C01", "community": "XX"}]
    found = problems(raw)
    assert any("rules.locks[0].cadre [C99]: cadre 'C99' does not exist" in p for p in found)
    assert any("community 'XX' does not exist" in p for p in found)


def test_wrong_types_are_named() -> None:
    """A string where a number belongs is reported with the value received."""
    raw = copy.deepcopy(tiny())
    raw["communities"][0]["location"]["lat"] = "north"
    (found,) = problems(raw)
    assert "communities[0].location.lat [GT01]" in found and "'north'" in found


def test_bad_row_still_exists_for_references_and_duplicates() -> None:
    """A cadre row that fails to parse is still a known id (no false 'does not exist') and
    still collides with a later row of the same id."""
    raw = tiny()
    raw["cadres"][0]["rank"] = "副处座"
    raw["cadres"][1]["id"] = "C01"
    raw["rules"]["locks"] = [{"cadre": "C01", "community": "GT01"}]
    found = problems(raw)
    assert not any("does not exist" in p for p in found)
    assert any("[C01]: duplicate id" in p for p in found)


def test_references_checked_even_when_rules_section_is_broken() -> None:
    """A broken rule does not hide a lock that names a missing cadre."""
    raw = tiny()
    raw["rules"]["max_distance"] = {"km": -5}
    raw["rules"]["locks"] = [{"cadre": "C99", "community": "GT01"}]
    found = problems(raw)
    assert any("max_distance.km" in p for p in found)
    assert any("cadre 'C99' does not exist" in p for p in found)
