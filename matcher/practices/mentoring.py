"""Mentor matching (导师帮带) as a min-cost flow with lower bounds: exact.

Every mentee sends one unit to one allowed mentor; each mentor passes between ``lo`` and
``hi`` units on to the sink. The lower bound is the textbook transformation: the mentor's arc
to the sink keeps capacity ``hi − lo`` and the mentor node demands ``lo`` units itself. A
min-cost flow that exists is optimal (its duals prove it); one that does not exist means the
minimums, maximums and pairing rules cannot hold together, and :func:`solve_mentoring` says
which counts clash and which rule, dropped alone, would let a plan exist.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray
from ortools.graph.python import min_cost_flow

from matcher.engine.result import Status
from matcher.practices.outcome import Outcome, Pair

RULE_NAMES = {
    "same_district": "导师与学员同属一个区县",
    "different_unit": "导师与学员不在同一街道（单位）",
    "max_km": "距离上限",
}


@dataclass(frozen=True)
class MentorProblem:
    """Arrays of a mentoring round: costs and allowed pairs, mentee rows × mentor columns.

    ``masks`` holds one boolean matrix per pairing rule (True = the rule allows the pair);
    a pair is allowed when every mask allows it. ``terms`` split ``cost`` into named points.
    """

    mentor_ids: tuple[str, ...]
    mentee_ids: tuple[str, ...]
    cost: NDArray[np.int64]
    distance_m: NDArray[np.int64]
    lo: NDArray[np.int64]
    hi: NDArray[np.int64]
    masks: dict[str, NDArray[np.bool_]] = field(default_factory=dict)
    terms: dict[str, NDArray[np.int64]] = field(default_factory=dict)
    covered: NDArray[np.int64] | None = None  # needed skills the mentor brings, per pair

    def allowed(self, drop: str | None = None) -> NDArray[np.bool_]:
        ok = np.ones(self.cost.shape, dtype=bool)
        for name, mask in self.masks.items():
            if name != drop:
                ok &= mask
        return ok


def _flow(p: MentorProblem, allowed: NDArray[np.bool_]) -> tuple[list[tuple[int, int]], int] | None:
    n_mentee, n_mentor = p.cost.shape
    sink = n_mentee + n_mentor
    flow = min_cost_flow.SimpleMinCostFlow()
    rows, cols = np.nonzero(allowed)
    arcs = flow.add_arcs_with_capacity_and_unit_cost(
        rows.astype(np.int32),
        (n_mentee + cols).astype(np.int32),
        np.ones(len(rows), dtype=np.int64),
        p.cost[rows, cols],
    )
    flow.add_arcs_with_capacity_and_unit_cost(
        np.arange(n_mentee, n_mentee + n_mentor, dtype=np.int32),
        np.full(n_mentor, sink, dtype=np.int32),
        (p.hi - p.lo).astype(np.int64),
        np.zeros(n_mentor, dtype=np.int64),
    )
    supplies = np.concatenate(
        [np.ones(n_mentee, dtype=np.int64), -p.lo, [-(n_mentee - int(p.lo.sum()))]]
    )
    flow.set_nodes_supplies(np.arange(sink + 1, dtype=np.int32), supplies)
    if flow.solve() != flow.OPTIMAL:
        return None
    used = flow.flows(arcs) > 0
    chosen = [(int(r), int(c)) for r, c in zip(rows[used], cols[used], strict=True)]
    return chosen, flow.optimal_cost()


def _clashes(p: MentorProblem) -> list[str]:
    n_mentee, n_mentor = p.cost.shape
    found = []
    if int(p.lo.sum()) > n_mentee:
        found.append(
            f"{n_mentor}名导师每人至少带{int(p.lo.min())}名，共需{int(p.lo.sum())}名学员，"
            f"但只有{n_mentee}名学员"
        )
    if int(p.hi.sum()) < n_mentee:
        found.append(
            f"{n_mentor}名导师每人至多带{int(p.hi.max())}名，最多带{int(p.hi.sum())}名，"
            f"但有{n_mentee}名学员需要导师"
        )
    allowed = p.allowed()
    alone = [p.mentee_ids[i] for i in np.nonzero(~allowed.any(axis=1))[0]]
    if alone:
        found.append(f"学员 {'、'.join(alone)} 没有符合配对规则的导师")
    return found


def _reason(p: MentorProblem, r: int, c: int, terms: dict[str, int]) -> str:
    words = [f"相距{p.distance_m[r, c] / 1000:.1f}公里"]
    if p.covered is not None and p.covered[r, c]:
        words.append(f"导师具备学员所缺的{int(p.covered[r, c])}项专长")
    if terms.get("weak_pull"):
        words.append("薄弱或新建社区的学员配星级较高的导师")
    return "；".join(words)


def solve_mentoring(problem: MentorProblem) -> Outcome:
    """Pair every mentee with a mentor at least cost within every mentor's range."""
    start = time.perf_counter()
    got = _flow(problem, problem.allowed())
    if got is None:
        conflicts = _clashes(problem)
        freeing = [
            RULE_NAMES.get(name, name)
            for name in problem.masks
            if _flow(problem, problem.allowed(drop=name)) is not None
        ]
        if not conflicts:
            conflicts.append("各导师的人数上下限与配对规则不能同时满足")
        notes = tuple(f"去掉“{r}”这条规则即可得到方案" for r in freeing)
        return Outcome(
            "导师帮带",
            Status.INFEASIBLE,
            None,
            None,
            "min-cost flow",
            conflicts=tuple(conflicts),
            notes=notes,
            time_s=time.perf_counter() - start,
        )
    pairs_idx, cost = got
    pairs = []
    order = sorted(pairs_idx, key=lambda rc: (problem.mentor_ids[rc[1]], problem.mentee_ids[rc[0]]))
    for r, c in order:
        terms = {name: int(m[r, c]) for name, m in problem.terms.items()}
        reason = _reason(problem, r, c, terms)
        pairs.append(
            Pair(
                problem.mentor_ids[c],
                problem.mentee_ids[r],
                int(problem.cost[r, c]),
                int(problem.distance_m[r, c]),
                terms=terms,
                reason=reason,
            )
        )
    load = np.bincount([c for _, c in pairs_idx], minlength=len(problem.mentor_ids))
    stats: dict[str, float | int | None] = {
        "mentors": len(problem.mentor_ids),
        "mentees": len(problem.mentee_ids),
        "min_load": int(load.min()),
        "max_load": int(load.max()),
        "mean_km": round(float(np.mean([p.distance_m or 0 for p in pairs])) / 1000, 2),
    }
    note = "最小费用流的最优解：每名学员都有导师，每名导师的人数都在上下限之间，总代价已证明最小"
    return Outcome(
        "导师帮带",
        Status.OPTIMAL,
        int(cost),
        float(cost),
        "min-cost flow",
        pairs=tuple(pairs),
        notes=(note,),
        stats=stats,
        time_s=time.perf_counter() - start,
    )
