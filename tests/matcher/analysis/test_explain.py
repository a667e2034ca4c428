"""Explanations on the tiny round: cost terms, alternatives, move costs, vacancies, unplaced."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from matcher.analysis.explain import Explainer
from matcher.analysis.scenario import Scenario, apply_scenario
from matcher.model.validate import validate_round
from tests.matcher.analysis.explain_fixtures import Solved, solve_round, tiny, tiny_raw

SCENARIOS = Path(__file__).resolve().parents[2] / "data" / "scenarios"


def explainer(s: Solved) -> Explainer:
    return Explainer(s.round, s.pairs, s.problem, s.result)


def test_post_terms_sum_to_cost_and_alternatives_are_cheapest_first() -> None:
    """Each post's terms add up to its cost; alternatives are the k cheapest non-holders."""
    s = tiny()
    ex = explainer(s)
    for a in s.result.assignments:
        e = ex.post(a.community_id, a.post_type, a.slot)
        assert sum(e.terms.values()) == e.cost == a.cost
        assert len(e.alternatives) <= 3
        costs = [alt.cost for alt in e.alternatives]
        assert costs == sorted(costs)
        assert a.cadre_id not in {alt.cadre_id for alt in e.alternatives}
        for alt in e.alternatives:
            assert alt.cost_difference == alt.cost - e.cost
            assert sum(alt.terms.values()) == alt.cost


def test_rule_excluded_alternatives_name_the_rule() -> None:
    """LH01's first secretary: C03 is kept out by own-district, C02/C05 by availability."""
    ex = explainer(tiny())
    e = ex.post("LH01", "full-time")
    assert e.cadre_id == "C04"
    by_id = {alt.cadre_id: alt for alt in e.alternatives}
    assert by_id["C03"].status == "excluded"
    assert any("own district" in r for r in by_id["C03"].excluded_by)
    assert any("available" in r for r in by_id["C02"].excluded_by)
    assert by_id["C02"].move_cost is None


def test_exact_move_cost_matches_an_independent_locked_solve() -> None:
    """GT01's first secretary: moving C01 there costs exactly what a locked re-solve says."""
    s = tiny()
    e = explainer(s).post("GT01", "full-time", exact=True)
    c01 = next(alt for alt in e.alternatives if alt.cadre_id == "C01")
    assert c01.status == "holds" and c01.holds == "GT02/full-time"
    assert c01.move_cost_kind == "exact"
    lock = {"cadre": "C01", "community": "GT01", "post_type": "full-time"}
    forced = solve_round(apply_scenario(s.round, Scenario(locks=[lock])), s.pairs)
    assert forced.result.is_optimal()
    assert s.result.objective is not None and forced.result.objective is not None
    assert c01.move_cost == forced.result.objective - s.result.objective
    assert c01.move_cost > 0  # the optimum is unique here: any move costs


def test_estimates_never_undercut_the_exact_figure() -> None:
    """A one-step repair is a real plan, so its estimate is ≥ the exact re-plan cost."""
    s = tiny()
    ex = explainer(s)
    for a in s.result.assignments:
        rough = ex.post(a.community_id, a.post_type, a.slot)
        exact = ex.post(a.community_id, a.post_type, a.slot, exact=True)
        for r, x in zip(rough.alternatives, exact.alternatives, strict=True):
            if r.move_cost is not None and x.move_cost is not None:
                assert r.move_cost_kind == "estimate"
                assert r.move_cost >= x.move_cost


def test_unplaced_disqualified_cadre_is_explained_by_the_rule() -> None:
    """C06 has no post because it is disqualified (and below the weak-community rank floor)."""
    [c06] = explainer(tiny()).unplaced()
    assert c06.cadre_id == "C06" and c06.eligible_posts == 0
    assert "disqualified" in c06.why
    assert c06.excluded["disqualified"] == c06.candidate_posts


def test_unplaced_eligible_cadre_is_dearer_than_the_holder() -> None:
    """The added spare C07 could serve LH01, but C04 lives closer: the why says how much."""
    spare = Scenario.model_validate_json((SCENARIOS / "spare_near_lh01.json").read_text())
    s = solve_round(apply_scenario(validate_round(tiny_raw()), spare))
    ex = explainer(s)
    c07 = ex.cadre("C07")
    assert c07.eligible_posts == 1 and c07.best_post == "LH01/full-time"
    assert c07.best is not None and c07.best.cost_difference > 0
    assert "0.6 km farther from the community" in c07.best.why  # kilometres, not points
    assert "point" not in c07.best.why and "cost" not in c07.best.why
    e = ex.post("LH01", "full-time")
    alt = next(a for a in e.alternatives if a.cadre_id == "C07")
    assert alt.status == "free" and alt.move_cost == alt.cost_difference


