"""Mid-term replacement with proven fewest moves (the engine part, on problem arrays).

Given the problem of the round after the events and where each sitting cadre sat, find the
plan that keeps every hard rule and, in this order, leaves the fewest posts vacant, moves the
fewest sitting cadres (changing post or losing it counts), and costs least. The augmenting
paths of :mod:`matcher.lifecycle.augment` decide it when the side rules (quotas, skill mix
the network cannot hold) and locks hold in their plan; otherwise the levels MIP of
:mod:`matcher.lifecycle.levels` does. Coverage is not a hard rule here: a post nobody
eligible can fill stays vacant, and level 1 says how many.
"""

from __future__ import annotations

import dataclasses
import time
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy import sparse
from scipy.sparse.csgraph import maximum_bipartite_matching

from matcher.engine.flow import Solution, slot_of_arcs
from matcher.engine.problem import ProblemData
from matcher.engine.result import Status
from matcher.engine.saturated_quotas import saturated_quotas
from matcher.engine.side_constraints import group_table
from matcher.engine.skill_split import split_groups
from matcher.lifecycle.augment import State, augment, plan_potentials, start_state
from matcher.lifecycle.levels import solve_levels
from matcher.lifecycle.network import MoveNetwork, build_network
from matcher.model.settings import SolveSettings

LEVELS = ("vacancies", "moves", "cost")


@dataclass(frozen=True, slots=True)
class Level:
    """One level of the lexicographic objective: its value and the proven bound."""

    name: str
    value: int
    bound: float

    @property
    def proven(self) -> bool:
        """True when the bound meets the value."""
        return float(self.value) == self.bound


@dataclass(frozen=True, slots=True)
class Core:
    """What the engine decided: the plan, the levels, how, and what keeping everyone gives."""

    status: Status
    method: str
    solution: Solution | None
    levels: tuple[Level, ...]
    start_vacancies: int
    forced: int
    paths: int
    notes: tuple[str, ...]
    time_s: float


def level_values(
    problem: ProblemData, orig_group: NDArray[np.int64], sol: Solution
) -> tuple[int, int, int]:
    """(vacant posts, moved sitting cadres, cost) of a plan, counted from the plan itself."""
    p = problem
    vacancies = int(sol.vacant.sum())
    kept = np.zeros(len(p.cadre_ids), dtype=bool)
    own = sol.chosen & (p.arc_group == orig_group[p.arc_cadre])
    kept[p.arc_cadre[own]] = True
    moves = int(((orig_group != -1) & ~kept).sum())
    cost = int((p.arc_cost - p.arc_change)[sol.chosen].sum()) + sol.vacancy_cost(p)
    return vacancies, moves, cost


