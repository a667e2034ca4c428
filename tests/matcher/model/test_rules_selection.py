"""Selection rules on the two-town round (see test_rules_eligibility): required clearances and
cadre selectors in rank floors, skill mix and quotas — each once binding and once not."""

from __future__ import annotations

from typing import Any

from matcher import validate_round
from matcher.analysis.explain import Explainer
from matcher.model.io.roster import unplaced_table
from tests.matcher.engine_fixtures import BASE_PLAN, all_pairs, plan_of, solved, two_towns


def _cleared(raw: dict[str, Any], *who: str, status: str = "cleared") -> None:
    for cad in raw["cadres"]:
        if cad["id"] in who:
            cad["clearances"] = [{"department": "纪检监察", "status": status}]


def test_required_clearance_binds_and_is_explained() -> None:
    """A's discipline clearance is pending: A is pruned from all 4 posts, C takes N1, and the
    explanation names 纪检监察（待审）."""
    raw = two_towns()
    raw["rules"]["clearances"] = {"required": ["discipline"]}
    _cleared(raw, "B", "C", "D", "E")
    _cleared(raw, "A", status="pending")
    problem, res = solved(raw)
    k = problem.prune_rules.index("clearances")
    assert problem.group_pruned[:, k].tolist() == [1, 1, 1, 1]
    assert "A" not in plan_of(res).values()
    rnd = validate_round(raw)
    why = Explainer(rnd, all_pairs(rnd), problem, res).cadre("A").why
    assert "纪检监察（待审）" in why and "missing clearance" in why


def test_required_clearance_does_not_bind_when_all_cleared() -> None:
    """Everyone cleared by 纪检监察: the base plan stands and the rule prunes nothing."""
    raw = two_towns()
    raw["rules"]["clearances"] = {"required": ["纪检监察"]}
    _cleared(raw, "A", "B", "C", "D", "E")
    problem, res = solved(raw)
    assert plan_of(res) == BASE_PLAN
    assert problem.group_pruned[:, problem.prune_rules.index("clearances")].sum() == 0


def _backbone_floor(raw: dict[str, Any]) -> None:
    raw["rules"]["rank_floors"] = [
        {
            "min_rank": "科员",
            "where": {"weak": True},
            "cadres": {"secretary_types": ["骨干型", "示范型"]},
        }
    ]


def test_rank_floor_selector_binds() -> None:
    """Weak N1's secretary must be 骨干型 or 示范型: only E (示范型) is, so E takes N1 full-time."""
    raw = two_towns()
    _backbone_floor(raw)
    raw["cadres"][4]["secretary_type"] = "示范型"
    _, res = solved(raw)
    assert plan_of(res)[("N1", "full-time")] == "E"


def test_rank_floor_selector_does_not_bind() -> None:
    """A is 骨干型 already: the base plan stands."""
    raw = two_towns()
    _backbone_floor(raw)
    raw["cadres"][0]["secretary_type"] = "backbone"
    _, res = solved(raw)
    assert plan_of(res) == BASE_PLAN


def _party_mix(raw: dict[str, Any], member: str) -> None:
    """Only ``member`` is a Party member; the first-secretary default rule is switched off so
    that the skill mix's selector is the only rule reading membership."""
    raw["rules"]["skill_mix"] = [{"post_type": "part-time", "cadres": {"party_member": True}}]
    raw["rules"]["party_secretary"] = {"enabled": False}
    for cad in raw["cadres"]:
        cad["political_status"] = "中共党员" if cad["id"] == member else "群众"


def test_skill_mix_selector_binds() -> None:
    """Weak N1's part-timer must be a party member: only D is, so D takes it instead of E."""
    raw = two_towns()
    _party_mix(raw, "D")
    _, res = solved(raw)
    assert plan_of(res)[("N1", "part-time")] == "D"


def test_skill_mix_selector_does_not_bind() -> None:
    """E is a party member: the base plan stands."""
    raw = two_towns()
    _party_mix(raw, "E")
    _, res = solved(raw)
    assert plan_of(res) == BASE_PLAN


def _reserve_quota(raw: dict[str, Any], *reserve: str) -> None:
    raw["rules"]["source_quotas"] = [{"cadres": {"reserve": True}, "min": 2}]
    for cad in raw["cadres"]:
        cad["reserve"] = cad["id"] in reserve


def test_quota_selector_binds() -> None:
    """Both full-time posts go to reserve cadres C and E: E leaves the part-time post for N1."""
    raw = two_towns()
    _reserve_quota(raw, "C", "E")
    _, res = solved(raw)
    plan = plan_of(res)
    assert {plan[("N1", "full-time")], plan[("S1", "full-time")]} == {"C", "E"}


def test_quota_selector_does_not_bind() -> None:
    """A and C, the base full-time holders, are the reserve cadres: the base plan stands."""
    raw = two_towns()
    _reserve_quota(raw, "A", "C")
    _, res = solved(raw)
    assert plan_of(res) == BASE_PLAN


def test_disqualified_cadre_is_explained_by_the_condition_in_words() -> None:
    """A with free text 正在接受纪律审查 is matched to D07 and the explanation cites its text."""
    raw = two_towns()
    raw["cadres"][0]["disqualifications"] = [{"code": "正在接受纪律审查"}]
    problem, res = solved(raw)
    rnd = validate_round(raw)
    why = Explainer(rnd, all_pairs(rnd), problem, res).cadre("A").why
    assert "不得当选情形 D07 正在接受纪律审查、监察调查" in why


def test_roster_cites_conditions_and_clearances_in_words() -> None:
    """The roster's table of cadres without a post gives A's condition (D07) in words and C's
    missing clearance (纪检监察 pending) as the reason."""
    raw = two_towns()
    raw["rules"]["clearances"] = {"required": ["discipline"]}
    _cleared(raw, "B", "D", "E")
    _cleared(raw, "C", status="pending")
    raw["cadres"][0]["disqualifications"] = [{"code": "D07"}]
    raw["rules"]["coverage"] = {"allow_vacancies": True}
    _, res = solved(raw)
    head, rows = unplaced_table(validate_round(raw), res)
    why = {r[-1]: r[head.index("未安排原因")] for r in rows}
    assert why["A"].startswith("存在不得当选情形：D07 正在接受纪律审查")
    assert why["C"] == "资格联审缺项：纪检监察（待审）"