def test_vacancy_says_which_rules_leave_it_empty() -> None:
    """With a 0.5 km limit and vacancies allowed, the part-time posts stay empty: distance
    rules out everyone for GT01, and GT02's one eligible cadre holds its full-time post."""
    raw = tiny_raw()
    raw["rules"]["max_distance"] = {"km": 0.5}
    raw["rules"]["skill_mix"] = []
    raw["rules"]["coverage"] = {"allow_vacancies": True}
    s = solve_round(validate_round(raw))
    assert s.result.is_feasible()
    ex = explainer(s)
    vacant = [a for a in s.result.assignments if a.vacant]
    assert {(a.community_id, a.post_type) for a in vacant} == {
        ("GT01", "part-time"),
        ("GT02", "part-time"),
    }
    gt01 = ex.post("GT01", "part-time")
    assert gt01.cadre_id is None and gt01.eligible == 0
    assert gt01.why.startswith("vacant: the rules exclude all")
    assert gt01.excluded["beyond the maximum distance"] >= 1
    gt02 = ex.post("GT02", "part-time")
    assert gt02.eligible == 1 and "hold other posts" in gt02.why
    [c03] = [alt for alt in gt02.alternatives if alt.status == "holds"]
    assert c03.cadre_id == "C03" and c03.holds == "GT02/full-time"


def test_explanations_are_json_ready() -> None:
    """Every explanation of the plan serialises to JSON."""
    s = tiny()
    ex = explainer(s)
    body = [e.to_dict() for e in ex.plan()] + [c.to_dict() for c in ex.unplaced()]
    assert json.loads(json.dumps(body, ensure_ascii=False))


def test_unknown_post_is_a_clear_error() -> None:
    """Asking about a post the plan lacks raises KeyError naming it."""
    with pytest.raises(KeyError, match="河东社区 part-time member 1"):
        explainer(tiny()).post("LH01", "part-time")


def test_cheaper_free_cadre_blocked_by_a_quota_says_which() -> None:
    """With at most 1 county first secretary, city spare C08 serves LH01 although county C04
    lives closer: C04's why names the quota it would break."""
    raw = tiny_raw()
    raw["cadres"].append(
        {"id": "C08", "name": "吴八", "unit": "市住建局", "level": "city",
         "political_status": "中共党员", "home_district": "210703", "rank": "科员",
         "availability": "full-time",
         "location": {"lon": 121.165, "lat": 41.125}}
    )  # fmt: skip
    raw["rules"]["source_quotas"] = [
        {"name": "at most 1 county first secretary", "level": "county", "max": 1}
    ]
    s = solve_round(validate_round(raw))
    e = explainer(s).post("LH01", "full-time")
    assert e.cadre_id == "C08"
    c04 = next(a for a in e.alternatives if a.cadre_id == "C04")
    assert c04.status == "free" and c04.cost_difference < 0
    assert "would break: at most 1 county first secretary" in c04.why


def test_barred_cadre_out_of_reach_is_explained_by_the_bar_first() -> None:
    """C06, disqualified and with no clearance, lives beyond every community's search: the
    why names the condition and the missing clearance before saying nothing is in reach."""
    from geodata.pairs import candidate_pairs

    raw = tiny_raw()
    raw["cadres"][5]["location"] = {"lon": 125.0, "lat": 45.0}
    raw["rules"]["clearances"] = {"required": ["discipline"]}
    for cadre in raw["cadres"][:5]:
        cadre["clearances"] = [{"department": "discipline", "status": "cleared"}]
    rnd = validate_round(raw)
    s = solve_round(rnd, candidate_pairs(rnd, max_km=10))
    c06 = explainer(s).cadre("C06")
    assert c06.candidate_posts == 0
    reach = max(c06.why.find("周边没有可派往的社区"), c06.why.find("no community lies within"))
    assert reach > 0
    assert "D07" in c06.why[:reach] and "纪检监察" in c06.why[:reach]