class Prepared:
    """The approved plan's network and potentials, built once (O(arcs)); each
    :meth:`decide` then costs the augmenting paths and local checks only."""

    def __init__(self, problem: ProblemData, orig_group: NDArray[np.int64]) -> None:
        self.problem, self.orig_group = problem, orig_group
        # a quota deciding every post of its type closes the arcs no plan keeping it uses
        # (exact: :mod:`matcher.engine.saturated_quotas`), so the network keeps it by itself
        saturated = saturated_quotas(problem)
        self.open_arcs: NDArray[np.bool_] = ~saturated.closed
        self.full_groups: NDArray[np.bool_] = saturated.full
        self.net: MoveNetwork = build_network(problem, orig_group, self.open_arcs)
        self.base: State | None = None if self.net.overflow else plan_potentials(self.net)
        p = problem
        self.slot_cadre = np.arange(self.net.n_slots) // (1 if p.one_post_per_cadre else 2)
        split = split_groups(p)
        self.split_groups = split.group_skilled > 0
        table = group_table(p)
        self.mixes = [(mix, table[mix.communities, mix.post_type]) for mix in p.skill_mixes]
        self.locks = [
            (int(p.lock_cadre[k]), int(p.lock_community[k]), int(p.lock_type[k]))
            for k, issue in enumerate(p.lock_issue)
            if not issue
        ]

    def closed_arcs(self, pairs: list[tuple[int, int]]) -> NDArray[np.int64]:
        """Node arcs of (cadre, community) pairs an event forbids."""
        net, p = self.net, self.problem
        out: list[NDArray[np.int64]] = []
        for cad, com in pairs:
            slots = [cad] if p.one_post_per_cadre else [2 * cad, 2 * cad + 1]
            for s in slots:
                arcs = net.arcs_of_slot(s)
                hit = p.group_community[net.node_group[net.arc_node[arcs]]] == com
                out.append(arcs[hit])
        return np.concatenate(out) if out else np.zeros(0, dtype=np.int64)

    def broken(self, st: State, leave: set[int], closed_cadres: set[int]) -> list[str]:
        """Side rules and locks the placement breaks (quotas, skill mix, locks)."""
        p, net = self.problem, self.net
        seated = np.nonzero(st.assign >= 0)[0]
        cad = self.slot_cadre[seated]
        grp = net.node_group[st.assign[seated]]
        out: list[str] = []
        for q in p.quotas:
            n = int((q.member[cad] & (p.group_type[grp] == q.post_type)).sum())
            if n < q.lo or (q.hi >= 0 and n > q.hi):
                out.append(f"{q.name}: {n} outside [{max(q.lo, 0)}, {q.hi if q.hi >= 0 else '∞'}]")
        for mix, groups in self.mixes:
            count = np.bincount(grp[mix.skilled[cad]], minlength=p.n_groups)
            for g in groups[groups >= 0].tolist():
                if not self.split_groups[g] and count[g] < mix.min_count:
                    out.append(f"{mix.name} in {p.group_label(g)}")
        short = np.nonzero(net.node_skilled & (st.fill < net.node_cap))[0]
        out += [f"skill mix in {p.group_label(int(net.node_group[n]))}" for n in short.tolist()]
        where = np.full(len(p.cadre_ids), -1, dtype=np.int64)
        where[cad] = grp
        for i, com, t in self.locks:
            if i in leave or i in closed_cadres:
                continue  # an event overrides the lock
            g = int(where[i])
            if g < 0 or p.group_community[g] != com or (t >= 0 and p.group_type[g] != t):
                out.append(f"lock {p.cadre_ids[i]} → {p.community_ids[com]}")
        return out

    def decide(
        self,
        leave: list[int] | None = None,
        forbid: list[tuple[int, int]] | None = None,
        settings: SolveSettings | None = None,
    ) -> Core:
        """The lexicographic replacement after cadres ``leave`` the pool (indices) and the
        (cadre, community) pairs in ``forbid`` close (see module docstring)."""
        started = time.perf_counter()
        settings = settings or SolveSettings()
        leave, forbid = leave or [], forbid or []
        net, p = self.net, self.problem
        orig = self.orig_group.copy()
        orig[leave] = -1  # who left the pool is not a move
        notes: list[str] = []
        leave_slots = np.array(
            [s for i in leave for s in ([i] if p.one_post_per_cadre else [2 * i, 2 * i + 1])],
            dtype=np.int64,
        )
        closed = self.closed_arcs(forbid)
        st = None if self.base is None else start_state(net, self.base, leave_slots, closed)
        if st is None:
            notes.append("the plan is no cheapest placement of its size: levels MIP")
        else:
            start_vac = int((net.node_cap - st.fill).sum())
            forced = int((net.slot_sitting & (st.assign < 0) & (orig[self.slot_cadre] != -1)).sum())
            proven = augment(net, st)
            broken = self.broken(st, set(leave), {c for c, _ in forbid})
            if proven and not broken:
                sol = self.solution(st)
                values = level_values(p, orig, sol)
                levels = tuple(Level(n, v, float(v)) for n, v in zip(LEVELS, values, strict=True))
                note = (
                    f"{st.paths} augmenting paths from the approved plan; the optimality "
                    "conditions hold on every residual arc, so each level is proven"
                )
                return Core(
                    Status.OPTIMAL,
                    "augmenting-paths",
                    sol,
                    levels,
                    start_vac,
                    forced,
                    st.paths,
                    (note,),
                    time.perf_counter() - started,
                )
            what = "; ".join(broken[:5]) if broken else "the optimality conditions"
            short = self.unfillable(leave, closed)
            if short:
                notes.append(
                    f"{short} posts a quota needs filled (every post of their type, by its "
                    "members) have no eligible cadre left, even ignoring every other rule "
                    "(maximum matching): no plan keeps the quotas"
                )
                return Core(
                    Status.INFEASIBLE,
                    "maximum-matching",
                    None,
                    (),
                    start_vac,
                    forced,
                    st.paths,
                    tuple(notes),
                    time.perf_counter() - started,
                )
            notes.append(f"the network plan breaks {what}: levels MIP")
        mask = self.open_arcs.copy()
        mask[np.isin(p.arc_cadre, leave)] = False
        mask[net.arc_src[closed]] = False
        void = set(leave) | {c for c, _ in forbid}  # an event overrides these cadres' locks
        issues = tuple(
            issue or ("overridden by an event" if int(p.lock_cadre[k]) in void else "")
            for k, issue in enumerate(p.lock_issue)
        )
        return _levels(
            dataclasses.replace(p, lock_issue=issues), orig, mask, settings, started, notes
        )

    def unfillable(self, leave: list[int], closed: NDArray[np.int64]) -> int:
        """How many posts of the saturated quotas' groups no matching can fill: a maximum
        bipartite matching of those posts with the cadre slots still open to them, every other
        rule relaxed. More than 0 proves that no plan keeps those quotas."""
        p = self.problem
        if not self.full_groups.any():
            return 0
        ok = self.open_arcs & self.full_groups[p.arc_group]
        ok[np.isin(p.arc_cadre, leave)] = False
        ok[self.net.arc_src[closed]] = False
        arcs = np.nonzero(ok)[0]
        cap = np.where(self.full_groups, p.group_capacity, 0).astype(np.int64)
        first = np.concatenate([[0], np.cumsum(cap)])
        copies = cap[p.arc_group[arcs]]
        rows = np.repeat(first[p.arc_group[arcs]], copies)
        rows += np.arange(len(rows)) - np.repeat(np.cumsum(copies) - copies, copies)
        cols = np.repeat(slot_of_arcs(p)[arcs], copies)
        n_slots = len(p.cadre_ids) * (1 if p.one_post_per_cadre else 2)
        graph = sparse.csr_matrix(
            (np.ones(len(rows), dtype=np.int8), (rows, cols)), shape=(int(first[-1]), n_slots)
        )
        matched = maximum_bipartite_matching(graph, perm_type="column")
        return int((matched < 0).sum())

    def solution(self, st: State) -> Solution:
        """The placement as chosen problem arcs and vacant posts per group."""
        p, net = self.problem, self.net
        chosen = np.zeros(p.n_arcs, dtype=bool)
        chosen[net.arc_src[st.assign_arc[st.assign >= 0]]] = True
        filled = np.bincount(net.node_group, weights=st.fill, minlength=p.n_groups)
        vacant = (p.group_capacity - filled.astype(np.int64)).astype(np.int32)
        return Solution(chosen, vacant)


