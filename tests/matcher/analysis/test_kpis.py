"""Plan and district KPIs on the tiny round, checked by hand, each figure binding and not."""

from __future__ import annotations

from dataclasses import replace

from matcher.analysis.kpis import district_kpis, plan_kpis
from matcher.engine.result import Result
from matcher.model.validate import validate_round
from tests.matcher.analysis.explain_fixtures import solve_round, tiny, tiny_raw


def with_holder(result: Result, community: str, post_type: str, cadre: str | None) -> Result:
    """The result with one post's holder replaced (a hand-made plan, not an optimum)."""
    posts = tuple(
        replace(a, cadre_id=cadre) if (a.community_id, a.post_type) == (community, post_type) else a
        for a in result.assignments
    )
    return replace(result, assignments=posts)


def test_tiny_plan_figures_by_hand() -> None:
    """Five posts filled; the weak GT01 has a 正科 first secretary and a transport part-timer."""
    s = tiny()
    k = plan_kpis(s.round, s.result)
    km = sorted(a.distance_m / 1000 for a in s.result.assignments if a.distance_m is not None)
    assert (k.posts, k.filled, k.vacancies) == (5, 5, 0)
    assert k.total_km == round(sum(km), 3) and k.max_km == round(km[-1], 3)
    assert k.mean_km == round(sum(km) / 5, 3)
    assert km[-2] <= k.p90_km <= km[-1]  # type: ignore[operator]
    assert (k.weak_communities, k.weak_rank_floor_met, k.weak_skill_mix_met) == (1, 1, 1)
    assert k.weak_mean_rank == 2.0  # C03 is 正科
    # GT01 wants party-building (full-time) and finance (part-time): C03 and C05 have neither.
    assert k.skill_fit_rate == 0.0
    assert k.first_choice_share is None and k.top3_share is None


def test_rank_floor_and_skill_mix_kpis_bind() -> None:
    """A 科员 first secretary and an unskilled part-timer in GT01 fail the floor and the mix."""
    s = tiny()
    worse = with_holder(
        with_holder(s.result, "GT01", "full-time", "C04"), "GT01", "part-time", "C02"
    )
    k = plan_kpis(s.round, worse)
    assert (k.weak_rank_floor_met, k.weak_skill_mix_met, k.weak_mean_rank) == (0, 1, 0.0)
    k2 = plan_kpis(s.round, with_holder(s.result, "GT01", "part-time", "C03"))
    assert k2.weak_skill_mix_met == 0 and k2.weak_rank_floor_met == 1


def test_floor_measured_even_when_the_rule_is_off() -> None:
    """Switching the rank floor off keeps it as the measure (what-ifs stay comparable)."""
    raw = tiny_raw()
    raw["rules"]["rank_floors"][0]["enabled"] = False
    raw["rules"]["skill_mix"] = []
    rnd = validate_round(raw)
    k = plan_kpis(rnd, with_holder(tiny().result, "GT01", "full-time", "C04"))
    assert k.weak_rank_floor_met == 0
    assert k.weak_skill_mix_met is None  # no skill mix stated: n/a


def test_skill_fit_and_preference_shares() -> None:
    """C01 in GT01 has party-building; C01 got its first choice, C03 its third."""
    raw = tiny_raw()
    cads = {c["id"]: c for c in raw["cadres"]}
    cads["C01"]["preferences"] = ["GT01", "GT02"]
    cads["C03"]["preferences"] = ["LH01", "GT01", "GT02"]
    rnd = validate_round(raw)
    res = with_holder(
        with_holder(tiny().result, "GT01", "full-time", "C01"), "GT02", "full-time", "C03"
    )
    k = plan_kpis(rnd, res)
    assert k.skill_fit_rate == 0.5
    assert (k.first_choice_share, k.top3_share) == (0.5, 1.0)


def test_vacancies_counted_by_type() -> None:
    """A vacant part-time post counts once, as part-time, and drops out of travel figures."""
    s = tiny()
    k = plan_kpis(s.round, with_holder(s.result, "GT02", "part-time", None))
    assert (k.vacancies, k.vacancies_full_time, k.vacancies_part_time, k.filled) == (1, 0, 1, 4)


def test_district_figures_add_up_to_the_plan() -> None:
    """Guta has 4 posts and the weak community, Linghe 1 post; posts and km add up."""
    s = tiny()
    rows = district_kpis(s.round, s.result)
    assert [(d.code, d.name, d.kpis.posts) for d in rows] == [
        ("210702", "古塔区", 4),
        ("210703", "凌河区", 1),
    ]
    assert rows[0].kpis.weak_communities == 1 and rows[1].kpis.weak_communities == 0
    total = plan_kpis(s.round, s.result).total_km
    assert abs(sum(d.kpis.total_km for d in rows) - total) < 1e-6


def test_kpis_of_a_variant_round() -> None:
    """KPIs follow the round given: with more weak-priority the weak post keeps a 正科."""
    raw = tiny_raw()
    raw["weights"] = {"weak_priority": 0}
    s = solve_round(validate_round(raw))
    assert plan_kpis(s.round, s.result).weak_mean_rank == 1.0  # nearest eligible: C01 (副科)
