"""The split network (skill mix as skilled posts) and the one-row Lagrangian search against
the side-row formulation (plain HiGHS MIP over all arcs) on small random rounds."""

from __future__ import annotations

import math
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matcher.engine.mip import solve_mip
from matcher.engine.result import Status
from matcher.engine.solve import solve
from matcher.engine.split_network import solve_split
from matcher.model.settings import SolveSettings
from tests.matcher.engine_fixtures import problem_of, two_towns

SKILLS = ["finance", "transport", "law"]
DISTRICTS = [{"code": "210702", "name": "古塔区"}, {"code": "210703", "name": "凌河区"}]


@st.composite
def medium_rounds(draw: st.DrawFn) -> dict[str, Any]:
    """4–6 communities × (1 + 2) posts, 10–18 cadres, a city quota and a weak skill mix."""
    n_com = draw(st.integers(4, 6))
    n_cad = draw(st.integers(10, 18))
    lat = st.floats(41.0, 41.1)
    coms = [
        {
            "id": f"M{j}",
            "name": f"社区{j}",
            "district": DISTRICTS[j % 2],
            "location": {"lon": 121.1, "lat": draw(lat)},
            "weak": draw(st.booleans()),
            "stars": draw(st.integers(0, 5)),
            "posts": {"full_time": 1, "part_time": draw(st.integers(1, 2))},
            "required_skills": {"part_time": draw(st.lists(st.sampled_from(SKILLS), max_size=1))},
        }
        for j in range(n_com)
    ]
    cads = [
        {
            "id": f"K{i:02d}",
            "name": f"干部{i}",
            "unit": "u1",
            "level": draw(st.sampled_from(["city", "county"])),
            "political_status": "中共党员",
            "home_district": DISTRICTS[i % 2]["code"],
            "rank": draw(st.sampled_from(["科员", "副科", "正科", "副县"])),
            "skills": draw(st.lists(st.sampled_from(SKILLS), max_size=2)),
            "location": {"lon": 121.1, "lat": draw(lat)},
        }
        for i in range(n_cad)
    ]
    lo, hi = draw(st.sampled_from([(None, 0), (None, 1), (2, None), (3, 3), (n_com, None)]))
    rules: dict[str, Any] = {
        "max_distance": {"km": 30},
        "coverage": {"allow_vacancies": draw(st.booleans())},
        "source_quotas": [{"post_type": "full-time", "level": "city", "min": lo, "max": hi}],
        "skill_mix": [
            {
                "post_type": "part-time",
                "where": {"weak": True},
                "any_of": draw(st.lists(st.sampled_from(SKILLS), min_size=1, unique=True)),
                "min_count": draw(st.integers(1, 2)),
            }
        ],
    }
    weights = {"vacancy_full_time": 5_000, "vacancy_part_time": 2_000}
    # generated points may coincide: distinct communities by construction (no twin check)
    return {
        "identity": {"community_distance_m": 0},
        "communities": coms,
        "cadres": cads,
        "rules": rules,
        "weights": weights,
    }


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(medium_rounds())
def test_split_network_equals_side_row_formulation(raw: dict[str, Any]) -> None:
    """A plan from the split network (+ Lagrangian) costs the side-row MIP optimum, and its
    bound never exceeds it."""
    _, p = problem_of(raw)
    mip = solve_mip(p, SolveSettings(relative_gap=0.0), 30.0)
    fast = solve_split(p, math.inf)
    if mip.status == "infeasible":
        assert fast.solution is None
        return
    assert mip.status == "optimal" and mip.objective is not None
    if fast.bound is not None:
        assert fast.bound <= mip.objective + 1e-6
    if fast.solution is not None:
        assert fast.solution.cost(p) == mip.objective


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(medium_rounds())
def test_auto_equals_mip_on_medium_rounds(raw: dict[str, Any]) -> None:
    """Whatever path ``auto`` takes, it proves the same optimum as the plain MIP."""
    _, p = problem_of(raw)
    auto = solve(p, SolveSettings(seed=1, relative_gap=0.0))
    mip = solve(p, SolveSettings(method="mip", seed=1, relative_gap=0.0))
    assert auto.status is mip.status
    if mip.status is Status.OPTIMAL:
        assert auto.objective == mip.objective


def test_stop_during_the_row_search_returns_without_proof() -> None:
    """A stop request after the first poll ends the Lagrangian phase: feasible or unknown,
    with the network bound, never an exception or a claimed optimum."""
    raw = two_towns()
    quota = {"name": "a county part-timer", "level": "county", "post_type": "part-time", "min": 1}
    raw["rules"]["source_quotas"] = [quota]  # breaks the network plan; not saturated
    _, p = problem_of(raw)
    polls = iter([False])
    res = solve(p, SolveSettings(seed=1), should_stop=lambda: next(polls, True))
    assert res.status in (Status.FEASIBLE, Status.UNKNOWN)
    assert res.bound is not None
    if res.objective is not None:
        assert res.objective >= res.bound
