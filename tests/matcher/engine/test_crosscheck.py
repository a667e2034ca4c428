"""Property tests: on small random rounds the engine matches brute force and a separately
written CP-SAT model, both stated from the round's rules (not from the engine's rows)."""

from __future__ import annotations

import itertools
import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ortools.sat.python import cp_model

from matcher import Round
from matcher.engine import sparse_flow
from matcher.engine.flow import solve_flow
from matcher.engine.problem import ProblemData
from matcher.engine.result import Result, Status
from matcher.engine.solve import solve
from matcher.model.settings import SolveSettings
from tests.matcher.engine_fixtures import problem_of

TYPES = ("full-time", "part-time")
SKILLS = ["finance", "transport", "law"]
Arc = tuple[int, int, int, int]  # (arc index, cadre, community, type)


@st.composite
def rounds(draw: st.DrawFn) -> dict[str, Any]:
    """A small random round exercising every rule (2 communities, ≤ 5 cadres)."""
    n_com = draw(st.integers(1, 2))
    n_cad = draw(st.integers(1, 5))
    districts = [{"code": "210702", "name": "古塔区"}, {"code": "210703", "name": "凌河区"}]
    coord = st.floats(41.0, 41.15)
    units = ["u1", "u2", "u3"]
    coms = [
        {
            "id": f"M{j}",
            "name": f"社区{j}",
            "district": draw(st.sampled_from(districts)),
            "location": {"lon": 121.1, "lat": draw(coord)},
            "weak": draw(st.booleans()),
            "stars": draw(st.integers(0, 5)),
            "posts": {"full_time": draw(st.integers(0, 2)), "part_time": draw(st.integers(0, 2))},
            "required_skills": {"part_time": draw(st.lists(st.sampled_from(SKILLS), max_size=2))},
            "paired_units": draw(st.lists(st.sampled_from(units), max_size=1)),
        }
        for j in range(n_com)
    ]
    com_ids = [c["id"] for c in coms]
    cads = []
    for i in range(n_cad):
        cad: dict[str, Any] = {
            "id": f"K{i}",
            "name": f"干部{i}",
            "unit": draw(st.sampled_from(units)),
            "level": draw(st.sampled_from(["city", "county"])),
            "political_status": "中共党员",
            "home_district": draw(st.sampled_from(districts))["code"],
            "rank": draw(st.sampled_from(["科员", "副科", "正科", "副县", "正县"])),
            "skills": draw(st.lists(st.sampled_from(SKILLS), max_size=2)),
            "availability": draw(st.sampled_from(["full-time", "part-time", "either"])),
            "location": {"lon": 121.1, "lat": draw(coord)},
            "preferences": draw(st.lists(st.sampled_from(com_ids), max_size=2, unique=True)),
        }
        if draw(st.integers(0, 9)) == 0:
            cad["disqualifications"] = [{"code": "D1"}]
        if draw(st.integers(0, 3)) == 0:
            cad["current_post"] = {
                "community": draw(st.sampled_from(com_ids)),
                "post_type": draw(st.sampled_from(TYPES)),
            }
        cads.append(cad)
    rules: dict[str, Any] = {
        "max_distance": {"km": draw(st.sampled_from([8, 30]))},
        "one_post_per_cadre": {"enabled": draw(st.booleans())},
        "coverage": {
            "enabled": draw(st.booleans()),
            "allow_vacancies": draw(st.booleans()),
            "post_types": draw(st.sampled_from([["full-time"], ["full-time", "part-time"]])),
        },
        "own_district": {"enabled": draw(st.booleans())},
        "pairing": {"enabled": draw(st.booleans())},
    }
    if draw(st.booleans()):
        rules["rank_floors"] = [{"min_rank": draw(st.sampled_from(["副科", "正科"]))}]
    if draw(st.booleans()):
        lo, hi = draw(st.sampled_from([(None, 0), (None, 1), (1, None), (1, 1), (2, None)]))
        rules["source_quotas"] = [
            {"post_type": draw(st.sampled_from(TYPES)), "level": "city", "min": lo, "max": hi}
        ]
    if draw(st.booleans()):
        rules["skill_mix"] = [{"any_of": draw(st.lists(st.sampled_from(SKILLS), min_size=1))}]
    if draw(st.booleans()):
        rules["locks"] = [
            {
                "cadre": draw(st.sampled_from([c["id"] for c in cads])),
                "community": draw(st.sampled_from(com_ids)),
                "post_type": draw(st.sampled_from([None, *TYPES])),
            }
        ]
    weights = {
        "change": draw(st.sampled_from([0, 30, 400])),
        "vacancy_full_time": draw(st.sampled_from([150, 1_000_000])),
        "vacancy_part_time": draw(st.sampled_from([60, 100_000])),
    }
    # generated points may coincide: distinct communities by construction (no twin check)
    return {
        "identity": {"community_distance_m": 0},
        "communities": coms,
        "cadres": cads,
        "rules": rules,
        "weights": weights,
    }


