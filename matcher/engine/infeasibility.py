"""Infeasibility reports: which hard rules clash, by how much, and what would relax them.

Three sources, cheapest first:

- counting checks before solving (:mod:`matcher.engine.static_conflicts`): ineligible or
  clashing locks,
  skill mix without a post or a skilled eligible cadre, quota bounds beyond the posts or
  the eligible cadres;
- a Hall violator when the network itself is infeasible (:func:`flow_conflicts`): a maximum
  flow fills as many required posts as possible; the posts reachable by alternating paths
  from an unfilled one form a set whose eligible cadres are fewer than its posts (König /
  max-flow min-cut), reported per connected component with the rules it truly rests on (a
  deletion filter by maximum flow over the pair rules, one post per cadre and the locks);
- for side constraints that only clash in combination (:func:`side_conflicts`), a deletion
  filter over every rule in force (:mod:`matcher.engine.clash_core`) names an irreducible
  set: relaxing any named rule restores feasibility, and no bystander is named.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray
from ortools.graph.python import max_flow
from scipy import sparse
from scipy.sparse.csgraph import connected_components

from matcher.engine.clash_core import (
    UNTESTABLE,
    clash_core,
    feasible_relaxing,
    relaxed,
    side_rule_names,
)
from matcher.engine.flow import lock_arcs, slot_of_arcs
from matcher.engine.problem import ProblemData
from matcher.engine.result import Conflict
from matcher.engine.static_conflicts import static_conflicts

_TYPE_WORD = {0: "full-time", 1: "part-time"}


def _districts(problem: ProblemData, coms: NDArray[np.int32]) -> str:
    names = sorted({problem.district_names[problem.community_district[c]] for c in coms})
    return " and ".join([", ".join(names[:-1]), names[-1]] if len(names) > 1 else names)


def _max_fill(
    problem: ProblemData,
) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.int64], NDArray[np.int64], Any]:
    """A maximum flow of slots into required posts: ``(arcs, uslot, slot_ix, flows, into)``."""
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
    return arcs, uslot, slot_ix, flows, flows[ns + len(arcs) :]


def _fills(problem: ProblemData, relax: list[str]) -> bool:
    """Can every required post be filled with ``relax`` relaxed (the network alone)?"""
    sub = relaxed(problem, relax)
    return bool((_max_fill(sub)[4] >= sub.group_required).all())


def _hall_rules(problem: ProblemData) -> list[str]:
    """The rules besides coverage that the network's infeasibility truly rests on: a deletion
    filter over the pair rules that removed pairs of required posts, one post per cadre and
    the locks, checked by maximum flow. ``max_distance`` is never relaxed here (the pairs
    beyond the radius are not among the candidates): it is named whenever it is in force."""
    pruned = problem.group_pruned[problem.group_required > 0].sum(axis=0)
    names = [problem.prune_rules[k] for k in np.argsort(-pruned, kind="stable") if pruned[k]]
    if UNTESTABLE in problem.prune_rules and UNTESTABLE not in names:
        names.append(UNTESTABLE)
    if problem.one_post_per_cadre:
        names.append("one_post_per_cadre")
    if any(not s for s in problem.lock_issue):
        names.append("locks")
    if problem.pruned_by is None:
        return names
    dropped: list[str] = []
    for name in names:
        if name != UNTESTABLE and not _fills(problem, [*dropped, name]):
            dropped.append(name)
    return [n for n in names if n not in dropped]


def flow_conflicts(problem: ProblemData) -> tuple[Conflict, ...]:
    """Hall violators of the required posts (see module docstring); never empty."""
    arcs, uslot, slot_ix, flows, into = _max_fill(problem)
    req = problem.group_required.astype(np.int64)
    ns, ng = len(uslot), problem.n_groups
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
    core = _hall_rules(problem)
    for comp in np.unique(labels[np.isin(gs, deficient)]):
        groups = gs[labels == comp]
        comp_slots = uslot[ss[slot_labels == comp]] if graph is not None else np.zeros(0, np.int64)
        out.append(_hall_conflict(problem, groups, comp_slots, core))
    return tuple(out)


def _hall_conflict(
    problem: ProblemData, groups: NDArray[np.int64], slots: NDArray[np.int64], core: list[str]
) -> Conflict:
    need = int(problem.group_required[groups].sum())
    cadres = slots if problem.one_post_per_cadre else np.unique(slots // 2)
    have = len(cadres)
    coms = problem.group_community[groups]
    types = sorted({_TYPE_WORD[int(t)] for t in problem.group_type[groups]})
    pruned = problem.group_pruned[groups].sum(axis=0)
    here = {problem.prune_rules[k] for k in np.nonzero(pruned)[0]}
    rules = [r for r in core if r in here or r not in problem.prune_rules or r == UNTESTABLE]
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
    named = [k for k in np.argsort(-pruned, kind="stable") if problem.prune_rules[k] in rules]
    top = problem.prune_words[named[0]] if named and pruned[named[0]] else ""
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
    """The hard rules that clash, narrowed to an irreducible set by deletion
    (:func:`matcher.engine.clash_core.clash_core`), with the rules whose relaxation alone
    restores feasibility in the whole round.

    If the plan is impossible even without every side rule, the network itself is the cause
    and the Hall violator says which posts (:func:`flow_conflicts`). Otherwise every rule in
    force (side rules, pair rules, coverage, one post per cadre, locks) is a candidate, and
    only those the deletion filter keeps are named: relaxing any one of them (with the rules
    the filter dropped) gives a plan."""
    from matcher.engine.mip import feasible_without  # deferred: mip imports side_constraints

    names = side_rule_names(problem)
    labels = dict(
        zip(
            names,
            [q.name for q in problem.quotas] + [m.name for m in problem.skill_mixes],
            strict=True,
        )
    )
    if not names or not feasible_without(problem, names):
        return flow_conflicts(problem)
    core = clash_core(problem) or names
    fixes = [n for n in core if feasible_relaxing(problem, [n])]
    words = {i: w for i, w in zip(problem.prune_rules, problem.prune_words, strict=True)}
    words |= {
        "coverage": "full coverage",
        "one_post_per_cadre": "one post per cadre",
        "locks": "the locks",
    }
    words |= {n: f"'{labels[n]}'" for n in names}
    shown = ", ".join(f"'{labels[n]}' ({n})" if n in labels else words[n] for n in core)
    relax = (
        "drop or loosen one of: " + ", ".join(words[n] for n in fixes)
        if fixes
        else "loosen one of: " + ", ".join(words[n] for n in core)
    )
    return (
        Conflict(
            rules=tuple(core),
            message=f"{shown} cannot hold together",
            needed=len(core),
            available=len(core) - 1,
            relaxation=relax,
        ),
    )


__all__ = ["flow_conflicts", "side_conflicts", "static_conflicts"]
