"""Pair rules on the two-town round: each rule once binding and once not.

Base optimum (-739 points, see engine_fixtures.BASE_PLAN): A (正科, at N1) takes the weak
N1 full-time post (weak pull 100·2·8/5 = 320, skill 50); E (副县, 16.1 km away) takes N1
part-time (pull 480 − 161 km points); C fills S1 full-time and B (finance) S1 part-time at
0 km. D (county, 古塔) is spare.
"""

from __future__ import annotations

from tests.matcher.engine_fixtures import BASE_PLAN, arc_set, plan_of, solved, two_towns


def test_base_plan_is_the_hand_computed_optimum() -> None:
    """Without extra rules the plan is BASE_PLAN at -739 points."""
    _, res = solved(two_towns())
    assert res.objective == -739 and plan_of(res) == BASE_PLAN


def test_max_distance_binds() -> None:
    """At 10 km nobody crosses the 11.1 km between towns; E keeps only S1 (5.0 km)."""
    raw = two_towns()
    raw["rules"]["max_distance"] = {"km": 10}
    problem, res = solved(raw)
    arcs = arc_set(problem)
    assert ("A", "S1", "full-time") not in arcs and ("E", "N1", "part-time") not in arcs
    assert ("E", "S1", "part-time") in arcs
    k = problem.prune_rules.index("max_distance")
    assert problem.group_pruned[:, k].tolist() == [3, 3, 2, 2]  # N1: B, C, E; S1: A, D
    assert plan_of(res)[("N1", "part-time")] == "D"


def test_max_distance_does_not_bind() -> None:
    """At 30 km every pair is within reach and the base plan stands."""
    problem, res = solved(two_towns())
    assert ("E", "N1", "part-time") in arc_set(problem) and plan_of(res) == BASE_PLAN
    assert problem.group_pruned[:, problem.prune_rules.index("max_distance")].sum() == 0


def test_availability_binds() -> None:
    """A full-time-only E cannot take N1 part-time; E moves to N1 full-time, A to part-time."""
    raw = two_towns()
    raw["cadres"][4]["availability"] = "full-time"
    problem, res = solved(raw)
    assert not any(c == "E" and t == "part-time" for c, _, t in arc_set(problem))
    plan = plan_of(res)
    assert plan[("N1", "full-time")] == "E" and plan[("N1", "part-time")] == "A"
    assert res.objective == -689


def test_availability_disabled_does_not_bind() -> None:
    """With the rule off, E's stated availability is ignored and the base plan stands."""
    raw = two_towns()
    raw["cadres"][4]["availability"] = "full-time"
    raw["rules"]["availability"] = {"enabled": False}
    _, res = solved(raw)
    assert plan_of(res) == BASE_PLAN


def test_rank_floor_binds() -> None:
    """副县 floor on weak full-time posts: only E qualifies for N1 full-time."""
    raw = two_towns()
    raw["rules"]["rank_floors"] = [{"name": "weak need 副县", "min_rank": "副县"}]
    problem, res = solved(raw)
    n1_ft = {c for c, m, t in arc_set(problem) if (m, t) == ("N1", "full-time")}
    assert n1_ft == {"E"}
    assert plan_of(res)[("N1", "full-time")] == "E"


def test_rank_floor_with_levels_binds() -> None:
    """A floor naming the county level excludes city cadres even of high rank."""
    raw = two_towns()
    raw["rules"]["rank_floors"] = [{"min_rank": "科员", "levels": ["county"]}]
    problem, res = solved(raw)
    n1_ft = {c for c, m, t in arc_set(problem) if (m, t) == ("N1", "full-time")}
    assert n1_ft == {"D"}  # C is county too but stays in 凌河区 (own district)
    assert plan_of(res)[("N1", "full-time")] == "D"


def test_rank_floor_does_not_bind() -> None:
    """A 科员 floor and a disabled 副县 floor prune nothing: the base plan stands."""
    raw = two_towns()
    raw["rules"]["rank_floors"] = [
        {"min_rank": "科员"},
        {"min_rank": "副县", "enabled": False},
    ]
    problem, res = solved(raw)
    assert problem.group_pruned.sum(axis=0)[problem.prune_rules.index("rank_floors[0]")] == 0
    assert plan_of(res) == BASE_PLAN


def test_own_district_binds() -> None:
    """County cadres C (凌河) and D (古塔) serve only in their home district."""
    problem, _ = solved(two_towns())
    arcs = arc_set(problem)
    assert not any(c == "C" and m == "N1" for c, m, _ in arcs)
    assert not any(c == "D" and m == "S1" for c, m, _ in arcs)


def test_own_district_does_not_bind_for_other_levels() -> None:
    """Restricted to street-level cadres, the rule lets county cadre C reach N1."""
    raw = two_towns()
    raw["rules"]["own_district"] = {"levels": ["street"]}
    problem, _ = solved(raw)
    assert ("C", "N1", "full-time") in arc_set(problem)


def test_exclude_disqualified_binds() -> None:
    """A disqualified A has no eligible pair; E takes N1 full-time instead."""
    raw = two_towns()
    raw["cadres"][0]["disqualifications"] = [{"code": "D07"}]
    problem, res = solved(raw)
    assert not any(c == "A" for c, _, _ in arc_set(problem))
    assert plan_of(res)[("N1", "full-time")] == "E"
    assert "A" in res.unplaced_cadres


def test_exclude_disqualified_off_does_not_bind() -> None:
    """With the rule off, A's record is ignored and the base plan stands."""
    raw = two_towns()
    raw["cadres"][0]["disqualifications"] = [{"code": "D07"}]
    raw["rules"]["exclude_disqualified"] = {"enabled": False}
    _, res = solved(raw)
    assert plan_of(res) == BASE_PLAN


def test_pairing_binds() -> None:
    """E's unit is paired with S1, so E serves only S1 and leaves N1 part-time to D."""
    raw = two_towns()
    raw["communities"][1]["paired_units"] = ["市交通局"]
    raw["rules"]["pairing"] = {"enabled": True}
    problem, res = solved(raw)
    assert {m for c, m, _ in arc_set(problem) if c == "E"} == {"S1"}
    assert plan_of(res)[("N1", "part-time")] == "D"


def test_pairing_disabled_does_not_bind() -> None:
    """Paired units recorded but the rule off: E still goes to N1 part-time."""
    raw = two_towns()
    raw["communities"][1]["paired_units"] = ["市交通局"]
    _, res = solved(raw)
    assert plan_of(res) == BASE_PLAN


def test_forbidden_pair_binds_per_post_type() -> None:
    """Forbidding A at N1 full-time keeps A's part-time arc; without a type both go."""
    raw = two_towns()
    raw["rules"]["forbidden_pairs"] = [{"cadre": "A", "community": "N1", "post_type": "full-time"}]
    problem, res = solved(raw)
    arcs = arc_set(problem)
    assert ("A", "N1", "full-time") not in arcs and ("A", "N1", "part-time") in arcs
    assert plan_of(res)[("N1", "full-time")] != "A"
    raw["rules"]["forbidden_pairs"] = [{"cadre": "A", "community": "N1"}]
    problem, _ = solved(raw)
    assert not any(c == "A" and m == "N1" for c, m, _ in arc_set(problem))


def test_forbidden_pair_does_not_bind() -> None:
    """Forbidding D at S1 (already out of district) changes nothing."""
    raw = two_towns()
    raw["rules"]["forbidden_pairs"] = [{"cadre": "D", "community": "S1"}]
    _, res = solved(raw)
    assert plan_of(res) == BASE_PLAN
