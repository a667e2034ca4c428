"""Side constraints on the two-town round: source quotas and skill mix, binding and not.

Base plan: full-time A (city) at N1, C (county) at S1; part-time E (city) at N1, B (city) at
S1. A skill mix is kept inside the network (skilled posts, method split-flow); one binding
quota is priced by its Lagrangian multiplier (method flow+lagrangian); a slack rule leaves the
flow optimum standing, which is then optimal for the full problem.
"""

from __future__ import annotations

from matcher.engine.result import Status
from matcher.engine.solve import solve
from matcher.model.settings import SolveSettings
from tests.matcher.engine_fixtures import BASE_PLAN, plan_of, problem_of, solved, two_towns


def test_quota_max_binds() -> None:
    """No city cadre in full-time posts: D and C (county) take them; max 0 closes the city
    cadres' full-time arcs (an exact reduction), and the network optimum is then optimal."""
    raw = two_towns()
    raw["rules"]["source_quotas"] = [{"name": "no city FT", "level": "city", "max": 0}]
    _, res = solved(raw)
    assert res.status is Status.OPTIMAL and res.method == "flow"
    assert any("no city FT" in n for n in res.notes)
    plan = plan_of(res)
    assert plan[("N1", "full-time")] == "D" and plan[("S1", "full-time")] == "C"


def test_quota_min_binds() -> None:
    """Both part-time posts to county cadres: D at N1 and C at S1."""
    raw = two_towns()
    raw["rules"]["source_quotas"] = [
        {"name": "county helpers", "post_type": "part-time", "level": "county", "min": 2}
    ]
    _, res = solved(raw)
    plan = plan_of(res)
    assert res.status is Status.OPTIMAL
    assert plan[("N1", "part-time")] == "D" and plan[("S1", "part-time")] == "C"


def test_quota_by_units_binds() -> None:
    """A unit quota (市交通局 max 0 part-time) keeps E out of part-time posts."""
    raw = two_towns()
    raw["rules"]["source_quotas"] = [{"post_type": "part-time", "units": ["市交通局"], "max": 0}]
    _, res = solved(raw)
    assert not any(a.cadre_id == "E" and a.post_type == "part-time" for a in res.assignments)


def test_quota_does_not_bind() -> None:
    """City ≤ 1 full-time post already holds in the flow optimum: optimal by flow, noted."""
    raw = two_towns()
    raw["rules"]["source_quotas"] = [{"level": "city", "max": 1}]
    _, res = solved(raw)
    assert res.status is Status.OPTIMAL and res.method == "flow"
    assert plan_of(res) == BASE_PLAN
    assert any("keeps every side constraint" in n for n in res.notes)


def test_quota_disabled_does_not_bind() -> None:
    """A disabled quota is ignored."""
    raw = two_towns()
    raw["rules"]["source_quotas"] = [{"level": "city", "max": 0, "enabled": False}]
    _, res = solved(raw)
    assert plan_of(res) == BASE_PLAN and not res.notes


def test_skill_mix_binds() -> None:
    """Weak N1 needs a finance part-timer: E (transport) gives way to D (finance)."""
    raw = two_towns()
    raw["rules"]["skill_mix"] = [{"any_of": ["finance"]}]
    _, res = solved(raw)
    assert res.status is Status.OPTIMAL and res.method == "split-flow"
    assert plan_of(res)[("N1", "part-time")] in {"B", "D"}


def test_skill_mix_does_not_bind() -> None:
    """A transport part-timer is already there (E): the flow optimum stands."""
    raw = two_towns()
    raw["rules"]["skill_mix"] = [{"any_of": ["交通"]}]
    _, res = solved(raw)
    assert res.method == "split-flow" and plan_of(res) == BASE_PLAN


def test_methods_agree_on_side_constraints() -> None:
    """flow+mip, plain mip and CP-SAT reach the same optimum under quota and skill mix."""
    raw = two_towns()
    raw["rules"]["skill_mix"] = [{"any_of": ["finance"]}]
    raw["rules"]["source_quotas"] = [{"level": "city", "max": 1}]
    _, problem = problem_of(raw)
    objectives = {
        m: solve(problem, SolveSettings(method=m, seed=1)).objective
        for m in ("auto", "mip", "cpsat")
    }
    assert len(set(objectives.values())) == 1 and None not in objectives.values()


def test_method_flow_with_broken_side_rules_reports_a_relaxation() -> None:
    """Insisting on method 'flow' returns only the bound and says which rule it breaks."""
    raw = two_towns()
    raw["rules"]["skill_mix"] = [{"any_of": ["finance"]}]
    _, problem = problem_of(raw)
    res = solve(problem, SolveSettings(method="flow"))
    assert res.status is Status.UNKNOWN and res.bound == -739
    assert any("N1" in n for n in res.notes)
