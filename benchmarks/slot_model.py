"""The naive textbook model shared by the naive CP-SAT and the full MIP alternatives.

One Boolean per eligible (cadre, post) pair, where a *post* is a single seat: a community with
two part-time posts has two seats, and every cadre eligible for the group gets a Boolean for
each seat. All rules are plain linear rows over those Booleans:

* each required seat is filled (= 1); an optional seat (vacancies allowed) is filled at most
  once and costs its vacancy penalty when empty;
* each cadre holds at most one seat (one per post type when the rule is off);
* each valid lock: the cadre's Booleans in the locked community (and type) sum to ≥ 1;
* source quotas and skill mix: counts of Booleans between their bounds.

No grouping of interchangeable seats, no min-cost flow, no bound or warm start, no pricing or
reduced-cost fixing: these are the engine's structure tricks the benchmark measures against.
Eligibility (which pairs exist) and the cost of a pair come from the engine's problem data,
so both models optimise exactly the engine's objective.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy import sparse

from matcher.engine.flow import Solution
from matcher.engine.problem import ProblemData


@dataclass(frozen=True)
class SlotModel:
    """``min cost·x + offset`` s.t. ``row_lo ≤ A x ≤ row_hi``, x binary.

    Column k is arc ``col_arc[k]`` in seat ``col_seat[k]`` of its group. ``row_hi`` is
    ``inf`` for rows without an upper bound.
    """

    col_arc: NDArray[np.int64]
    col_seat: NDArray[np.int64]
    cost: NDArray[np.int64]
    offset: int
    a: sparse.csr_matrix
    row_lo: NDArray[np.float64]
    row_hi: NDArray[np.float64]

    @property
    def n_cols(self) -> int:
        """Number of Booleans."""
        return len(self.col_arc)


def column_count(problem: ProblemData) -> int:
    """Booleans the model would have (to decide whether building it is sensible)."""
    return int(problem.group_capacity[problem.arc_group].astype(np.int64).sum())


def build(problem: ProblemData) -> SlotModel:
    """Assemble the naive model (see module docstring) as a sparse matrix."""
    cap = problem.group_capacity.astype(np.int64)
    reps = cap[problem.arc_group]
    col_arc = np.repeat(np.arange(problem.n_arcs, dtype=np.int64), reps)
    first = np.cumsum(reps) - reps
    col_seat = np.arange(len(col_arc), dtype=np.int64) - np.repeat(first, reps)
    col_group = problem.arc_group[col_arc].astype(np.int64)
    seat0 = np.cumsum(cap) - cap  # first seat id of each group
    seat = seat0[col_group] + col_seat
    n_seats = int(cap.sum())
    seat_group = np.repeat(np.arange(problem.n_groups), cap)
    seat_required = (np.arange(n_seats) - seat0[seat_group]) < problem.group_required[seat_group]

    rows: list[NDArray[np.int64]] = [seat]
    cols: list[NDArray[np.int64]] = [np.arange(len(col_arc))]
    lo = [np.where(seat_required, 1.0, 0.0)]
    hi = [np.ones(n_seats)]
    n_rows = n_seats
    vacancy = problem.group_vacancy_cost[seat_group]
    offset = int(vacancy[~seat_required].sum())
    cost = problem.arc_cost[col_arc] - np.where(seat_required[seat], 0, vacancy[seat])

    cad = problem.arc_cadre[col_arc].astype(np.int64)
    typ = problem.group_type[col_group].astype(np.int64)
    holder = cad if problem.one_post_per_cadre else cad * 2 + typ
    uniq, inv = np.unique(holder, return_inverse=True)
    rows.append(n_rows + inv)
    cols.append(np.arange(len(col_arc)))
    lo.append(np.zeros(len(uniq)))
    hi.append(np.ones(len(uniq)))
    n_rows += len(uniq)

    # A sitting cadre pays its drop cost unless it holds a seat of its current slot.
    drop = problem.cadre_drop_cost[cad]
    keeps = problem.one_post_per_cadre | (typ == problem.cadre_current_type[cad])
    cost = cost - np.where(keeps, drop, 0)
    offset += int(problem.cadre_drop_cost.sum())

    def add(mask: NDArray[np.bool_], row_lo: float, row_hi: float) -> None:
        nonlocal n_rows
        k = np.nonzero(mask)[0]
        rows.append(np.full(len(k), n_rows, dtype=np.int64))
        cols.append(k)
        lo.append(np.array([row_lo]))
        hi.append(np.array([row_hi]))
        n_rows += 1

    com = problem.group_community[col_group]
    for i, issue in enumerate(problem.lock_issue):
        if issue:
            continue
        t = int(problem.lock_type[i])
        hit = (cad == problem.lock_cadre[i]) & (com == problem.lock_community[i])
        add(hit & ((typ == t) | (t < 0)), 1.0, np.inf)
    for q in problem.quotas:
        add((typ == q.post_type) & q.member[cad], max(q.lo, 0), np.inf if q.hi < 0 else q.hi)
    for mix in problem.skill_mixes:
        ok = (typ == mix.post_type) & mix.skilled[cad]
        for c in mix.communities:
            add(ok & (com == c), mix.min_count, np.inf)

    a = sparse.csr_matrix(
        (np.ones(sum(len(r) for r in rows)), (np.concatenate(rows), np.concatenate(cols))),
        shape=(n_rows, len(col_arc)),
    )
    return SlotModel(
        col_arc, col_seat, cost.astype(np.int64), offset, a, np.concatenate(lo), np.concatenate(hi)
    )


def decode(problem: ProblemData, model: SlotModel, x: NDArray[np.bool_]) -> Solution:
    """The engine-style solution (chosen arcs, vacancies per group) of a 0/1 vector."""
    chosen = np.zeros(problem.n_arcs, dtype=bool)
    chosen[model.col_arc[x]] = True
    filled = np.bincount(problem.arc_group[chosen], minlength=problem.n_groups)
    vacant = (problem.group_capacity - filled).astype(np.int32)
    return Solution(chosen, vacant)
