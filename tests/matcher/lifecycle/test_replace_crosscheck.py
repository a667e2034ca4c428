"""The replacement's lexicographic optimum equals an independent CP-SAT model that solves the
three levels (vacancies, moves, cost) as separate, chained solves, on random small plans."""

from __future__ import annotations

import random
from typing import Any

import numpy as np
import pytest
from ortools.sat.python import cp_model

from matcher import validate_round
from matcher.engine.problem import ProblemData, build_problem
from matcher.engine.result import Status
from matcher.engine.side_constraints import group_table
from matcher.engine.solve import solve
from matcher.lifecycle.replace import Prepared
from tests.matcher.engine_fixtures import all_pairs

SKILLS = ["finance", "transport", "law"]


def random_round(
    rng: random.Random, *, side_rules: bool, saturated: bool = False
) -> dict[str, Any]:
    """3-4 communities, 6-9 cadres, a 12 km radius; optionally a quota and a skill mix, or a
    quota deciding every part-time post (county cadres fill all of them)."""
    coms = [
        {
            "id": f"M{j}",
            "name": f"社区{j}",
            "district": {"code": "210702", "name": "古塔区"},
            "location": {"lon": 121.1, "lat": 41.0 + rng.random() * 0.15},
            "weak": rng.random() < 0.4,
            "posts": {"full_time": 1, "part_time": rng.randint(0, 2)},
        }
        for j in range(rng.randint(3, 4))
    ]
    cads = [
        {
            "id": f"K{i}",
            "name": f"干部{i}",
            "unit": rng.choice(["u1", "u2"]),
            "level": rng.choice(["city", "county"]),
            "political_status": "中共党员",
            "home_district": "210702",
            "rank": rng.choice(["科员", "副科", "正科", "副县"]),
            "skills": rng.sample(SKILLS, rng.randint(0, 2)),
            "location": {"lon": 121.1, "lat": 41.0 + rng.random() * 0.15},
        }
        for i in range(rng.randint(6, 9))
    ]
    rules: dict[str, Any] = {
        "one_post_per_cadre": {"enabled": rng.random() < 0.7},
        "max_distance": {"km": 12},
        "coverage": {"allow_vacancies": True},
        "own_district": {"enabled": False},
    }
    if side_rules:
        rules["source_quotas"] = [
            {"post_type": "full-time", "level": "city", "max": rng.randint(1, 3)}
        ]
        rules["skill_mix"] = [
            {"post_type": "part-time", "where": {"weak": True}, "any_of": ["finance"]}
        ]
    if saturated:
        part_time = sum(c["posts"]["part_time"] for c in coms)
        rules["source_quotas"] = [
            {"post_type": "part-time", "level": "county", "min": part_time, "max": part_time}
        ]
    # generated points may coincide: distinct communities by construction (no twin check)
    return {
        "identity": {"community_distance_m": 0},
        "communities": coms,
        "cadres": cads,
        "rules": rules,
    }


def cpsat_levels(
    p: ProblemData, orig: np.ndarray[Any, Any], open_arc: np.ndarray[Any, Any]
) -> tuple[int, ...] | None:
    """Vacancies, then moves, then cost, each minimised with the earlier ones fixed."""
    arcs = [a for a in range(p.n_arcs) if open_arc[a]]
    levels: list[int] = []
    for level in range(3):
        m = cp_model.CpModel()
        x = {a: m.new_bool_var(f"x{a}") for a in arcs}
        filled = [sum(x[a] for a in arcs if p.arc_group[a] == g) for g in range(p.n_groups)]
        for g in range(p.n_groups):
            m.add(filled[g] <= int(p.group_capacity[g]))
        for i in range(len(p.cadre_ids)):
            for t in (None,) if p.one_post_per_cadre else (0, 1):
                mine = [
                    a
                    for a in arcs
                    if p.arc_cadre[a] == i and (t is None or p.group_type[p.arc_group[a]] == t)
                ]
                m.add(sum(x[a] for a in mine) <= 1)
        for q in p.quotas:
            held = sum(
                x[a]
                for a in arcs
                if q.member[p.arc_cadre[a]] and p.group_type[p.arc_group[a]] == q.post_type
            )
            if q.lo >= 0:
                m.add(held >= q.lo)
            if q.hi >= 0:
                m.add(held <= q.hi)
        table = group_table(p)
        for mix in p.skill_mixes:
            for c in mix.communities:
                g = int(table[c, mix.post_type])
                if g >= 0:
                    m.add(
                        sum(
                            x[a]
                            for a in arcs
                            if p.arc_group[a] == g and mix.skilled[p.arc_cadre[a]]
                        )
                        >= mix.min_count
                    )
        vac = sum(int(p.group_capacity[g]) - filled[g] for g in range(p.n_groups))
        kept = [a for a in arcs if orig[p.arc_cadre[a]] == p.arc_group[a]]
        moves = int((orig != -1).sum()) - sum(x[a] for a in kept)
        cost = sum(int(p.arc_cost[a] - p.arc_change[a]) * x[a] for a in arcs) + sum(
            int(p.group_vacancy_cost[g]) * (int(p.group_capacity[g]) - filled[g])
            for g in range(p.n_groups)
        )
        objectives = [vac, moves, cost]
        for k in range(level):
            m.add(objectives[k] == levels[k])
        m.minimize(objectives[level])
        solver = cp_model.CpSolver()
        solver.parameters.num_workers = 1
        solver.parameters.random_seed = 0
        status = solver.solve(m)
        if status == cp_model.INFEASIBLE:
            return None
        assert status == cp_model.OPTIMAL
        levels.append(round(solver.objective_value))
    return tuple(levels)


