"""Infeasibility reports: which rules clash, with counts and a relaxation that would help."""

from __future__ import annotations

from matcher.engine.result import Status
from tests.matcher.engine_fixtures import solved, two_towns


def test_hall_violator_names_posts_districts_counts_and_rules() -> None:
    """副县 on every full-time post: 2 posts in 古塔区 and 凌河区, only E qualifies."""
    raw = two_towns()
    raw["rules"]["rank_floors"] = [{"name": "all need 副县", "min_rank": "副县", "where": {}}]
    _, res = solved(raw)
    assert res.status is Status.INFEASIBLE and res.assignments == ()
    (c,) = res.conflicts
    assert (c.needed, c.available, c.shortfall) == (2, 1, 1)
    assert set(c.communities) == {"N1", "S1"}
    assert "古塔区" in c.message and "凌河区" in c.message and "2 full-time posts" in c.message
    assert "rank_floors[0]" in c.rules and "all need 副县" in c.message
    assert "all need 副县" in c.relaxation


def test_hall_violator_is_local_when_only_one_group_fails() -> None:
    """County-only 副科 floor at weak N1: C is out of district, D too junior — 1 needed, 0."""
    raw = two_towns()
    raw["rules"]["rank_floors"] = [{"min_rank": "副科", "levels": ["county"]}]
    _, res = solved(raw)
    (c,) = res.conflicts
    assert c.communities == ("N1",) and (c.needed, c.available) == (1, 0)
    assert {"rank_floors[0]", "own_district"} <= set(c.rules)


def test_allow_vacancies_explains_the_empty_post() -> None:
    """The same round in over-constrained mode leaves N1 full-time vacant and says why."""
    raw = two_towns()
    raw["rules"]["rank_floors"] = [{"min_rank": "副科", "levels": ["county"]}]
    raw["rules"]["coverage"] = {"allow_vacancies": True}
    _, res = solved(raw)
    (v,) = res.vacancies
    assert (v.community_id, v.post_type) == ("N1", "full-time")
    assert v.reason.startswith("no eligible cadre among 5 candidate pairs")
    assert "own district" in v.reason and "rank" in v.reason


def test_quota_min_above_eligible_cadres() -> None:
    """At least 3 county full-timers, but only 2 posts and 2 county cadres exist."""
    raw = two_towns()
    raw["rules"]["source_quotas"] = [{"name": "county FT", "level": "county", "min": 3}]
    _, res = solved(raw)
    (c,) = res.conflicts
    assert c.rules == ("source_quotas[0]",) and (c.needed, c.available) == (3, 2)
    assert "lower the minimum" in c.relaxation


def test_quota_max_leaves_too_few_other_cadres() -> None:
    """No city full-timer and D gone: 2 full-time posts, 1 other eligible cadre (C)."""
    raw = two_towns()
    raw["cadres"] = [c for c in raw["cadres"] if c["id"] != "D"]
    raw["rules"]["source_quotas"] = [{"name": "no city FT", "level": "city", "max": 0}]
    _, res = solved(raw)
    (c,) = res.conflicts
    assert (c.needed, c.available) == (2, 1) and "raise the maximum" in c.relaxation


def test_quota_minimums_together_exceed_posts() -> None:
    """City ≥ 2 and county ≥ 1 full-time posts, with only 2 posts: both quotas named."""
    raw = two_towns()
    raw["rules"]["source_quotas"] = [
        {"name": "city", "level": "city", "min": 2},
        {"name": "county", "level": "county", "min": 1},
    ]
    _, res = solved(raw)
    assert any(c.rules == ("source_quotas[0]", "source_quotas[1]") for c in res.conflicts)


def test_skill_mix_without_skilled_cadre() -> None:
    """Nobody has law skills: the weak community's skill mix cannot hold."""
    raw = two_towns()
    raw["rules"]["skill_mix"] = [{"name": "law helper", "any_of": ["law"]}]
    _, res = solved(raw)
    (c,) = res.conflicts
    assert c.communities == ("N1",) and (c.needed, c.available) == (1, 0)
    assert "law helper" in c.message


def test_skill_mix_above_post_count() -> None:
    """Two finance part-timers wanted where N1 has one part-time post."""
    raw = two_towns()
    raw["rules"]["skill_mix"] = [{"any_of": ["finance"], "min_count": 2}]
    _, res = solved(raw)
    (c,) = res.conflicts
    assert (c.needed, c.available) == (2, 1)


