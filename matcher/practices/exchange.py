"""Exchange postings (挂职交流): guests to host communities, with wishes on both sides.

Two ways to post, and an audit that applies to any plan:

* **optimal** — a min-cost flow that first places as many guests as possible and then
  minimises the sum of the guests' ranks of their hosts (plus the hosts' ranks of their
  guests, where hosts ranked). The placement count is lexicographically first because an
  unplaced guest costs more than every rank sum together; min-cost flow is exact.
* **stable** — guest-proposing deferred acceptance (Gale–Shapley) with host capacities: the
  guest-optimal stable matching. A host without a list accepts any guest and keeps whom it
  holds (indifference), so it never takes part in a blocking pair once it is full.
* **audit** — the blocking pairs of a plan: a guest and a host who both would rather have each
  other than what the plan gives them.

Ranks are 1-based (1 = first wish); 0 means "not on the list".
"""

from __future__ import annotations

import time
from collections import deque
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from ortools.graph.python import min_cost_flow

from matcher.engine.result import Status
from matcher.practices.outcome import Outcome, Pair


@dataclass(frozen=True)
class ExchangeProblem:
    """Guests × hosts: ranks on both sides (0 = unranked) and which pairs are acceptable."""

    guest_ids: tuple[str, ...]
    host_ids: tuple[str, ...]
    capacity: NDArray[np.int64]
    guest_rank: NDArray[np.int64]
    host_rank: NDArray[np.int64]
    acceptable: NDArray[np.bool_]
    hosts_rank: NDArray[np.bool_]  # per host: did it give a list?

    def guest_order(self, g: int) -> list[int]:
        """Hosts acceptable to guest ``g``, best first (ranked ones, then the rest by index)."""
        ok = np.nonzero(self.acceptable[g])[0]
        rank = self.guest_rank[g, ok]
        key = np.where(rank > 0, rank, len(self.host_ids) + 1 + ok)
        return [int(h) for h in ok[np.argsort(key, kind="stable")]]

    def costs(self) -> NDArray[np.int64]:
        """Points of every pair: the guest's rank of the host (a host off the guest's list
        counts one more than the number of hosts) plus the host's rank of the guest."""
        n_h = len(self.host_ids)
        return np.where(self.guest_rank > 0, self.guest_rank, n_h + 1) + self.host_rank

    def host_prefers(self, h: int, a: int, b: int) -> bool:
        """Host ``h`` strictly prefers guest ``a`` to guest ``b`` (never without a list)."""
        if not self.hosts_rank[h]:
            return False
        ra, rb = self.host_rank[a, h], self.host_rank[b, h]
        return bool(ra > 0 and (rb == 0 or ra < rb))


def _outcome_stats(p: ExchangeProblem, host_of: list[int | None]) -> dict[str, float | int | None]:
    ranks = [int(p.guest_rank[g, h]) for g, h in enumerate(host_of) if h is not None]
    placed = len(ranks)
    listed = [r for r in ranks if r > 0]
    return {
        "guests": len(p.guest_ids),
        "placed": placed,
        "first_choice_share": round(sum(r == 1 for r in ranks) / placed, 4) if placed else None,
        "top3_share": round(sum(0 < r <= 3 for r in ranks) / placed, 4) if placed else None,
        "mean_rank": round(sum(listed) / len(listed), 4) if listed else None,
        "off_list": placed - len(listed),
    }


def _pairs(p: ExchangeProblem, host_of: list[int | None]) -> tuple[Pair, ...]:
    out = []
    for g, h in enumerate(host_of):
        if h is None:
            continue
        rank, hrank = int(p.guest_rank[g, h]), int(p.host_rank[g, h])
        words = [f"第{rank}志愿" if rank else "不在本人志愿内"]
        if p.hosts_rank[h]:
            words.append(f"接收社区排第{hrank}位" if hrank else "接收社区未排序")
        cost = int(p.costs()[g, h])
        out.append(
            Pair(p.guest_ids[g], p.host_ids[h], cost, None, rank, hrank, {}, "；".join(words))
        )
    return tuple(out)


def solve_optimal(p: ExchangeProblem) -> tuple[list[int | None], int]:
    """Most guests placed, then the least total rank; returns (host per guest, rank sum)."""
    n_g, n_h = p.guest_rank.shape
    cost = p.costs()
    unplaced = int(cost.max(initial=0)) * n_g + 1  # more than any feasible rank sum
    flow = min_cost_flow.SimpleMinCostFlow()
    sink, spill = n_g + n_h, n_g + n_h + 1
    rows, cols = np.nonzero(p.acceptable)
    arcs = flow.add_arcs_with_capacity_and_unit_cost(
        rows.astype(np.int32),
        (n_g + cols).astype(np.int32),
        np.ones(len(rows), np.int64),
        cost[rows, cols],
    )
    flow.add_arcs_with_capacity_and_unit_cost(
        np.arange(n_g, n_g + n_h, dtype=np.int32),
        np.full(n_h, sink, np.int32),
        p.capacity,
        np.zeros(n_h, np.int64),
    )
    flow.add_arcs_with_capacity_and_unit_cost(
        np.arange(n_g, dtype=np.int32),
        np.full(n_g, spill, np.int32),
        np.ones(n_g, np.int64),
        np.full(n_g, unplaced, np.int64),
    )
    flow.add_arc_with_capacity_and_unit_cost(spill, sink, n_g, 0)
    supplies = np.zeros(n_g + n_h + 2, dtype=np.int64)
    supplies[:n_g], supplies[sink] = 1, -n_g
    flow.set_nodes_supplies(np.arange(n_g + n_h + 2, dtype=np.int32), supplies)
    status = flow.solve()
    assert status == flow.OPTIMAL, "a flow with a spill arc always exists"
    host_of: list[int | None] = [None] * n_g
    used = flow.flows(arcs) > 0
    for g, h in zip(rows[used], cols[used], strict=True):
        host_of[int(g)] = int(h)
    return host_of, _rank_sum(p, host_of)