def arcs_of(p: ProblemData) -> list[Arc]:
    return [
        (
            a,
            int(p.arc_cadre[a]),
            int(p.group_community[p.arc_group[a]]),
            int(p.group_type[p.arc_group[a]]),
        )
        for a in range(p.n_arcs)
    ]


def locks_of(rnd: Round, arcs: list[Arc]) -> list[tuple[list[int], set[int]]]:
    """Per lock: arcs that satisfy it, and the cadre's arcs it closes (other communities, for
    the locked type — every type when one post per cadre or no type is given)."""
    out = []
    for lock in rnd.rules.locks:
        i, c = rnd.cadre_index()[lock.cadre], rnd.community_index()[lock.community]
        types = {0, 1} if lock.post_type is None else {TYPES.index(lock.post_type)}
        hit = [a for a, ci, cc, t in arcs if (ci, cc) == (i, c) and t in types]
        if rnd.rules.one_post_per_cadre.enabled:
            types = {0, 1}
        tied = {a for a, ci, cc, t in arcs if ci == i and t in types and a not in hit}
        out.append((hit, tied))
    return out


def plan_cost(rnd: Round, p: ProblemData, chosen: list[Arc]) -> int | None:
    """Cost of a plan stated by its arcs, or None if it breaks a hard rule of the round."""
    r, w = rnd.rules, rnd.weights
    caps = [(c.posts.full_time, c.posts.part_time) for c in rnd.communities]
    held: dict[tuple[int, int], int] = {}
    for _, _, c, t in chosen:
        held[(c, t)] = held.get((c, t), 0) + 1
    cost = sum(int(p.arc_cost[a]) for a, _, _, _ in chosen)
    for c, (ft, pt) in enumerate(caps):
        for t, cap in enumerate((ft, pt)):
            n = held.get((c, t), 0)
            if n > cap:
                return None
            hard = r.coverage.enabled and not r.coverage.allow_vacancies
            if hard and TYPES[t] in r.coverage.post_types and n < cap:
                return None
            cost += (cap - n) * (w.vacancy_full_time if t == 0 else w.vacancy_part_time)
    taken = {a for a, _, _, _ in chosen}
    for hit, tied in locks_of(rnd, arcs_of(p)):
        if not taken & set(hit) or taken & tied:
            return None
    for q in r.source_quotas:
        n = sum(
            1
            for _, i, _, t in chosen
            if TYPES[t] == q.post_type
            and (rnd.cadres[i].level.value == q.level or rnd.cadres[i].unit in q.units)
        )
        if (q.min is not None and n < q.min) or (q.max is not None and n > q.max):
            return None
    for mix in r.skill_mix:
        for c, com in enumerate(rnd.communities):
            if com.weak:
                n = sum(
                    1
                    for _, i, cc, t in chosen
                    if cc == c
                    and TYPES[t] == mix.post_type
                    and set(mix.any_of) & set(rnd.cadres[i].skills)
                )
                if n < mix.min_count:
                    return None
    for i, cad in enumerate(rnd.cadres):
        if cad.current_post is not None:
            mine = [t for _, ci, _, t in chosen if ci == i]
            kept = (
                bool(mine)
                if r.one_post_per_cadre.enabled
                else TYPES.index(cad.current_post.post_type.value) in mine
            )
            cost += 0 if kept else w.change
    return cost


def brute_force(rnd: Round, p: ProblemData) -> int | None:
    """Best cost over every way to give each cadre no post, or posts the rules allow."""
    arcs = arcs_of(p)
    options = []
    for i in range(len(rnd.cadres)):
        mine = [arc for arc in arcs if arc[1] == i]
        if rnd.rules.one_post_per_cadre.enabled:
            options.append([[]] + [[arc] for arc in mine])
        else:
            ft = [[]] + [[arc] for arc in mine if arc[3] == 0]
            pt = [[]] + [[arc] for arc in mine if arc[3] == 1]
            options.append([a + b for a, b in itertools.product(ft, pt)])
    best: int | None = None
    for combo in itertools.product(*options):
        cost = plan_cost(rnd, p, [arc for part in combo for arc in part])
        if cost is not None and (best is None or cost < best):
            best = cost
    return best


