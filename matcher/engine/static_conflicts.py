"""Conflicts certain by counting alone, checked before any solve.

Ineligible locks (with the pair rules that forbid them), more locks than posts, two locks on
one slot; a skill mix without a post or an eligible skilled cadre (with the pair rules whose
relaxation alone would give one); quota bounds beyond the posts or the eligible cadres.
"""

from __future__ import annotations

from collections import Counter

import numpy as np
from numpy.typing import NDArray

from matcher.engine.eligibility import POST_TYPES
from matcher.engine.problem import ProblemData
from matcher.engine.result import Conflict
from matcher.engine.side_constraints import group_table

_TYPE_WORD = {0: "full-time", 1: "part-time"}


def _lock_rules(problem: ProblemData, li: int) -> list[str]:
    """The pair rules that forbid lock ``li``'s pair (its candidate pairs a rule removed)."""
    if problem.pruned_by is None or problem.pruned_group is None:
        return []
    assert problem.pruned_cadre is not None
    t = int(problem.lock_type[li])
    mine = (problem.pruned_cadre == problem.lock_cadre[li]) & (
        problem.group_community[problem.pruned_group] == problem.lock_community[li]
    )
    if t >= 0:
        mine &= problem.group_type[problem.pruned_group] == t
    bits = int(np.bitwise_or.reduce(problem.pruned_by[mine])) if mine.any() else 0
    return [r for k, r in enumerate(problem.prune_rules[:63]) if bits >> k & 1]


def _lock_conflicts(problem: ProblemData) -> list[Conflict]:
    out: list[Conflict] = []
    for li, issue in enumerate(problem.lock_issue):
        cad = problem.cadre_ids[problem.lock_cadre[li]]
        com = problem.community_ids[problem.lock_community[li]]
        t = int(problem.lock_type[li])
        kind = "any" if t < 0 else POST_TYPES[t]
        if issue:
            out.append(
                Conflict(
                    rules=("locks", *_lock_rules(problem, li)),
                    message=f"lock of cadre {cad} to {com} ({kind} post) breaks a rule: {issue}",
                    needed=1,
                    available=0,
                    communities=(com,),
                    relaxation=f"remove the lock of {cad} to {com} or relax: {issue}",
                )
            )
    table = group_table(problem)
    valid = [li for li, s in enumerate(problem.lock_issue) if not s]
    per_group = Counter(
        (int(problem.lock_community[li]), int(problem.lock_type[li])) for li in valid
    )
    for (c, t), n in sorted(per_group.items()):
        if t >= 0:
            cap = int(problem.group_capacity[table[c, t]]) if table[c, t] >= 0 else 0
        else:
            cap = int(sum(problem.group_capacity[g] for g in table[c] if g >= 0))
            cap -= sum(per_group.get((c, tt), 0) for tt in (0, 1))
        if n > cap:
            com = problem.community_ids[c]
            kind = "any" if t < 0 else POST_TYPES[t]
            out.append(
                Conflict(
                    rules=("locks",),
                    message=f"{n} cadres are locked to {com} ({kind} posts) but only {cap} "
                    "such posts are free",
                    needed=n,
                    available=cap,
                    communities=(com,),
                    relaxation=f"unlock {n - cap} of the cadres locked to {com}",
                )
            )
    if not problem.one_post_per_cadre:
        per_slot = Counter(
            (int(problem.lock_cadre[li]), int(problem.lock_type[li])) for li in valid
        )
        for (cad_i, t), n in sorted(per_slot.items()):
            if t >= 0 and n > 1:
                cad = problem.cadre_ids[cad_i]
                out.append(
                    Conflict(
                        rules=("locks",),
                        message=f"cadre {cad} is locked to {n} {POST_TYPES[t]} posts; "
                        "at most one per post type is allowed",
                        needed=n,
                        available=1,
                        relaxation=f"keep one lock of {cad} per post type",
                    )
                )
    return out


def _lifting_rules(
    problem: ProblemData, groups: NDArray[np.int64], cadres: NDArray[np.bool_]
) -> list[str]:
    """Pair rules whose relaxation alone gives one of ``groups`` a pair with a cadre in
    ``cadres`` (the rules that, with the counted one, make the shortage)."""
    if problem.pruned_by is None or problem.pruned_group is None:
        return []
    assert problem.pruned_cadre is not None
    hit = np.isin(problem.pruned_group, groups) & cadres[problem.pruned_cadre]
    by = problem.pruned_by[hit]
    return [r for k, r in enumerate(problem.prune_rules[:63]) if (by == np.uint64(1 << k)).any()]


