"""The default rules on the two-town round: first secretary a Party member, vetting obeyed.

Each binds and does not bind through every engine method, 规则核对 lists it with ✓/✗ or
"未启用", explanations name the bar in Chinese, and infeasibility caused by it names it.
Base plan (see engine_fixtures.BASE_PLAN): A first secretary of weak N1, C of S1.
"""

from __future__ import annotations

from typing import Any

import pytest

from matcher import validate_round
from matcher.analysis.explain import Explainer
from matcher.analysis.rule_check import check_rules
from matcher.engine.problem import build_problem
from matcher.engine.solve import solve
from matcher.model.io.reasons import Reasons
from matcher.model.settings import SolveSettings
from matcher.model.validate import validate_round_report
from tests.matcher.engine_fixtures import BASE_PLAN, all_pairs, arc_set, plan_of, two_towns

METHODS = ("auto", "flow", "mip", "cpsat")


def _solve_all(raw: dict[str, Any]) -> dict[str, Any]:
    """The round solved by every method: method → (round, problem, result)."""
    rnd = validate_round(raw)
    pairs = all_pairs(rnd)
    problem = build_problem(rnd, pairs)
    return {
        m: (rnd, pairs, problem, solve(problem, SolveSettings(method=m, seed=1))) for m in METHODS
    }


def _check(rnd: Any, res: Any, name: str) -> tuple[str, str]:
    (row,) = [c for c in check_rules(rnd, res) if c.rule.startswith(name)]
    return row.mark(), row.plan


def _first_secretaries(res: Any) -> set[str]:
    return {a.cadre_id for a in res.assignments if a.post_type == "full-time" and a.cadre_id}


@pytest.mark.parametrize("status", ["群众", "共青团员", "中共预备党员", None])
def test_party_rule_binds_for_non_members_and_unknown_status(status: str | None) -> None:
    """A (群众 / 团员 / 预备党员 / no status) is never a first secretary, by every method."""
    raw = two_towns()
    raw["cadres"][0].pop("political_status")
    if status:
        raw["cadres"][0]["political_status"] = status
    solved = _solve_all(raw)
    objectives = set()
    for rnd, _, problem, res in solved.values():
        assert res.is_feasible() and "A" not in _first_secretaries(res)
        assert not any(c == "A" and t == "full-time" for c, _, t in arc_set(problem))
        assert _check(rnd, res, "第一书记须为中共党员") == ("✓", "2 / 2")
        objectives.add(res.objective)
    assert len(objectives) == 1 and plan_of(solved["auto"][3]) != BASE_PLAN


def test_party_rule_does_not_bind_when_members_or_probationary_admitted() -> None:
    """A 预备党员 with ``probationary: true``, or all members: the base plan stands."""
    raw = two_towns()
    raw["cadres"][0]["political_status"] = "中共预备党员"
    raw["rules"]["party_secretary"] = {"probationary": True}
    for rnd, _, _, res in _solve_all(raw).values():
        assert plan_of(res) == BASE_PLAN
        assert _check(rnd, res, "第一书记须为中共党员") == ("✓", "2 / 2")


def test_party_rule_switched_off_is_reported() -> None:
    """Switched off, 群众 A is first secretary again and 规则核对 says 未启用 and counts him."""
    raw = two_towns()
    raw["cadres"][0]["political_status"] = "群众"
    raw["rules"]["party_secretary"] = {"enabled": False}
    for rnd, _, _, res in _solve_all(raw).values():
        assert plan_of(res) == BASE_PLAN
        mark, plan = _check(rnd, res, "第一书记须为中共党员")
        assert mark == "—" and "1名第一书记非党员或政治面貌不详" in plan


def test_missing_status_is_warned_at_validation() -> None:
    """Cadres without 政治面貌 are named in a warning; unreadable text is warned at its row."""
    raw = two_towns()
    raw["cadres"][0].pop("political_status")
    raw["cadres"][1]["political_status"] = "待查"
    _, warnings = validate_round_report(raw)
    texts = [w.zh or w.message for w in warnings]
    assert any("1名干部未填写政治面貌（A）" in t for t in texts)
    assert any("政治面貌“待查”无法识别" in t for t in texts)


