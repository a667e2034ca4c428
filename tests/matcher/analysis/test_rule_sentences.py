"""Every rule kind reads as the sentence a department writes, switched-off rules marked."""

from __future__ import annotations

import json
import re
from pathlib import Path

from matcher.analysis.rule_sentences import rule_sentences
from matcher.model.validate import validate_round

ROUND = Path(__file__).parents[2] / "data" / "rounds" / "words_zh.json"


def test_each_rule_kind_is_a_sentence() -> None:
    """Rank floor, quota, skill mix, distance, own district, pairing, locks, forbidden pairs."""
    raw = json.loads(ROUND.read_text("utf-8"))
    raw["rules"]["rank_floors"][0]["min_rank"] = "正科"
    raw["rules"]["source_quotas"] = [{"level": "city", "post_type": "full-time", "min": 1}]
    raw["rules"]["locks"] = [{"cadre": "C01", "community": "GT01"}]
    raw["rules"]["forbidden_pairs"] = [{"cadre": "C04", "community": "GT02"}]
    raw["rules"]["pairing"] = {"enabled": False}
    said = dict(rule_sentences(validate_round(raw)))
    assert said["rank_floors"] == "软弱涣散社区第一书记不低于正科"
    assert said["source_quotas"] == "市直选派的第一书记不少于1名"
    assert said["skill_mix"] == "软弱涣散社区兼职委员中至少1名具备营商环境、财政、交通专长"
    assert said["max_distance"] == "就近安排，距离不超过10公里"
    assert said["own_district"] == "县区、街道干部不出本县区"
    assert said["pairing"] == "结对单位只派往结对社区（未启用）"
    assert said["locks"] == "已研究确定：王一 派往 北街社区"
    assert said["forbidden_pairs"] == "不得安排：赵四 派往 南街社区"
    for text in said.values():
        assert not re.search(r"[A-Za-z]{3,}|C0\d|GT0\d", text), text
    english = dict(rule_sentences(validate_round(raw), "en"))
    assert english["rank_floors"] == "first secretaries of weak communities rank section or above"
