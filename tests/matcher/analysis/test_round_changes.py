"""What differs between two rounds, said in words: weights, rules, people."""

from __future__ import annotations

import re
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
    assert "取消规则：就近安排，距离不超过10公里" in zh
    assert "新增规则：就近安排，距离不超过8公里" in zh
    assert "新增规则：已研究确定：王一 派往 北街社区" in zh
    assert "减少干部1个：孙六" in zh
    assert "张三：职级 正科 → 副县" in zh
    assert not any(re.search(r"[A-Za-z]{3,}|C0\d|GT0\d", x) for x in zh), zh
    en = round_changes(a, b, "en")
    assert "1 cadre(s) removed: 孙六" in en and "rule added: at most 8 km from home" in en
