"""The benchmark alternatives are correct on small rounds, and the rule checker counts right."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from benchmarks import full_mip, hand_method, naive_cpsat, plain_flow
from benchmarks.checker import check
from benchmarks.outcome import placements
from benchmarks.rounds import Instance, load
from geodata.pairs import candidate_pairs
from matcher.engine.problem import build_problem
from matcher.engine.solve import solve
from matcher.model.io import read_round
from matcher.model.round import Round
from matcher.model.rules import MaxDistance, PairRef, SourceQuota

ROUNDS = Path(__file__).parents[1] / "data" / "rounds"
CLAIMED_BY_HAND = {"coverage", "source_quotas[0]", "skill_mix[0]"}


@cache
def fixture(name: str) -> Instance:
    rnd = read_round(ROUNDS / name)
    pairs = candidate_pairs(rnd)
    return Instance(rnd, pairs, build_problem(rnd, pairs))


@cache
def tight() -> Instance:
    return load("city-tight")


def _with_rules(rnd: Round, **update: object) -> Round:
    return rnd.model_copy(update={"rules": rnd.rules.model_copy(update=update)})


@pytest.mark.parametrize("name", ["tiny.json", "rules_two_towns.json"])
def test_naive_models_reach_the_engine_objective(name: str) -> None:
    """Naive CP-SAT and the full MIP prove the engine's optimum on the small fixtures."""
    inst = fixture(name)
    engine = solve(inst.problem, inst.round.settings)
    assert engine.is_optimal()
    for method in (naive_cpsat, full_mip):
        out = method.solve(inst.problem, inst.round.settings, 20.0)
        assert out.status == "optimal"
        assert out.solution is not None
        assert out.solution.cost(inst.problem) == engine.objective


def test_full_mip_matches_engine_on_the_tight_pool() -> None:
    """On the 741-post tight round the full MIP finds the engine's optimum, breaking no rule."""
    inst = tight()
    engine = solve(inst.problem, inst.round.settings)
    out = full_mip.solve(inst.problem, inst.round.settings, 60.0)
    assert out.status == "optimal" and out.solution is not None
    assert out.solution.cost(inst.problem) == engine.objective
    assert check(inst.round, placements(inst.problem, out.solution)).total == 0


def test_engine_plan_breaks_no_rule() -> None:
    """The independent checker finds nothing wrong with the engine's plans."""
    for inst in (fixture("tiny.json"), tight()):
        res = solve(inst.problem, inst.round.settings)
        plan = [(a.community_id, a.post_type, a.cadre_id) for a in res.assignments if a.cadre_id]
        assert check(inst.round, plan).total == 0


def test_plain_flow_is_a_lower_bound() -> None:
    """Plain flow ignores side rules: never above the engine, and here it breaks skill mix."""
    inst = tight()
    engine = solve(inst.problem, inst.round.settings)
    out = plain_flow.solve(inst.problem)
    assert out.solution is not None and engine.objective is not None
    assert out.solution.cost(inst.problem) <= engine.objective
    verdict = check(inst.round, placements(inst.problem, out.solution))
    assert set(verdict.breaks) <= {"source_quotas[0]", "skill_mix[0]"}


@pytest.mark.parametrize("which", ["tiny", "tight"])
def test_hand_method_keeps_the_rules_it_claims(which: str) -> None:
    """The greedy breaks only coverage, quotas or skill mix, never a pair rule or one post."""
    inst = fixture("tiny.json") if which == "tiny" else tight()
    out = hand_method.solve(inst.round, inst.problem)
    assert out.solution is not None
    verdict = check(inst.round, placements(inst.problem, out.solution))
    assert set(verdict.breaks) <= CLAIMED_BY_HAND
    engine = solve(inst.problem, inst.round.settings)
    assert engine.objective is not None
    assert engine.objective <= out.solution.cost(inst.problem)


def test_hand_method_fills_weak_communities_first() -> None:
    """With one eligible cadre for two posts, the weak community's post gets it."""
    inst = fixture("tiny.json")
    out = hand_method.solve(inst.round, inst.problem)
    assert out.solution is not None
    plan = placements(inst.problem, out.solution)
    assert ("GT01", "full-time", "C01") in plan


def test_checker_counts_an_empty_plan() -> None:
    """An empty plan breaks coverage once per post and skill mix once per weak community."""
    rnd = fixture("tiny.json").round
    verdict = check(rnd, [])
    assert verdict.breaks == {"coverage": 5, "skill_mix[0]": 1}
    assert verdict.travel_km == 0


def test_checker_counts_pair_rules() -> None:
    """Each ineligible pair counts once per rule it breaks; a second post counts once."""
    rnd = fixture("tiny.json").round
    plan = [
        ("GT01", "full-time", "C06"),  # 科员 on a weak post, and disqualified
        ("LH01", "full-time", "C03"),  # county cadre outside the home district
        ("GT02", "part-time", "C04"),  # full-time only, and outside the home district
        ("GT02", "full-time", "C01"),
        ("GT01", "part-time", "C01"),  # C01's second post, and full-time only
    ]
    verdict = check(rnd, plan)
    assert verdict.breaks == {
        "rank_floors[0]": 1,
        "exclude_disqualified": 1,
        "own_district": 2,
        "availability": 2,
        "one_post_per_cadre": 1,
        "skill_mix[0]": 1,
    }
    assert 0 < verdict.travel_km < 10


def test_checker_counts_distance_locks_forbidden_and_quotas() -> None:
    """Distance limit, unmet locks, forbidden pairs and quota excess are each counted."""
    rnd = fixture("tiny.json").round
    plan = [("GT02", "full-time", "C03"), ("LH01", "full-time", "C04")]
    rnd = _with_rules(
        rnd,
        max_distance=MaxDistance(km=0.2),
        locks=[PairRef(cadre="C01", community="GT01")],
        forbidden_pairs=[PairRef(cadre="C03", community="GT02", post_type="full-time")],
        source_quotas=[SourceQuota(level="county", max=0)],
    )
    verdict = check(rnd, plan)
    assert verdict.breaks["max_distance"] == 1  # C03 is 0.28 km from GT02, C04 0.14 km from LH01
    assert verdict.breaks["locks"] == 1
    assert verdict.breaks["forbidden_pairs"] == 1
    assert verdict.breaks["source_quotas[0]"] == 2
    assert verdict.breaks["coverage"] == 3
