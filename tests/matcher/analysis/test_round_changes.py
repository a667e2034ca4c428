"""What differs between two rounds, said in words: weights, rules, people."""

from __future__ import annotations

from pathlib import Path

from matcher.analysis.round_changes import round_changes
from matcher.model.io import read_round
from matcher.model.rules import PairRef

TINY = Path(__file__).parents[2] / "data" / "rounds" / "tiny.json"


def test_same_round_has_no_changes() -> None:
    """A round compared with itself: nothing to say."""
    assert round_changes(read_round(TINY), read_round(TINY)) == []


def test_weights_rules_and_people_are_named() -> None:
    """A new lock, a changed distance limit, a promoted and a removed cadre, each in words."""
    a = read_round(TINY)
    rules = a.rules.model_copy(
        update={
            "locks": [PairRef(cadre="C01", community="GT01", post_type="full-time")],
            "max_distance": a.rules.max_distance.model_copy(update={"km": 8.0}),
        }
    )
    cadres = [
        c.model_copy(update={"rank": 3}) if c.id == "C03" else c for c in a.cadres if c.id != "C06"
    ]
    b = a.model_copy(update={"rules": rules, "cadres": cadres})
    zh = round_changes(a, b)
    assert "规则 max_distance.km：10.0 → 8.0" in zh
    assert "规则 locks[1].cadre：（无） → C01" in zh and not any("locks：" in x for x in zh)
    assert "减少干部1个：孙六（C06）" in zh
    assert "张三（C03）：职级 正科 → 副县" in zh
    en = round_changes(a, b, "en")
    assert "1 cadre(s) removed: 孙六 (C06)" in en and "rule max_distance.km: 10.0 → 8.0" in en
