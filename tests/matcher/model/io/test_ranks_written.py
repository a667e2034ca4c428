"""Ranks as written: grades of public institutions read on the ladder and every title kept."""

from __future__ import annotations

import pytest

from matcher import validate_round
from matcher.model.ranks import Rank, title_rank
from tests.matcher.engine_fixtures import load_raw


@pytest.mark.parametrize(
    ("title", "rank"),
    [
        ("专技十级", Rank.DEPUTY_SECTION),
        ("专业技术十级", Rank.DEPUTY_SECTION),
        ("专业技术岗位8级", Rank.SECTION),
        ("专技十二级", Rank.SECTION_MEMBER),
        ("专技六级", Rank.DEPUTY_COUNTY),
        ("事业九级", Rank.SECTION_MEMBER),
        ("事业管理七级", Rank.SECTION),
        ("九级职员", Rank.SECTION_MEMBER),
    ],
)
def test_institution_grades(title: str, rank: Rank) -> None:
    """专业技术 and 事业单位管理 grades read by the default table."""
    assert title_rank(title) == rank


def test_unknown_grade_is_still_unknown() -> None:
    """A grade outside the tables (专技十五级) is not read as anything."""
    assert title_rank("专技十五级") is None


@pytest.mark.parametrize("written", ["副处级", "正科级", "副科级", "专技十级"])
def test_rungs_written_with_级_keep_their_title(written: str) -> None:
    """副处级 / 正科级 print as written; the bare rung 副科 has no title of its own."""
    raw = load_raw("tiny.json")
    raw["cadres"][0]["rank"] = written
    raw["cadres"][1]["rank"] = "副科"
    rnd = validate_round(raw)
    assert rnd.cadres[0].rank_title == written
    assert rnd.cadres[1].rank_title is None
