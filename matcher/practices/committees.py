"""Joint Party committees (联合党委): neighbouring communities in groups of 3–4, exactly.

Like the regionalisation models of PySAL's spopt (max-p, SKATER, AZP), groups must be
spatially contiguous; unlike their heuristics (SKATER prunes a spanning tree, AZP and max-p
search locally), a district is small enough to solve exactly as **set partitioning**:

1. enumerate every connected set of ``min_size``–``max_size`` communities of the neighbour
   graph that holds at least one strong community (each set once: grown from its smallest
   member through larger-numbered neighbours only);
2. price each by its spread — the largest distance between two of its members, in metres;
3. choose candidates that cover every community exactly once at least total spread (HiGHS
   branch and bound with a zero gap, one thread and a fixed seed, so the same input gives the
   same groups; its proof makes the status ``optimal``, a time limit without proof makes it
   ``feasible``). HiGHS was faster than CP-SAT on this model (``benchmarks/bench_practices``).

A community that lies in no candidate (no strong community within reach, an island) is named
as the reason when no partition exists.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import highspy
import numpy as np
from numpy.typing import NDArray

from matcher.engine.mip import quiet_highs, run_highs
from matcher.engine.result import Status
from matcher.practices.outcome import Group, Outcome


@dataclass(frozen=True)
class CommitteeProblem:
    """Communities, which may lead, who neighbours whom, and distances between them."""

    ids: tuple[str, ...]
    strong: NDArray[np.bool_]
    neighbours: tuple[tuple[int, ...], ...]
    distance_m: NDArray[np.int64]
    min_size: int = 3
    max_size: int = 4
    stars: NDArray[np.int64] | None = None


def candidate_groups(p: CommitteeProblem) -> list[tuple[int, ...]]:
    """Every connected set of allowed size with a strong member, each exactly once.

    ESU enumeration (Wernicke 2006): a set is grown from its smallest member ``v`` and
    extended only by neighbours that are larger than ``v`` and exclusive to the newest
    member, so each connected set appears at exactly one node of the search tree.
    """
    found: list[tuple[int, ...]] = []

    def extend(sub: frozenset[int], ext: set[int], v: int, near: frozenset[int]) -> None:
        if len(sub) >= p.min_size and p.strong[list(sub)].any():
            found.append(tuple(sorted(sub)))
        if len(sub) == p.max_size:
            return
        ext = set(ext)
        while ext:
            w = max(ext)
            ext.discard(w)
            exclusive = {u for u in p.neighbours[w] if u > v and u not in near}
            extend(sub | {w}, ext | exclusive, v, near | exclusive | {w})

    for v in range(len(p.ids)):
        start = {u for u in p.neighbours[v] if u > v}
        extend(frozenset({v}), start, v, frozenset(start | {v}))
    return sorted(found)


def spread(p: CommitteeProblem, group: tuple[int, ...]) -> int:
    """The largest distance between two members (metres)."""
    idx = np.array(group)
    return int(p.distance_m[np.ix_(idx, idx)].max())


def _leader(p: CommitteeProblem, group: tuple[int, ...]) -> int:
    stars = p.stars if p.stars is not None else np.zeros(len(p.ids), dtype=np.int64)
    strong = [i for i in group if p.strong[i]]
    return max(strong, key=lambda i: (int(stars[i]), -i))


def solve_committees(p: CommitteeProblem, time_limit_s: float = 30.0, seed: int = 0) -> Outcome:
    """Partition the communities into joint committees of least total spread."""
    start = time.perf_counter()
    groups = candidate_groups(p)
    covered = np.zeros(len(p.ids), dtype=bool)
    for g in groups:
        covered[list(g)] = True
    kind, method = "联合党委", "set partitioning (HiGHS)"
    if not covered.all():
        alone = [p.ids[i] for i in np.nonzero(~covered)[0]]
        why = f"社区 {'、'.join(alone)} 无法与相邻社区组成{p.min_size}—{p.max_size}个、含强社区的组"
        return Outcome(
            kind,
            Status.INFEASIBLE,
            None,
            None,
            method,
            conflicts=(why,),
            stats={"candidates": len(groups)},
            time_s=time.perf_counter() - start,
        )
    cost = np.array([spread(p, g) for g in groups], dtype=np.float64)
    h = quiet_highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("mip_rel_gap", 0.0)
    h.setOptionValue("random_seed", seed)
    h.setOptionValue("threads", 1)  # as the engine's default: HiGHS's scheduler is per process
    h.setOptionValue("time_limit", float(time_limit_s))
    n = len(groups)
    cols = np.arange(n, dtype=np.int32)
    h.addVars(n, np.zeros(n), np.ones(n))
    h.changeColsCost(n, cols, cost)
    h.changeColsIntegrality(n, cols, np.ones(n, dtype=np.uint8))
    members: list[list[int]] = [[] for _ in p.ids]
    for k, g in enumerate(groups):
        for i in g:
            members[i].append(k)
    for ks in members:  # every community in exactly one chosen group
        h.addRow(1.0, 1.0, len(ks), np.array(ks, dtype=np.int32), np.ones(len(ks)))
    run_highs(h)
    status = h.getModelStatus()
    stats: dict[str, float | int | None] = {"communities": len(p.ids), "candidates": len(groups)}
    if status == highspy.HighsModelStatus.kInfeasible:
        n_com = len(p.ids)
        why = f"{n_com}个社区无法全部分入{p.min_size}—{p.max_size}个一组、相邻且含强社区的组"
        return Outcome(
            kind,
            Status.INFEASIBLE,
            None,
            None,
            method,
            conflicts=(why,),
            stats=stats,
            time_s=time.perf_counter() - start,
        )
    x = np.asarray(h.getSolution().col_value) if h.getInfo().primal_solution_status else None
    if x is None:
        return Outcome(
            kind,
            Status.UNKNOWN,
            None,
            None,
            method,
            stats=stats,
            notes=("时限内未找到分组",),
            time_s=time.perf_counter() - start,
        )
    proven = status == highspy.HighsModelStatus.kOptimal
    chosen = [groups[k] for k in range(n) if x[k] > 0.5]
    out = []
    for g in sorted(chosen, key=lambda g: p.ids[_leader(p, g)]):
        lead = _leader(p, g)
        rest = tuple(p.ids[i] for i in g if i != lead)
        s = spread(p, g)
        out.append(
            Group(
                p.ids[lead],
                (p.ids[lead], *rest),
                s,
                f"{len(g)}个相邻社区，最远相距{s / 1000:.1f}公里",
            )
        )
    objective = int(sum(s.spread_m for s in out))
    stats["groups"] = len(out)
    note = "在所有可行分组中总跨度最小（HiGHS 已证明）" if proven else "时限内未证明最优"
    return Outcome(
        kind,
        Status.OPTIMAL if proven else Status.FEASIBLE,
        objective,
        float(h.getInfo().mip_dual_bound) if proven else None,
        method,
        groups=tuple(out),
        notes=(note,),
        stats=stats,
        time_s=time.perf_counter() - start,
    )
