"""The clerk's intent values: 本人意愿 words, post counts and skill words of the round."""

from __future__ import annotations

import pytest

from matcher import InvalidInput, validate_round
from matcher.model.skills import normalise_skill
from matcher.model.validate import validate_round_report
from tests.matcher.engine_fixtures import load_raw


@pytest.mark.parametrize(
    ("word", "value"),
    [
        ("兼职", "part-time"),
        ("非脱产", "part-time"),
        ("只愿兼职", "part-time"),
        (" 只愿 兼职。", "part-time"),
        ("脱产", "full-time"),
        ("全职", "full-time"),
        ("服从安排", "either"),
        ("均可", "either"),
        ("都可以", "either"),
        ("", "either"),
    ],
)
def test_wish_words_read_as_availability(word: str, value: str) -> None:
    """Each 本人意愿 word (spaces and a full stop ignored) means its post types."""
    raw = load_raw("tiny.json")
    raw["cadres"][0]["availability"] = word
    assert validate_round(raw).cadres[0].availability.value == value


def test_an_unknown_wish_is_an_error_listing_the_accepted_words() -> None:
    """看情况 is not read as "either": the row is refused with the accepted words."""
    raw = load_raw("tiny.json")
    raw["cadres"][1]["availability"] = "看情况"
    with pytest.raises(InvalidInput) as err:
        validate_round(raw)
    (p,) = err.value.problems
    zh = p.render("zh")
    assert p.id == "C02" and "本人意愿“看情况”无法识别" in zh and "服从安排" in zh
    assert "part-time (兼职" in p.render("en")


@pytest.mark.parametrize(("cell", "n"), [("1名", 1), ("两名", 2), ("3人", 3), ("0", 0), (2, 2)])
def test_post_counts_as_clerks_write_them(cell: object, n: int) -> None:
    """第一书记（脱产） / 兼职委员 counts: 1名, 两名, 3人 set the posts."""
    raw = load_raw("tiny.json")
    raw["communities"][0]["posts"] = {"full_time": cell, "part_time": cell}
    com = validate_round(raw).communities[0]
    assert (com.posts.full_time, com.posts.part_time) == (n, n)


@pytest.mark.parametrize(
    ("words", "tag"),
    [
        (("卫生", "卫生健康", "医疗卫生", "卫 生"), "health"),
        (("养老", "养老服务"), "elderly-care"),
        (("应急", "应急管理"), "emergency"),
        (("城管", "城市管理"), "urban-management"),
        (("审计",), "audit"),
        (("文字综合", "综合文字", "文稿"), "writing"),
    ],
)
def test_skill_synonyms_merge(words: tuple[str, ...], tag: str) -> None:
    """The clerks' words for one skill are one tag (the documented synonym table)."""
    assert {normalise_skill(w) for w in words} == {tag}


def test_a_community_and_a_cadre_match_on_a_word_of_the_round() -> None:
    """文秘 is no known skill: one warning (2 places), added to extra_skills, and it counts
    as skill fit between the community asking it and the cadre offering it."""
    raw = load_raw("tiny.json")
    raw["communities"][0]["required_skills"]["part_time"] = ["文秘", "卫生"]
    raw["cadres"][4]["skills"] = ["文秘"]
    rnd, warnings = validate_round_report(raw)
    (w,) = [w for w in warnings if "文秘" in w.message]
    assert w.severity == "warning" and "2 places" in w.message and w.id == "GT01"
    assert "文秘" in rnd.extra_skills and "health" not in rnd.extra_skills
    assert rnd.communities[0].required_skills.part_time == ["health", "文秘"]
    assert rnd.cadres[4].skills == ["文秘"]