def _levels(
    p: ProblemData,
    orig: NDArray[np.int64],
    mask: NDArray[np.bool_],
    settings: SolveSettings,
    started: float,
    notes: list[str],
) -> Core:
    out = solve_levels(p, orig, mask, settings, started + settings.time_limit_s)
    levels = tuple(Level(n, v, b) for n, v, b in zip(LEVELS, out.values, out.bounds, strict=False))
    status = {
        "optimal": Status.OPTIMAL,
        "feasible": Status.FEASIBLE,
        "infeasible": Status.INFEASIBLE,
    }.get(out.status, Status.UNKNOWN)
    if status is Status.INFEASIBLE:
        notes.append("no plan keeps every hard rule (quotas, skill mix, locks) after the events")
    sol = out.solution if status in (Status.OPTIMAL, Status.FEASIBLE) else None
    if sol is not None and status is Status.FEASIBLE:
        notes.append("stopped before every level was proven; the plan keeps every rule")
    own = mask & (orig[p.arc_cadre] == p.arc_group)
    may_stay = np.zeros(len(orig), dtype=bool)
    may_stay[p.arc_cadre[own]] = True
    start_vac = int(p.group_capacity.sum()) - int(may_stay.sum())
    forced = int(((orig != -1) & ~may_stay).sum())  # sitting, but their own post is closed
    return Core(
        status,
        "levels-mip",
        sol,
        levels,
        start_vac,
        forced,
        0,
        tuple(notes),
        time.perf_counter() - started,
    )


def solve_replacement(
    problem: ProblemData,
    orig_group: NDArray[np.int64],
    settings: SolveSettings | None = None,
) -> Core:
    """Decide the lexicographic replacement of a situation whose events are already in the
    problem (a rebuilt round). ``orig_group[i]``: the group cadre i held (−1 none, −2 a post
    the events took away or closed)."""
    return Prepared(problem, orig_group).decide(settings=settings)