def test_lock_of_ineligible_pair() -> None:
    """Locking county cadre C into 古塔区 breaks own-district: reported naming that rule."""
    raw = two_towns()
    raw["rules"]["locks"] = [{"cadre": "C", "community": "N1", "post_type": "full-time"}]
    _, res = solved(raw)
    (c,) = res.conflicts
    assert res.status is Status.INFEASIBLE and c.rules == ("locks", "own_district")
    assert "own district" in c.message and "remove the lock" in c.relaxation


def test_locks_that_clash() -> None:
    """Two cadres locked to the single full-time post of N1."""
    raw = two_towns()
    raw["rules"]["locks"] = [
        {"cadre": "A", "community": "N1", "post_type": "full-time"},
        {"cadre": "E", "community": "N1", "post_type": "full-time"},
    ]
    _, res = solved(raw)
    (c,) = res.conflicts
    assert (c.needed, c.available) == (2, 1) and c.communities == ("N1",)


def test_side_rules_that_clash_only_together() -> None:
    """Finance helper at N1 vs no part-time from the two finance bureaux: the MIP proves it
    and both rules are offered as relaxations."""
    raw = two_towns()
    raw["rules"]["skill_mix"] = [{"name": "finance helper", "any_of": ["finance"]}]
    raw["rules"]["source_quotas"] = [
        {
            "name": "bureaux busy",
            "post_type": "part-time",
            "units": ["市财政局", "古塔区财政局"],
            "max": 0,
        }
    ]
    _, res = solved(raw)
    (c,) = res.conflicts
    assert res.status is Status.INFEASIBLE
    assert "finance helper" in c.relaxation and "bureaux busy" in c.relaxation


def test_side_clash_is_narrowed_to_the_rules_that_conflict() -> None:
    """A third, slack quota is left out of the clash; the message names only the two rules."""
    raw = two_towns()
    raw["rules"]["skill_mix"] = [{"name": "finance helper", "any_of": ["finance"]}]
    raw["rules"]["source_quotas"] = [
        {"name": "slack", "post_type": "full-time", "level": "city", "max": 2},
        {"name": "bureaux busy", "post_type": "part-time", "units": ["市财政局", "古塔区财政局"],
         "max": 0},
    ]  # fmt: skip
    for method in ("auto", "mip"):
        raw["settings"] = {"method": method}
        _, res = solved(raw)
        (c,) = res.conflicts
        assert res.status is Status.INFEASIBLE
        assert {"skill_mix[0]", "source_quotas[1]"} <= set(c.rules)
        assert "source_quotas[0]" not in c.rules and "slack" not in c.message + c.relaxation


def test_mip_infeasibility_without_side_rules_is_a_hall_violator() -> None:
    """With neither quotas nor skill mix, --method mip names the posts, not side rules."""
    raw = two_towns()
    raw["rules"]["rank_floors"] = [{"name": "all need 副县", "min_rank": "副县", "where": {}}]
    raw["settings"] = {"method": "mip"}
    _, res = solved(raw)
    (c,) = res.conflicts
    assert res.status is Status.INFEASIBLE
    assert "quota" not in c.message and "skill" not in c.message
    assert "rank_floors[0]" in c.rules and (c.needed, c.available) == (2, 1)


def test_conflict_names_the_rule_by_its_index_among_all_rules() -> None:
    """With skill_mix[0] switched off, the failing mix is reported as skill_mix[1]."""
    raw = two_towns()
    raw["rules"]["skill_mix"] = [
        {"name": "off", "enabled": False, "any_of": ["finance"]},
        {"name": "law helper", "any_of": ["law"]},
    ]
    _, res = solved(raw)
    (c,) = res.conflicts
    assert res.status is Status.INFEASIBLE and c.rules == ("skill_mix[1]",)


def test_locks_per_type_clash_does_not_cite_a_rule_that_is_off() -> None:
    """One post per cadre off: two full-time locks of one cadre name only the locks."""
    raw = two_towns()
    raw["rules"]["one_post_per_cadre"] = {"enabled": False}
    raw["rules"]["locks"] = [
        {"cadre": "E", "community": "N1", "post_type": "full-time"},
        {"cadre": "E", "community": "S1", "post_type": "full-time"},
    ]
    _, res = solved(raw)
    assert res.status is Status.INFEASIBLE
    assert all("one_post_per_cadre" not in c.rules for c in res.conflicts)
