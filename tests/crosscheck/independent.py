"""A second model of a whole round, written from docs/round.md and docs/engine.md only.

It shares nothing with the engine but the validated :class:`~matcher.model.round.Round` and the
great-circle distance of :mod:`geodata.distance` (the product's definition of distance): its
own eligibility (:func:`eligible`), its own cost function (:func:`pair_terms`,
:func:`plan_terms`), its own rule checker (:func:`broken_rules`) and its own HiGHS model over
*every* (cadre, community, post type) triple (:func:`optimum`). No candidate pruning, no
groups, no slots, no network: one binary per triple and the rules as rows, as the docs state
them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import highspy
import numpy as np

from benchmarks.checker import selects
from geodata.distance import great_circle_m
from geodata.points import cadre_points, community_points
from matcher.model.attributes import CadreSelector
from matcher.model.round import Round
from matcher.model.rules import Selector

TYPES = ("full-time", "part-time")
TERM_NAMES = ("distance", "skill_fit", "weak_priority", "preference", "change", "vacancy")
Triple = tuple[int, int, int]  # (cadre index, community index, type 0 full-time / 1 part-time)


def distances(rnd: Round) -> np.ndarray:
    """Great-circle metres, cadres × communities (float; the plan rounds to whole metres)."""
    cad_lon, cad_lat = cadre_points(rnd)
    com_lon, com_lat = community_points(rnd)
    return great_circle_m(cad_lon[:, None], cad_lat[:, None], com_lon[None, :], com_lat[None, :])


def picks(sel: Selector, rnd: Round, c: int) -> bool:
    """docs/round.md "selector" (the benchmarks' checker reads it from the docs too)."""
    return selects(sel, rnd.communities[c])


def picked(sel: CadreSelector, rnd: Round, i: int) -> bool:
    """docs/round.md "cadre selector": party_member, secretary_types, reserve, leading_group,
    education and tags; ``match`` all/any; empty picks everyone."""
    cad = rnd.cadres[i]
    member = cad.party_member
    if member is None:
        member = any(w in (cad.political_status or "") for w in ("中共党员", "预备党员"))
    conds: list[bool] = []
    if sel.party_member is not None:
        conds.append(member == sel.party_member)
    if sel.secretary_types:
        conds.append(cad.secretary_type in sel.secretary_types)
    if sel.reserve is not None:
        conds.append(cad.reserve == sel.reserve)
    if sel.leading_group is not None:
        conds.append(cad.leading_group == sel.leading_group)
    if sel.education:
        conds.append(cad.education in sel.education)
    if sel.tags:
        conds.append(bool(set(sel.tags) & set(cad.tags)))
    if not conds:
        return True
    return all(conds) if sel.match == "all" else any(conds)


def party_standing(stated: bool | None, status: str | None) -> str:
    """docs/round.md "Default rules": a stated yes/no wins (yes + 预备党员 written is
    probationary); else 政治面貌: 群众/共青团员/无党派/a democratic party → non-member,
    中共预备党员 → probationary, 中共党员/党员/共产党员 → member; missing or unreadable →
    unknown."""
    text = (status or "").replace(" ", "")
    if stated is not None:
        if not stated:
            return "non-member"
        return "probationary" if "预备党员" in text else "member"
    if not text:
        return "unknown"
    if any(w in text for w in ("群众", "团员", "无党派", "民革", "民盟", "民建", "民进", "非")):
        return "non-member"
    if "预备党员" in text:
        return "probationary"
    return "member" if "党员" in text else "unknown"


def posts(rnd: Round, c: int, t: int) -> int:
    """Number of posts of type t in community c."""
    p = rnd.communities[c].posts
    return p.full_time if t == 0 else p.part_time


def eligible(rnd: Round, dist: np.ndarray, i: int, c: int, t: int) -> str:
    """ "" when the pair rules let cadre i take a type-t post in community c, else the rule."""
    r, cad, com = rnd.rules, rnd.cadres[i], rnd.communities[c]
    if r.max_distance.enabled and dist[i, c] > r.max_distance.km * 1000:
        return "max_distance"
    if r.availability.enabled and cad.availability.value not in ("either", TYPES[t]):
        return "availability"
    for k, floor in enumerate(r.rank_floors):
        if floor.enabled and floor.post_type == TYPES[t] and picks(floor.where, rnd, c):
            if int(cad.rank) < int(floor.min_rank):
                return f"rank_floors[{k}]"
            if floor.levels and cad.level.value not in floor.levels:
                return f"rank_floors[{k}]"
            if not picked(floor.cadres, rnd, i):
                return f"rank_floors[{k}]"
    local = r.own_district.enabled and cad.level.value in r.own_district.levels
    if local and com.district.code != cad.home_district:
        return "own_district"
    if r.exclude_disqualified.enabled and cad.disqualifications:
        return "exclude_disqualified"
    if r.clearances.enabled:
        cleared = {v.department for v in cad.clearances if v.status.value == "cleared"}
        if set(r.clearances.required) - cleared:
            return "clearances"
    if r.vetting.enabled:
        need = set(r.clearances.required)
        for v in cad.clearances:
            pending = v.status.value == "pending" and (
                r.vetting.pending == "any" or v.department in need
            )
            if v.status.value == "refused" or pending:
                return "vetting"
    if r.party_secretary.enabled and t == 0:
        standing = party_standing(cad.party_member, cad.political_status)
        admitted = ("member", "probationary") if r.party_secretary.probationary else ("member",)
        if standing not in admitted:
            return "party_secretary"
    if r.pairing.enabled and picked(r.pairing.cadres, rnd, i):
        paired_somewhere = any(cad.unit in o.paired_units for o in rnd.communities)
        if cad.unit not in com.paired_units and paired_somewhere:
            return "pairing"
    for f in r.forbidden_pairs:
        if f.cadre == cad.id and f.community == com.id and f.post_type in (None, TYPES[t]):
            return "forbidden_pairs"
    return ""


def pair_terms(rnd: Round, dist: np.ndarray, i: int, c: int, t: int) -> dict[str, int]:
    """docs/engine.md "Objective": the signed terms of cadre i in a type-t post of c (no change:
    that term belongs to the cadre, see :func:`plan_terms`)."""
    w, cad, com = rnd.weights, rnd.cadres[i], rnd.communities[c]
    metres = round(float(dist[i, c]))
    required = com.required_skills.full_time if t == 0 else com.required_skills.part_time
    missing = 0 if com.stars is None else 5 - com.stars
    weak = -((w.weak_priority * int(cad.rank) * (5 + missing)) // 5) if com.weak else 0
    if cad.preferences:
        pos = cad.preferences.index(com.id) if com.id in cad.preferences else len(cad.preferences)
    else:
        pos = 0
    return {
        "distance": (w.distance_per_km * metres + 500) // 1000,
        "skill_fit": -w.skill_fit * len(set(required) & set(cad.skills)),
        "weak_priority": weak,
        "preference": w.preference_step * pos,
    }


def keeps(rnd: Round, i: int) -> Triple | None:
    """The triple of cadre i's current post (None when the cadre has none)."""
    cur = rnd.cadres[i].current_post
    if cur is None:
        return None
    return i, rnd.community_index()[cur.community], TYPES.index(cur.post_type.value)


def plan_terms(rnd: Round, dist: np.ndarray, plan: list[Triple]) -> dict[str, int]:
    """Objective terms of a plan: pair terms, ``change`` once per sitting cadre who does not
    keep the current post, ``vacancy`` per empty post."""
    out = dict.fromkeys(TERM_NAMES, 0)
    for i, c, t in plan:
        for name, v in pair_terms(rnd, dist, i, c, t).items():
            out[name] += v
    held = set(plan)
    for i in range(len(rnd.cadres)):
        cur = keeps(rnd, i)
        if cur is not None and cur not in held:
            out["change"] += rnd.weights.change
    for c in range(len(rnd.communities)):
        for t in (0, 1):
            empty = posts(rnd, c, t) - sum(1 for _, cc, tt in plan if (cc, tt) == (c, t))
            vac = rnd.weights.vacancy_full_time if t == 0 else rnd.weights.vacancy_part_time
            out["vacancy"] += max(0, empty) * vac
    return out


def must_fill(rnd: Round, t: int) -> bool:
    """Coverage: posts of type t may not stay empty."""
    cov = rnd.rules.coverage
    return cov.enabled and not cov.allow_vacancies and TYPES[t] in cov.post_types


def member(rnd: Round, k: int, i: int) -> bool:
    """Cadre i counts for source quota k (its level, or one of its units; any cadre when the
    quota names neither) and the quota's cadre selector picks them."""
    q, cad = rnd.rules.source_quotas[k], rnd.cadres[i]
    source = (q.level is None and not q.units) or cad.level.value == q.level or cad.unit in q.units
    return source and picked(q.cadres, rnd, i)


def skilled(rnd: Round, k: int, i: int) -> bool:
    """Cadre i counts for skill-mix rule k: picked by its selector and with one of its skills
    (any cadre picked when ``any_of`` is empty)."""
    mix = rnd.rules.skill_mix[k]
    has = not mix.any_of or bool(set(mix.any_of) & set(rnd.cadres[i].skills))
    return has and picked(mix.cadres, rnd, i)


def broken_rules(rnd: Round, dist: np.ndarray, plan: list[Triple]) -> list[str]:
    """Every hard rule the plan breaks, in words (empty when the plan keeps them all)."""
    r, out = rnd.rules, []
    if len(set(plan)) != len(plan):
        out.append("a post listed twice for one cadre")
    for i, c, t in plan:
        why = eligible(rnd, dist, i, c, t)
        if why:
            out.append(f"{rnd.cadres[i].id} in {rnd.communities[c].id}/{TYPES[t]}: {why}")
    for c in range(len(rnd.communities)):
        for t in (0, 1):
            n = sum(1 for _, cc, tt in plan if (cc, tt) == (c, t))
            if n > posts(rnd, c, t) or (must_fill(rnd, t) and n < posts(rnd, c, t)):
                out.append(f"{rnd.communities[c].id}/{TYPES[t]}: {n} of {posts(rnd, c, t)}")
    for i in range(len(rnd.cadres)):
        mine = [t for ii, _, t in plan if ii == i]
        if r.one_post_per_cadre.enabled and len(mine) > 1:
            out.append(f"{rnd.cadres[i].id} holds {len(mine)} posts")
        if len(mine) != len(set(mine)):
            out.append(f"{rnd.cadres[i].id} holds two posts of one type")
    for lock in r.locks:
        i, c = rnd.cadre_index()[lock.cadre], rnd.community_index()[lock.community]
        if not any((ii, cc) == (i, c) and lock.post_type in (None, TYPES[t]) for ii, cc, t in plan):
            out.append(f"lock {lock.cadre}→{lock.community} not held")
    for k, q in enumerate(r.source_quotas):
        if q.enabled:
            n = sum(1 for i, _, t in plan if TYPES[t] == q.post_type and member(rnd, k, i))
            if (q.min is not None and n < q.min) or (q.max is not None and n > q.max):
                out.append(f"source_quotas[{k}]: {n}")
    for k, mix in enumerate(r.skill_mix):
        if not mix.enabled:
            continue
        for c in range(len(rnd.communities)):
            if picks(mix.where, rnd, c):
                n = sum(
                    1
                    for i, cc, t in plan
                    if cc == c and TYPES[t] == mix.post_type and skilled(rnd, k, i)
                )
                if n < mix.min_count:
                    out.append(f"skill_mix[{k}] in {rnd.communities[c].id}: {n}")
    return out


@dataclass(frozen=True)
class Optimum:
    """The independent answer: ``infeasible`` or the optimum and one optimal plan."""

    infeasible: bool
    objective: int | None = None
    plan: tuple[Triple, ...] = ()


def optimum(rnd: Round, dist: np.ndarray, time_limit: float = 120.0) -> Optimum:
    """Minimum of :func:`plan_terms` over plans keeping every hard rule (HiGHS, gap 0)."""
    r, w = rnd.rules, rnd.weights
    n_cad, n_com = len(rnd.cadres), len(rnd.communities)
    triples = [
        (i, c, t)
        for c in range(n_com)
        for t in (0, 1)
        if posts(rnd, c, t) > 0
        for i in range(n_cad)
        if not eligible(rnd, dist, i, c, t)
    ]
    col = {tr: k for k, tr in enumerate(triples)}
    cost = [sum(pair_terms(rnd, dist, *tr).values()) for tr in triples]
    constant = 0
    for i in range(n_cad):  # change: w.change · (1 − x[current post])
        cur = keeps(rnd, i)
        if cur is not None:
            constant += w.change
            if cur in col:
                cost[col[cur]] -= w.change
    by_group: dict[tuple[int, int], list[int]] = {}
    by_cadre: dict[tuple[int, int], list[int]] = {}
    for (i, c, t), k in col.items():
        by_group.setdefault((c, t), []).append(k)
        by_cadre.setdefault((i, t), []).append(k)
    rows: list[tuple[list[int], float, float]] = []
    for c in range(n_com):  # filled posts ≤ posts, = posts under coverage; vacancies priced
        for t in (0, 1):
            cap = posts(rnd, c, t)
            if cap == 0:
                continue
            ks = by_group.get((c, t), [])
            rows.append((ks, cap if must_fill(rnd, t) else 0, cap))
            vac = w.vacancy_full_time if t == 0 else w.vacancy_part_time
            constant += cap * vac
            for k in ks:
                cost[k] -= vac
    for i in range(n_cad):
        mine = [by_cadre.get((i, t), []) for t in (0, 1)]
        if r.one_post_per_cadre.enabled:
            rows.append((mine[0] + mine[1], 0, 1))
        else:
            rows += [(mine[0], 0, 1), (mine[1], 0, 1)]
    for lock in r.locks:
        i, c = rnd.cadre_index()[lock.cadre], rnd.community_index()[lock.community]
        ks = [
            col[(i, c, t)]
            for t in (0, 1)
            if (i, c, t) in col and lock.post_type in (None, TYPES[t])
        ]
        rows.append((ks, 1, math.inf))
    for k, q in enumerate(r.source_quotas):
        if q.enabled:
            t = TYPES.index(q.post_type)
            ks = [kk for i in range(n_cad) if member(rnd, k, i) for kk in by_cadre.get((i, t), [])]
            lo = 0 if q.min is None else q.min
            rows.append((ks, lo, math.inf if q.max is None else q.max))
    for k, mix in enumerate(r.skill_mix):
        if mix.enabled:
            t = TYPES.index(mix.post_type)
            for c in range(n_com):
                if picks(mix.where, rnd, c):
                    ks = [kk for kk in by_group.get((c, t), []) if skilled(rnd, k, triples[kk][0])]
                    rows.append((ks, mix.min_count, math.inf))
    for ks, lo, _ in rows:
        if not ks and lo > 0:
            return Optimum(True)
    rows = [(ks, lo, hi) for ks, lo, hi in rows if ks]
    if not triples:
        return Optimum(False, constant, ())
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("mip_rel_gap", 0.0)
    h.setOptionValue("mip_abs_gap", 0.0)
    h.setOptionValue("time_limit", time_limit)
    h.setOptionValue("threads", 1)
    n = len(triples)
    h.addCols(n, np.array(cost, dtype=np.float64), np.zeros(n), np.ones(n), 0,
              np.zeros(0, np.int32), np.zeros(0, np.int32), np.zeros(0))  # fmt: skip
    h.changeColsIntegrality(
        n, np.arange(n, dtype=np.int32), np.full(n, highspy.HighsVarType.kInteger)
    )
    inf = highspy.kHighsInf
    starts = np.cumsum([0] + [len(ks) for ks, _, _ in rows[:-1]]).astype(np.int32)
    index = np.array([k for ks, _, _ in rows for k in ks], dtype=np.int32)
    h.addRows(
        len(rows),
        np.array([lo for _, lo, _ in rows], dtype=np.float64),
        np.array([inf if hi == math.inf else hi for _, _, hi in rows], dtype=np.float64),
        len(index), starts, index, np.ones(len(index)),
    )  # fmt: skip
    h.run()
    status = h.getModelStatus()
    if status == highspy.HighsModelStatus.kInfeasible:
        return Optimum(True)
    if status != highspy.HighsModelStatus.kOptimal:
        raise RuntimeError(f"independent model: HiGHS status {status}")
    x = np.rint(np.asarray(h.getSolution().col_value)).astype(int)
    plan = tuple(tr for tr, v in zip(triples, x, strict=True) if v)
    value = constant + sum(cost[k] for k in range(len(triples)) if x[k])
    return Optimum(False, value, plan)