def test_explanation_names_the_party_bar() -> None:
    """A 群众 who accepts only 脱产 is unplaced; the explanation and roster say why."""
    raw = two_towns()
    raw["cadres"][0] |= {"political_status": "群众", "availability": "full-time"}
    rnd, pairs, problem, res = _solve_all(raw)["auto"]
    assert "A" in res.unplaced_cadres
    why = Explainer(rnd, pairs, problem, res, lang="zh").cadre("A").why
    assert "非中共党员，不能担任第一书记" in why and "第一书记须为中共党员" in why
    assert Reasons(rnd, "zh").unplaced("A", 0) == "非中共党员，不能担任第一书记"


def test_infeasibility_names_the_party_rule() -> None:
    """Nobody a Party member: the first-secretary posts cannot be filled, and the report says
    which rule emptied them."""
    raw = two_towns()
    for cad in raw["cadres"]:
        cad["political_status"] = "群众"
    _, _, _, res = _solve_all(raw)["auto"]
    assert not res.is_feasible()
    text = " ".join(c.message + " " + " ".join(c.rules) for c in res.conflicts)
    assert "party_secretary" in text and "a first secretary must be a Party member" in text


@pytest.mark.parametrize(
    ("status", "pending", "barred"),
    [
        ("待审", "any", True),  # a case under investigation, department not required
        ("不通过", "any", True),
        ("不通过", "required", True),
        ("待审", "required", False),  # only required departments' pending answers bar
        ("通过", "any", False),
    ],
)
def test_vetting_answers_bind_or_not(status: str, pending: str, barred: bool) -> None:
    """A's 纪检 answer bars him from every post (or not), by every method; the rule check
    counts placed cadres with a barring answer."""
    raw = two_towns()
    raw["cadres"][0]["clearances"] = [{"department": "纪检", "status": status}]
    raw["rules"]["vetting"] = {"pending": pending}
    for rnd, _, problem, res in _solve_all(raw).values():
        placed = {a.cadre_id for a in res.assignments}
        assert ("A" not in placed) is barred
        assert any(c == "A" for c, _, _ in arc_set(problem)) is not barred
        assert _check(rnd, res, "资格联审意见") == ("✓", "安排0人")
        if not barred:
            assert plan_of(res) == BASE_PLAN


def test_vetting_switched_off_places_the_pending_cadre_and_says_so() -> None:
    """Switched off, pending A keeps his base post; 规则核对 says 未启用 and counts him."""
    raw = two_towns()
    raw["cadres"][0]["clearances"] = [{"department": "纪检", "status": "待审"}]
    raw["rules"]["vetting"] = {"enabled": False}
    rnd, _, _, res = _solve_all(raw)["auto"]
    assert plan_of(res) == BASE_PLAN
    assert _check(rnd, res, "资格联审意见") == ("—", "未启用：安排1人")


def test_explanation_names_the_vetting_bar() -> None:
    """A pending 纪检 answer: the unplaced cadre's explanation says 纪检监察审查待定."""
    raw = two_towns()
    raw["cadres"][0]["clearances"] = [{"department": "纪检", "status": "待审"}]
    rnd, pairs, problem, res = _solve_all(raw)["auto"]
    why = Explainer(rnd, pairs, problem, res, lang="zh").cadre("A").why
    assert "纪检监察审查待定" in why and "资格联审未通过或审查待定" in why
    assert Reasons(rnd, "zh").unplaced("A", 0) == "纪检监察审查待定"


def test_availability_is_reported_and_warned_when_off() -> None:
    """E asked for 兼职 only: never sent 脱产 (✓); switched off, validation warns and
    规则核对 says 未启用 with the count sent against the wish."""
    raw = two_towns()
    raw["cadres"][4]["availability"] = "只愿兼职"
    rnd, _, _, res = _solve_all(raw)["auto"]
    assert rnd.cadres[4].availability.value == "part-time"
    assert _check(rnd, res, "本人意愿")[0] == "✓"
    raw["rules"]["availability"] = {"enabled": False}
    _, warnings = validate_round_report(raw)
    assert any("“本人意愿（岗位类型）”规则已关闭：1名干部" in (w.zh or "") for w in warnings)
    rnd, _, _, res = _solve_all(raw)["auto"]
    mark, plan = _check(rnd, res, "本人意愿")
    assert mark == "—" and plan.startswith("未启用：")
