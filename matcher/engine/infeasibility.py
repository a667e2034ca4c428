"""Infeasibility reports: which hard rules clash, by how much, and what would relax them.

Three sources, cheapest first:

- counting checks before solving (:func:`static_conflicts`): ineligible or clashing locks,
  skill mix without a post or a skilled eligible cadre, quota bounds beyond the posts or
  the eligible cadres;
- a Hall violator when the network itself is infeasible (:func:`flow_conflicts`): a maximum
  flow fills as many required posts as possible; the posts reachable by alternating paths
  from an unfilled one form a set whose eligible cadres are fewer than its posts (König /
  max-flow min-cut), reported per connected component with the rules that pruned its pairs;
- for side constraints that only clash in combination (:func:`side_conflicts`), each side
  rule is dropped in turn and the MIP re-checked: the rules whose removal restores
  feasibility are the relaxations offered.
"""

from __future__ import annotations

from collections import Counter

import numpy as np
from numpy.typing import NDArray
from ortools.graph.python import max_flow
from scipy import sparse
from scipy.sparse.csgraph import connected_components

from matcher.engine.eligibility import POST_TYPES
from matcher.engine.flow import lock_arcs, slot_of_arcs
from matcher.engine.problem import ProblemData
from matcher.engine.result import Conflict
from matcher.engine.side_constraints import group_table

_TYPE_WORD = {0: "full-time", 1: "part-time"}