def _rank_sum(p: ExchangeProblem, host_of: list[int | None]) -> int:
    return sum(
        int(p.guest_rank[g, h]) + int(p.host_rank[g, h])
        for g, h in enumerate(host_of)
        if h is not None
    )


def deferred_acceptance(p: ExchangeProblem) -> list[int | None]:
    """Guest-proposing deferred acceptance with host capacities (guest-optimal stable)."""
    n_g = len(p.guest_ids)
    orders = [p.guest_order(g) for g in range(n_g)]
    nxt = [0] * n_g
    held: list[list[int]] = [[] for _ in p.host_ids]
    free = deque(range(n_g))
    while free:
        g = free.popleft()
        while nxt[g] < len(orders[g]):
            h = orders[g][nxt[g]]
            nxt[g] += 1
            if len(held[h]) < int(p.capacity[h]):
                held[h].append(g)
                break
            worst = max(held[h], key=lambda x: (p.host_rank[x, h] or 10**9, x))
            if p.host_prefers(h, g, worst):
                held[h].remove(worst)
                held[h].append(g)
                free.append(worst)
                break
    host_of: list[int | None] = [None] * n_g
    for h, guests in enumerate(held):
        for g in guests:
            host_of[g] = h
    return host_of


def blocking_pairs(p: ExchangeProblem, host_of: list[int | None]) -> list[tuple[int, int]]:
    """Every (guest, host) who would both rather have each other than what the plan gives."""
    n_g, n_h = p.guest_rank.shape
    held: list[list[int]] = [[] for _ in range(n_h)]
    for g, h in enumerate(host_of):
        if h is not None:
            held[h].append(g)
    position = {}
    for g in range(n_g):
        position[g] = {h: i for i, h in enumerate(p.guest_order(g))}
    found = []
    for g in range(n_g):
        mine = host_of[g]
        for h in range(n_h):
            if h == mine or not p.acceptable[g, h]:
                continue
            if mine is not None and position[g][h] >= position[g][mine]:
                continue  # g does not prefer h
            if len(held[h]) < int(p.capacity[h]) or any(p.host_prefers(h, g, x) for x in held[h]):
                found.append((g, h))
    return found


def solve_exchange(p: ExchangeProblem, mode: str = "optimal") -> Outcome:
    """Post the guests (``optimal`` or ``stable``), audit the plan, and report the outcomes."""
    start = time.perf_counter()
    best, best_sum = solve_optimal(p)
    stable = deferred_acceptance(p)
    host_of = best if mode == "optimal" else stable
    blocking = blocking_pairs(p, host_of)
    stats = _outcome_stats(p, host_of)
    # what stability costs: the stable plan's rank sum above the optimum's (same placements)
    if sum(h is None for h in stable) == sum(h is None for h in best):
        stats["price_of_stability"] = _rank_sum(p, stable) - best_sum
    stats["blocking_pairs"] = len(blocking)
    unmatched = tuple(p.guest_ids[g] for g, h in enumerate(host_of) if h is None)
    notes = [
        "最优方式：先使安排的人数最多，再使志愿名次之和最小（最小费用流，已证明）"
        if mode == "optimal"
        else "稳定方式：挂职书记按志愿依次申请（延迟接受算法），所得为对挂职书记最有利的稳定方案"
    ]
    notes += [
        f"不稳定配对：{p.guest_ids[g]} 与 {p.host_ids[h]} 都更愿意彼此结对" for g, h in blocking
    ]
    objective = _rank_sum(p, host_of)
    same_count = len(unmatched) == sum(h is None for h in best)
    # the stable plan is proven optimal too when it reaches the flow's optimum
    proven = mode == "optimal" or (same_count and objective == best_sum)
    return Outcome(
        "挂职交流",
        Status.OPTIMAL if proven else Status.FEASIBLE,
        objective,
        float(best_sum) if same_count else None,
        "min-cost flow" if mode == "optimal" else "deferred acceptance",
        pairs=_pairs(p, host_of),
        unmatched=unmatched,
        notes=tuple(notes),
        stats=stats,
        time_s=time.perf_counter() - start,
    )
