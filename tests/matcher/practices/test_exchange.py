"""Exchange postings: deferred acceptance is stable and guest-optimal, the audit finds every
blocking pair, and the optimal mode places most guests at the least rank (brute force)."""

from __future__ import annotations

import itertools
import random

import numpy as np

from matcher.engine.result import Status
from matcher.practices.exchange import (
    ExchangeProblem,
    blocking_pairs,
    deferred_acceptance,
    solve_exchange,
    solve_optimal,
)


def _random(rng: random.Random, hosts_rank: bool) -> ExchangeProblem:
    n_g, n_h = rng.randint(1, 4), rng.randint(1, 4)
    g_rank = np.zeros((n_g, n_h), dtype=np.int64)
    for g in range(n_g):
        wishes = rng.sample(range(n_h), rng.randint(1, n_h))
        for k, h in enumerate(wishes):
            g_rank[g, h] = k + 1
    h_rank = np.zeros((n_g, n_h), dtype=np.int64)
    listing = np.array([hosts_rank and rng.random() < 0.7 for _ in range(n_h)])
    for h in range(n_h):
        if listing[h]:
            for k, g in enumerate(rng.sample(range(n_g), rng.randint(1, n_g))):
                h_rank[g, h] = k + 1
    acceptable = (g_rank > 0) & ((h_rank > 0) | ~listing[None, :])
    capacity = np.array([rng.randint(1, 2) for _ in range(n_h)], dtype=np.int64)
    return ExchangeProblem(
        tuple(f"G{g}" for g in range(n_g)),
        tuple(f"H{h}" for h in range(n_h)),
        capacity,
        g_rank,
        h_rank,
        acceptable,
        listing,
    )


def _matchings(p: ExchangeProblem) -> list[list[int | None]]:
    n_g, n_h = p.guest_rank.shape
    out = []
    for choice in itertools.product([None, *range(n_h)], repeat=n_g):
        if any(h is not None and not p.acceptable[g, h] for g, h in enumerate(choice)):
            continue
        load = np.bincount([h for h in choice if h is not None], minlength=n_h)
        if (load <= p.capacity).all():
            out.append(list(choice))
    return out


def _blocking_by_definition(p: ExchangeProblem, m: list[int | None]) -> set[tuple[int, int]]:
    """Written from the docs, not from the audit's code: g prefers h, and h has room or would
    rather have g than someone it holds."""
    n_g, n_h = p.guest_rank.shape
    out = set()
    for g, h in itertools.product(range(n_g), range(n_h)):
        if m[g] == h or not p.acceptable[g, h]:
            continue
        mine = m[g]
        if mine is not None and not (0 < p.guest_rank[g, h] < p.guest_rank[g, mine]):
            continue
        holders = [x for x in range(n_g) if m[x] == h]
        room = len(holders) < p.capacity[h]
        rather = p.hosts_rank[h] and any(
            0 < p.host_rank[g, h] < (p.host_rank[x, h] or 10**9) for x in holders
        )
        if room or rather:
            out.add((g, h))
    return out


def test_deferred_acceptance_is_stable_and_guest_optimal() -> None:
    """On 150 random batches DA has no blocking pair; where every host ranked (strict
    preferences) every guest does at least as well as in any stable matching found by
    enumeration (with indifferent hosts a guest-optimal stable matching need not exist)."""
    rng = random.Random(3)
    for _ in range(150):
        p = _random(rng, hosts_rank=True)
        da = deferred_acceptance(p)
        assert blocking_pairs(p, da) == []
        stable = [m for m in _matchings(p) if not _blocking_by_definition(p, m)]
        assert stable, "a stable matching always exists"
        if not p.hosts_rank.all():
            continue
        for g in range(len(p.guest_ids)):

            def rank(m: list[int | None], g: int = g, p: ExchangeProblem = p) -> int:
                return 10**6 if m[g] is None else int(p.guest_rank[g, m[g]])

            assert rank(da) == min(rank(m) for m in stable)


def test_audit_lists_exactly_the_blocking_pairs() -> None:
    """The audit equals the definition on every matching of 80 random batches."""
    rng = random.Random(11)
    for _ in range(80):
        p = _random(rng, hosts_rank=True)
        for m in _matchings(p)[:40]:
            assert set(blocking_pairs(p, m)) == _blocking_by_definition(p, m)


def test_optimal_places_most_then_least_rank() -> None:
    """The flow places as many guests as any matching, at the least rank sum among those."""
    rng = random.Random(5)
    for _ in range(120):
        p = _random(rng, hosts_rank=False)
        host_of, total = solve_optimal(p)
        all_m = _matchings(p)
        most = max(sum(h is not None for h in m) for m in all_m)
        best = min(
            sum(int(p.guest_rank[g, h]) for g, h in enumerate(m) if h is not None)
            for m in all_m
            if sum(h is not None for h in m) == most
        )
        assert sum(h is not None for h in host_of) == most and total == best


def test_price_of_stability_and_outcome_shares() -> None:
    """Two guests want the same host, which ranks them the other way: the stable plan gives
    the host its first choice; it is proven optimal only when it reaches the flow's bound;
    shares, mean rank and the price of stability are reported."""
    p = ExchangeProblem(
        ("A", "B"),
        ("X", "Y"),
        np.array([1, 1]),
        np.array([[1, 2], [1, 3]]),
        np.array([[2, 0], [1, 0]]),
        np.array([[True, True], [True, True]]),
        np.array([True, False]),
    )
    opt = solve_exchange(p, "optimal")
    stable = solve_exchange(p, "stable")
    assert opt.status is Status.OPTIMAL and stable.bound == opt.objective
    assert (stable.status is Status.OPTIMAL) == (stable.objective == opt.objective)
    assert stable.stats["blocking_pairs"] == 0
    assert {(x.left, x.right) for x in stable.pairs} == {("A", "Y"), ("B", "X")}
    assert stable.stats["first_choice_share"] == 0.5
    assert opt.stats["price_of_stability"] == stable.objective - opt.objective >= 0