def _districts(problem: ProblemData, coms: NDArray[np.int32]) -> str:
    names = sorted({problem.district_names[problem.community_district[c]] for c in coms})
    return " and ".join([", ".join(names[:-1]), names[-1]] if len(names) > 1 else names)


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
                    rules=("locks",),
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
        in_sel = np.isin(problem.arc_group, groups[groups >= 0]) & skilled_arc
        all_skilled = np.unique(problem.arc_cadre[in_sel])
        skills = "/".join(mix.skills)
        kind = _TYPE_WORD[mix.post_type]
        if bad:
            coms = tuple(problem.community_ids[c] for c in bad)
            out.append(
                Conflict(
                    rules=(mix.source,),
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
        elif problem.one_post_per_cadre and len(all_skilled) < total_need:
            out.append(
                Conflict(
                    rules=(mix.source, "one_post_per_cadre"),
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
        cads = np.unique(problem.arc_cadre[a_type == t])
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


def flow_conflicts(problem: ProblemData) -> tuple[Conflict, ...]:
    """Hall violators of the required posts (see module docstring); never empty."""
    usable, _ = lock_arcs(problem)
    req = problem.group_required.astype(np.int64)
    arcs = np.nonzero(usable & (req[problem.arc_group] > 0))[0]
    slots = slot_of_arcs(problem)
    uslot, slot_ix = np.unique(slots[arcs], return_inverse=True)
    ns, ng = len(uslot), problem.n_groups
    mf = max_flow.SimpleMaxFlow()
    src, sink = 0, 1 + ns + ng
    tails = np.concatenate([np.zeros(ns, np.int64), 1 + slot_ix, 1 + ns + np.arange(ng)])
    heads = np.concatenate(
        [1 + np.arange(ns), 1 + ns + problem.arc_group[arcs].astype(np.int64), np.full(ng, sink)]
    )
    caps = np.concatenate([np.ones(ns + len(arcs), np.int64), req])
    mf.add_arcs_with_capacity(tails, heads, caps)
    mf.solve(src, sink)
    flows = mf.flows(np.arange(len(tails), dtype=np.int64))
    into = flows[ns + len(arcs) :]
    deficient = np.nonzero(into < req)[0]
    if not len(deficient):
        return (
            Conflict(
                rules=("locks", "coverage") if len(problem.lock_cadre) else ("coverage",),
                message="locked cadres and required posts cannot all be placed together",
                needed=int(req.sum()),
                available=int(into.sum()),
                relaxation="remove locks or allow vacancies",
            ),
        )
    matched = np.full(ns, -1, dtype=np.int64)
    used = flows[ns : ns + len(arcs)] > 0
    matched[slot_ix[used]] = problem.arc_group[arcs][used]
    # alternating BFS: group -> any eligible slot -> the group it is matched to
    by_group = sparse.csr_matrix(
        (np.ones(len(arcs)), (problem.arc_group[arcs], slot_ix)), shape=(ng, ns)
    )
    seen_g = np.zeros(ng, dtype=bool)
    seen_s = np.zeros(ns, dtype=bool)
    seen_g[deficient] = True
    frontier = deficient
    while len(frontier):
        nb = np.unique(by_group[frontier].indices)
        nb = nb[~seen_s[nb]]
        seen_s[nb] = True
        nxt = np.unique(matched[nb])
        nxt = nxt[(nxt >= 0)]
        nxt = nxt[~seen_g[nxt]]
        seen_g[nxt] = True
        frontier = nxt
    sub = by_group[seen_g][:, seen_s]
    gs, ss = np.nonzero(seen_g)[0], np.nonzero(seen_s)[0]
    graph = sparse.bmat([[None, sub], [sub.T, None]], format="csr") if len(ss) else None
    if graph is None:
        labels = np.arange(len(gs))
    else:
        _, lab = connected_components(graph, directed=False)
        labels = lab[: len(gs)]
    slot_labels = np.zeros(0, np.int64) if graph is None else lab[len(gs) :]
    out: list[Conflict] = []
    for comp in np.unique(labels[np.isin(gs, deficient)]):
        groups = gs[labels == comp]
        comp_slots = uslot[ss[slot_labels == comp]] if graph is not None else np.zeros(0, np.int64)
        out.append(_hall_conflict(problem, groups, comp_slots))
    return tuple(out)


def _hall_conflict(
    problem: ProblemData, groups: NDArray[np.int64], slots: NDArray[np.int64]
) -> Conflict:
    need = int(problem.group_required[groups].sum())
    cadres = slots if problem.one_post_per_cadre else np.unique(slots // 2)
    have = len(cadres)
    coms = problem.group_community[groups]
    types = sorted({_TYPE_WORD[int(t)] for t in problem.group_type[groups]})
    pruned = problem.group_pruned[groups].sum(axis=0)
    rules = [problem.prune_rules[k] for k in np.argsort(-pruned, kind="stable") if pruned[k]]
    words = [
        f"{problem.prune_words[k]}: {int(pruned[k])} pairs"
        for k in np.argsort(-pruned, kind="stable")
        if pruned[k]
    ]
    why = f" (pairs removed by {'; '.join(words)})" if words else ""
    n_com = len(np.unique(coms))
    msg = (
        f"{need} {'/'.join(types)} posts in {n_com} communities of {_districts(problem, coms)} "
        f"must be filled; only {have} eligible cadres exist{why}"
    )
    top = problem.prune_words[int(np.argmax(pruned))] if words else ""
    relax = (
        f"relax '{top}', allow vacancies, or add {need - have} eligible cadres"
        if top
        else f"allow vacancies or add {need - have} cadres near these communities"
    )
    return Conflict(
        rules=("coverage", *rules),
        message=msg,
        needed=need,
        available=have,
        communities=tuple(sorted({problem.community_ids[c] for c in coms})),
        relaxation=relax,
    )


def side_conflicts(problem: ProblemData) -> tuple[Conflict, ...]:
    """The side rules that clash, narrowed to a minimal set, with the rules whose removal alone
    restores feasibility (MIP feasibility checks, one per rule and step).

    If the plan is impossible even without every side rule, the network itself is the cause
    and the Hall violator says which posts (:func:`flow_conflicts`). Otherwise a deletion
    filter drops each side rule in turn while the rest still clash: what remains is a minimal
    clashing set; coverage and one post per cadre are named only when in force and needed."""
    from matcher.engine.mip import feasible_without  # deferred: mip imports side_constraints

    names = [q.source for q in problem.quotas] + [m.source for m in problem.skill_mixes]
    labels = dict(
        zip(
            names,
            [q.name for q in problem.quotas] + [m.name for m in problem.skill_mixes],
            strict=True,
        )
    )
    if not names or not feasible_without(problem, names):
        return flow_conflicts(problem)
    core = list(names)
    for name in names:
        rest = [n for n in core if n != name]
        if not feasible_without(problem, [n for n in names if n not in rest]):
            core = rest
    fixes = [n for n in names if feasible_without(problem, n)]
    dropped = [n for n in names if n not in core]
    covered = bool((problem.group_required > 0).any())
    needs_cover = covered and feasible_without(problem, dropped, cover=False)
    rules = [*core, *(["coverage"] if needs_cover else [])]
    with_ = []
    if needs_cover:
        with_.append("full coverage")
    if problem.one_post_per_cadre:
        rules.append("one_post_per_cadre")
        with_.append("one post per cadre")
    tail = f" with {' and '.join(with_)}" if with_ else ""
    shown = ", ".join(f"'{labels[n]}' ({n})" for n in core)
    relax = (
        "drop or loosen one of: " + ", ".join(f"'{labels[n]}'" for n in fixes)
        if fixes
        else "loosen several of them"
    )
    return (
        Conflict(
            rules=tuple(rules),
            message=f"{shown} cannot hold together{tail}",
            needed=len(core),
            available=len(core) - 1 if fixes else 0,
            relaxation=relax,
        ),
    )
