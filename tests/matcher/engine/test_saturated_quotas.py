"""Quotas that decide every post of their type become closed arcs before the network (exact),
so a round with two equality quotas (Datong's shape) is settled by one Lagrangian row."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matcher.engine.result import Status
from matcher.engine.saturated_quotas import saturated_quotas
from matcher.engine.solve import solve
from matcher.model.settings import SolveSettings
from tests.matcher.engine.test_engine_split import medium_rounds
from tests.matcher.engine_fixtures import problem_of, two_towns

COUNTY_PT = {"name": "county helpers", "post_type": "part-time", "level": "county"}


def test_min_equal_to_all_posts_closes_the_other_arcs() -> None:
    """min = every part-time post: exactly the non-county part-time arcs close, and the
    proven optimum equals the MIP's."""
    raw = two_towns()
    raw["rules"]["source_quotas"] = [{**COUNTY_PT, "min": 2}]
    _, p = problem_of(raw)
    sat = saturated_quotas(p)
    a_type = p.group_type[p.arc_group]
    county = p.quotas[0].member[p.arc_cadre]
    assert sat.names == ("county helpers",)
    assert (sat.closed == ((a_type == 1) & ~county)).all()
    assert sat.full[p.group_type == 1].all() and not sat.full[p.group_type == 0].any()
    auto = solve(p, SolveSettings(seed=1))
    mip = solve(p, SolveSettings(seed=1, method="mip"))
    assert auto.status is Status.OPTIMAL and auto.objective == mip.objective
    assert any("county helpers" in n for n in auto.notes)


def test_quota_below_all_posts_closes_nothing() -> None:
    """min 1 of 2 part-time posts is a real row: no arc closes, the row search prices it."""
    raw = two_towns()
    raw["rules"]["source_quotas"] = [{**COUNTY_PT, "min": 1}]
    _, p = problem_of(raw)
    sat = saturated_quotas(p)
    assert sat.names == () and not sat.closed.any() and not sat.full.any()
    assert solve(p, SolveSettings(seed=1)).method == "flow+lagrangian"


@st.composite
def two_quota_rounds(draw: st.DrawFn) -> dict[str, Any]:
    """Medium rounds with a full-time city quota and a part-time county quota, often both
    equalities and the second often covering every part-time post."""
    raw = draw(medium_rounds())
    n_pt = sum(c["posts"]["part_time"] for c in raw["communities"])
    n_ft = len(raw["communities"])
    ft = draw(st.integers(0, n_ft))
    pt = draw(st.sampled_from([n_pt, n_pt, max(0, n_pt - 1), 0]))
    raw["rules"]["source_quotas"] = [
        {"name": "city FT", "post_type": "full-time", "level": "city", "min": ft, "max": ft},
        {**COUNTY_PT, "min": pt, "max": pt if draw(st.booleans()) else None},
    ]
    return raw


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(two_quota_rounds())
def test_two_equality_quotas_equal_the_mip(raw: dict[str, Any]) -> None:
    """Two binding quota rows: ``auto`` proves the MIP's status and optimum."""
    _, p = problem_of(raw)
    auto = solve(p, SolveSettings(seed=1, relative_gap=0.0))
    mip = solve(p, SolveSettings(method="mip", seed=1, relative_gap=0.0))
    assert auto.status is mip.status
    if mip.status is Status.OPTIMAL:
        assert auto.objective == mip.objective