def cpsat_model(rnd: Round, p: ProblemData) -> int | None:
    """One Boolean per eligible arc; every rule written again from the round."""
    r, w = rnd.rules, rnd.weights
    m = cp_model.CpModel()
    arcs = arcs_of(p)
    x = {a: m.new_bool_var(f"x{a}") for a, _, _, _ in arcs}
    obj = [int(p.arc_cost[a]) * x[a] for a, _, _, _ in arcs]
    for c, com in enumerate(rnd.communities):
        for t, cap in enumerate((com.posts.full_time, com.posts.part_time)):
            n = sum(x[a] for a, _, cc, tt in arcs if (cc, tt) == (c, t))
            m.add(n <= cap)
            if (
                r.coverage.enabled
                and not r.coverage.allow_vacancies
                and TYPES[t] in r.coverage.post_types
            ):
                m.add(n == cap)
            vac = w.vacancy_full_time if t == 0 else w.vacancy_part_time
            obj.append(vac * (cap - n))
            for mix in r.skill_mix:
                if com.weak and TYPES[t] == mix.post_type:
                    skilled = [
                        a
                        for a, i, cc, tt in arcs
                        if (cc, tt) == (c, t) and set(mix.any_of) & set(rnd.cadres[i].skills)
                    ]
                    m.add(sum(x[a] for a in skilled) >= mix.min_count)
        for mix in r.skill_mix:
            cap = com.posts.full_time if mix.post_type == "full-time" else com.posts.part_time
            if com.weak and cap == 0:
                m.add_bool_or([])  # no post of the type: the rule cannot hold
    for i, cad in enumerate(rnd.cadres):
        mine = [(a, t) for a, ci, _, t in arcs if ci == i]
        per = (
            [mine]
            if r.one_post_per_cadre.enabled
            else [[z for z in mine if z[1] == t] for t in (0, 1)]
        )
        for group in per:
            m.add(sum(x[a] for a, _ in group) <= 1)
        if cad.current_post is not None:
            cur_t = TYPES.index(cad.current_post.post_type.value)
            keep = [a for a, t in mine if r.one_post_per_cadre.enabled or t == cur_t]
            obj.append(w.change * (1 - sum(x[a] for a in keep)))
    for hit, tied in locks_of(rnd, arcs):
        m.add(sum(x[a] for a in hit) >= 1)
        m.add(sum(x[a] for a in tied) == 0)
    for q in r.source_quotas:
        members = [
            a
            for a, i, _, t in arcs
            if TYPES[t] == q.post_type
            and (rnd.cadres[i].level.value == q.level or rnd.cadres[i].unit in q.units)
        ]
        n = sum(x[a] for a in members)
        if q.min is not None:
            m.add(n >= q.min)
        if q.max is not None:
            m.add(n <= q.max)
    m.minimize(sum(obj))
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = 0
    status = solver.solve(m)
    assert status in (cp_model.OPTIMAL, cp_model.INFEASIBLE)
    return round(solver.objective_value) if status == cp_model.OPTIMAL else None


def check_result(rnd: Round, p: ProblemData, res: Result, expected: int | None) -> None:
    if expected is None:
        assert res.status is Status.INFEASIBLE and res.conflicts
        return
    assert res.status is Status.OPTIMAL, res.notes
    assert res.objective == expected and sum(res.terms.values()) == expected
    assert len(res.assignments) == p.n_posts
    index = {(p.cadre_ids[i], p.community_ids[c], TYPES[t]): a for a, i, c, t in arcs_of(p)}
    chosen = [
        next(
            arc for arc in arcs_of(p) if arc[0] == index[(x.cadre_id, x.community_id, x.post_type)]
        )
        for x in res.assignments
        if x.cadre_id is not None
    ]
    assert plan_cost(rnd, p, chosen) == expected


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rounds())
def test_engine_matches_brute_force_and_cpsat(raw: dict[str, Any]) -> None:
    """Optimum (or infeasibility) agrees with brute force and an independent CP-SAT model."""
    rnd, p = problem_of(raw)
    expected = brute_force(rnd, p)
    assert cpsat_model(rnd, p) == expected
    check_result(rnd, p, solve(p, SolveSettings(seed=5)), expected)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rounds())
def test_mip_and_cpsat_methods_agree_with_auto(raw: dict[str, Any]) -> None:
    """Forcing method mip or cpsat gives the same optimum and identical canonical JSON twice."""
    _, p = problem_of(raw)
    auto = solve(p, SolveSettings(seed=2))
    for method in ("mip", "cpsat"):
        other = solve(p, SolveSettings(method=method, seed=2))
        assert other.status is auto.status and other.objective == auto.objective
    again = solve(p, SolveSettings(seed=2))
    assert json.dumps(auto.canonical_dict()) == json.dumps(again.canonical_dict())


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rounds())
def test_sparse_flow_matches_the_full_flow(raw: dict[str, Any]) -> None:
    """The priced working-set flow (forced on small rounds) finds the full flow's optimum."""
    _, p = problem_of(raw)
    saved = sparse_flow.SPARSE_FROM
    sparse_flow.SPARSE_FROM = 0
    try:
        sparse = sparse_flow.solve_flow_sparse(p).outcome
    finally:
        sparse_flow.SPARSE_FROM = saved
    full = solve_flow(p)
    assert (sparse.solution is None) == (full.solution is None)
    if sparse.solution is not None and full.solution is not None:
        assert sparse.solution.cost(p) == full.solution.cost(p)