def _skill_mix_conflicts(problem: ProblemData) -> list[Conflict]:
    out: list[Conflict] = []
    table = group_table(problem)
    for mix in problem.skill_mixes:
        groups = table[mix.communities, mix.post_type].astype(np.int64)
        skilled_arc = mix.skilled[problem.arc_cadre]
        per_group = np.bincount(problem.arc_group[skilled_arc], minlength=problem.n_groups)
        has = groups >= 0
        cap = np.zeros(len(groups), dtype=np.int64)
        n_skilled = np.zeros(len(groups), dtype=np.int64)
        cap[has] = problem.group_capacity[groups[has]]
        n_skilled[has] = per_group[groups[has]]
        avail = np.minimum(cap, n_skilled)
        short = avail < mix.min_count
        bad = [int(c) for c in mix.communities[short]]
        need = mix.min_count * len(bad)
        have = int(avail[short].sum())
        total_need = mix.min_count * len(mix.communities)
        sel = np.zeros(problem.n_groups, dtype=bool)
        sel[groups[groups >= 0]] = True
        skilled_cadre = np.zeros(len(problem.cadre_ids), dtype=bool)  # bool masks: no sort
        skilled_cadre[problem.arc_cadre[sel[problem.arc_group] & skilled_arc]] = True
        all_skilled = np.nonzero(skilled_cadre)[0]
        skills = "/".join(mix.skills)
        kind = _TYPE_WORD[mix.post_type]
        if bad:
            coms = tuple(problem.community_ids[c] for c in bad)
            lifting = _lifting_rules(problem, groups[short][groups[short] >= 0], mix.skilled)
            out.append(
                Conflict(
                    rules=(mix.source, *lifting),
                    message=f"{mix.name}: {len(bad)} communities need ≥ {mix.min_count} "
                    f"{kind} cadres with {skills}; they have {have} posts with an eligible "
                    f"skilled cadre in total, {need} needed",
                    needed=need,
                    available=have,
                    communities=coms,
                    relaxation=f"lower min_count, drop these communities from '{mix.name}', or "
                    "add eligible skilled cadres nearby",
                )
            )
        elif len(all_skilled) < total_need:
            # one post per type and cadre holds with or without one_post_per_cadre
            lifting = _lifting_rules(problem, groups[groups >= 0], mix.skilled)
            out.append(
                Conflict(
                    rules=(mix.source, *lifting),
                    message=f"{mix.name}: {len(mix.communities)} communities need "
                    f"{total_need} {kind} cadres with {skills}; only {len(all_skilled)} "
                    "eligible skilled cadres exist",
                    needed=total_need,
                    available=len(all_skilled),
                    communities=tuple(problem.community_ids[c] for c in mix.communities),
                    relaxation=f"lower min_count of '{mix.name}' or add skilled cadres",
                )
            )
    return out


def _quota_conflicts(problem: ProblemData) -> list[Conflict]:
    out: list[Conflict] = []
    a_type = problem.group_type[problem.arc_group]
    for q in problem.quotas:
        t = q.post_type
        posts = int(problem.group_capacity[problem.group_type == t].sum())
        required = int(problem.group_required[problem.group_type == t].sum())
        has_arc = np.zeros(len(problem.cadre_ids), dtype=bool)  # a bool mask: no sort
        has_arc[problem.arc_cadre[a_type == t]] = True
        cads = np.nonzero(has_arc)[0]
        members = int(q.member[cads].sum())
        others = len(cads) - members
        kind = _TYPE_WORD[t]
        if q.lo > min(posts, members):
            out.append(
                Conflict(
                    rules=(q.source,),
                    message=f"{q.name}: at least {q.lo} {kind} posts must go to its source, but "
                    f"only {members} eligible cadres of it exist and {posts} posts",
                    needed=q.lo,
                    available=min(posts, members),
                    relaxation=f"lower the minimum of '{q.name}' to {min(posts, members)}",
                )
            )
        if q.hi >= 0 and required - q.hi > others:
            out.append(
                Conflict(
                    rules=(q.source, "coverage"),
                    message=f"{q.name}: {required} {kind} posts must be filled, at most "
                    f"{q.hi} by its source, and only {others} other eligible cadres exist",
                    needed=required - q.hi,
                    available=others,
                    relaxation=f"raise the maximum of '{q.name}' to {required - others} "
                    "or allow vacancies",
                )
            )
    for i, q1 in enumerate(problem.quotas):
        for q2 in problem.quotas[i + 1 :]:
            if q1.post_type != q2.post_type or (q1.member & q2.member).any():
                continue
            posts = int(problem.group_capacity[problem.group_type == q1.post_type].sum())
            if q1.lo + q2.lo > posts:
                out.append(
                    Conflict(
                        rules=(q1.source, q2.source),
                        message=f"{q1.name} and {q2.name} need at least {q1.lo} + {q2.lo} "
                        f"{_TYPE_WORD[q1.post_type]} posts; there are {posts}",
                        needed=q1.lo + q2.lo,
                        available=posts,
                        relaxation="lower one of the two minimums",
                    )
                )
    return out


def static_conflicts(problem: ProblemData) -> tuple[Conflict, ...]:
    """Conflicts certain by counting alone (empty when none is found)."""
    return tuple(
        _lock_conflicts(problem) + _skill_mix_conflicts(problem) + _quota_conflicts(problem)
    )


__all__ = ["static_conflicts"]
