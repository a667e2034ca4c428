"""A clash names the rules that truly cause it: on random infeasible rounds, the round with
only the named rules in force is still infeasible and relaxing any one named rule gives a plan."""

from __future__ import annotations

import re
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geodata.pipeline import run_round
from matcher.engine.result import Status
from matcher.model.round import Round
from tests.crosscheck.compare import rule_names
from tests.crosscheck.rounds import random_round

_LISTED = re.compile(r"(rank_floors|source_quotas|skill_mix)\[(\d+)\]")


def relax(raw: dict[str, Any], names: set[str]) -> Round:
    """The round with the named rules switched off (written from docs/round.md's rule table)."""
    rules = raw.setdefault("rules", {})
    for name in names:
        listed = _LISTED.fullmatch(name)
        if listed:
            rules[listed[1]][int(listed[2])]["enabled"] = False
        elif name in ("locks", "forbidden_pairs"):
            rules[name] = []
        else:
            rules.setdefault(name, {})["enabled"] = False
    return Round.model_validate(raw)


def status(rnd: Round) -> Status:
    return run_round(rnd).result.status


def pairing_clash() -> dict[str, Any]:
    """Two communities; the only finance cadre's unit is paired with the other community (both
    cadres are Party members, so the default first-secretary rule stays a bystander)."""
    loc = {"lon": 121.13, "lat": 41.13}
    coms = [
        {
            "id": cid,
            "name": f"{cid}社区",
            "district": {"code": "210702", "name": "古塔区"},
            "location": loc,
            "posts": {"full_time": 0, "part_time": 1},
            "paired_units": units,
        }
        for cid, units in (("A", []), ("B", ["市财政局"]))
    ]
    cadres = [
        {
            "id": "K1",
            "name": "王一",
            "unit": "市财政局",
            "level": "city",
            "rank": "科员",
            "home_district": "210702",
            "political_status": "中共党员",
            "skills": ["finance"],
            "location": loc,
        },
        {
            "id": "K2",
            "name": "李二",
            "unit": "市民政局",
            "level": "city",
            "rank": "科员",
            "home_district": "210702",
            "political_status": "中共党员",
            "location": loc,
        },
    ]
    rules = {
        "pairing": {"enabled": True},
        "skill_mix": [{"name": "A 要财政", "where": {"communities": ["A"]}, "any_of": ["finance"]}],
    }
    return {"communities": coms, "cadres": cadres, "rules": rules}


def test_a_pairing_clash_names_pairing_not_one_post_per_cadre() -> None:
    """The clash of a skill mix with pairing names exactly those two rules (each fixes it)."""
    raw = pairing_clash()
    result = run_round(Round.model_validate(raw)).result
    assert result.status is Status.INFEASIBLE
    (conflict,) = result.conflicts
    assert set(conflict.rules) == {"pairing", "skill_mix[0]"}
    for name in conflict.rules:
        assert status(relax(pairing_clash(), {name})) is not Status.INFEASIBLE


def quota_lock_pairing() -> dict[str, Any]:
    """The only city cadre K1 serves only B (pairing), B is locked to K2, a quota wants one
    city first secretary: the three clash only together (the MIP finds it, no count does)."""
    raw = pairing_clash()
    for com in raw["communities"]:
        com["posts"] = {"full_time": 1, "part_time": 0}
    raw["cadres"][1]["level"] = "county"
    raw["cadres"].append({**raw["cadres"][1], "id": "K3", "name": "张三"})
    raw["rules"] = {
        "pairing": {"enabled": True},
        "locks": [{"cadre": "K2", "community": "B"}],
        "source_quotas": [{"name": "市直至少1名", "level": "city", "min": 1}],
    }
    return raw


def test_a_side_rule_clash_names_exactly_the_rules_that_clash() -> None:
    """Quota, pairing and the lock are named (each relaxation gives a plan); coverage and one
    post per cadre, in force but bystanders, are not."""
    result = run_round(Round.model_validate(quota_lock_pairing())).result
    assert result.status is Status.INFEASIBLE and "mip" in result.method
    (conflict,) = result.conflicts
    assert set(conflict.rules) == {"source_quotas[0]", "pairing", "locks"}
    for name in conflict.rules:
        assert status(relax(quota_lock_pairing(), {name})) is not Status.INFEASIBLE


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.integers(0, 2**32 - 1))
def test_named_rules_are_an_irreducible_clash(seed: int) -> None:
    """A single reported clash (not a counting check) is irreducible over the round's rules."""
    raw = random_round(seed)
    rnd = Round.model_validate(raw)
    result = run_round(rnd).result
    if result.status is not Status.INFEASIBLE or result.method == "check":
        return
    if len(result.conflicts) != 1:
        return
    named = set(result.conflicts[0].rules)
    others = rule_names(rnd) - named
    assert status(relax(random_round(seed), others)) is Status.INFEASIBLE
    for name in named:
        assert status(relax(random_round(seed), others | {name})) is not Status.INFEASIBLE, name