@pytest.mark.parametrize("side_rules", [False, True])
def test_replacement_levels_match_cpsat(side_rules: bool) -> None:
    """On 25 random plans with random recalls and unsuitable cadres, every level of the
    replacement (augmenting paths or levels MIP) equals the CP-SAT optimum, proven."""
    rng = random.Random(11 if side_rules else 7)
    checked = 0
    for _ in range(25):
        rnd = validate_round(random_round(rng, side_rules=side_rules))
        p = build_problem(rnd, all_pairs(rnd))
        plan = solve(p, rnd.settings)
        if not plan.is_feasible():
            continue
        orig = np.full(len(p.cadre_ids), -1, dtype=np.int64)
        table = group_table(p)
        com = {c: i for i, c in enumerate(p.community_ids)}
        cad = {c: i for i, c in enumerate(p.cadre_ids)}
        for a in plan.assignments:
            if a.cadre_id is not None:
                orig[cad[a.cadre_id]] = table[
                    com[a.community_id], 0 if a.post_type == "full-time" else 1
                ]
        sitting = [int(i) for i in np.nonzero(orig >= 0)[0]]
        leave = rng.sample(sitting, min(len(sitting), rng.randint(1, 3)))
        rest = [i for i in sitting if i not in leave]
        forbid = [(i, int(p.group_community[orig[i]])) for i in rest[: rng.randint(0, 1)]]
        core = Prepared(p, orig).decide(leave=leave, forbid=forbid)
        open_arc = ~np.isin(p.arc_cadre, leave)
        for i, c in forbid:
            open_arc &= ~((p.arc_cadre == i) & (p.group_community[p.arc_group] == c))
        orig_after = orig.copy()
        orig_after[leave] = -1
        expect = cpsat_levels(p, orig_after, open_arc)
        if expect is None:
            assert core.status is Status.INFEASIBLE
            continue
        assert core.status is Status.OPTIMAL, core.notes
        assert tuple(lv.value for lv in core.levels) == expect
        assert all(lv.proven for lv in core.levels)
        checked += 1
    assert checked >= 10


def test_saturated_quota_replacements_match_cpsat() -> None:
    """With a quota deciding every part-time post, on random plans and recalls: the network
    keeps it by itself (augmenting paths, each level proven and equal to CP-SAT), and when a
    recall leaves a part-time post no county cadre can fill, a maximum matching proves at once
    that no plan keeps the quota (CP-SAT agrees)."""
    rng = random.Random(23)
    methods: list[str] = []
    for _ in range(60):
        raw = random_round(rng, side_rules=False, saturated=True)
        if not raw["rules"]["source_quotas"][0]["min"]:
            continue
        rnd = validate_round(raw)
        p = build_problem(rnd, all_pairs(rnd))
        plan = solve(p, rnd.settings)
        if not plan.is_feasible():
            continue
        orig = np.full(len(p.cadre_ids), -1, dtype=np.int64)
        table = group_table(p)
        com = {c: i for i, c in enumerate(p.community_ids)}
        cad = {c: i for i, c in enumerate(p.cadre_ids)}
        for a in plan.assignments:
            if a.cadre_id is not None:
                orig[cad[a.cadre_id]] = table[
                    com[a.community_id], 0 if a.post_type == "full-time" else 1
                ]
        sitting = [int(i) for i in np.nonzero(orig >= 0)[0]]
        leave = rng.sample(sitting, min(len(sitting), rng.randint(1, 2)))
        core = Prepared(p, orig).decide(leave=leave)
        orig_after = orig.copy()
        orig_after[leave] = -1
        expect = cpsat_levels(p, orig_after, ~np.isin(p.arc_cadre, leave))
        methods.append(core.method)
        if expect is None:
            assert core.status is Status.INFEASIBLE
            continue
        assert core.status is Status.OPTIMAL, core.notes
        assert tuple(lv.value for lv in core.levels) == expect
        assert all(lv.proven for lv in core.levels)
    assert "augmenting-paths" in methods and "maximum-matching" in methods, methods
