"""Joint committees: candidate groups are every connected set once, and the partition is the
least-spread one found by enumerating every partition of small districts."""

from __future__ import annotations

import itertools
import random

import numpy as np

from matcher.engine.result import Status
from matcher.practices.committees import CommitteeProblem, candidate_groups, solve_committees


def _random(rng: random.Random, n: int) -> CommitteeProblem:
    xy = np.array([[rng.uniform(0, 3000), rng.uniform(0, 3000)] for _ in range(n)])
    dist = np.rint(np.linalg.norm(xy[:, None] - xy[None, :], axis=2)).astype(np.int64)
    near = (dist <= 1400) & ~np.eye(n, dtype=bool)
    strong = np.array([rng.random() < 0.4 for _ in range(n)])
    return CommitteeProblem(
        tuple(f"C{i}" for i in range(n)),
        strong,
        tuple(tuple(int(j) for j in np.nonzero(near[i])[0]) for i in range(n)),
        dist,
    )


def _connected(p: CommitteeProblem, group: tuple[int, ...]) -> bool:
    seen, todo = {group[0]}, [group[0]]
    while todo:
        v = todo.pop()
        for u in p.neighbours[v]:
            if u in group and u not in seen:
                seen.add(u)
                todo.append(u)
    return len(seen) == len(group)


def _partitions(items: list[int]) -> list[list[tuple[int, ...]]]:
    if not items:
        return [[]]
    first, rest = items[0], items[1:]
    out = []
    for k in range(len(rest) + 1):
        for others in itertools.combinations(rest, k):
            block = (first, *others)
            left = [x for x in rest if x not in others]
            out += [[block, *tail] for tail in _partitions(left)]
    return out


def test_candidates_are_every_connected_group_once() -> None:
    """ESU enumeration equals filtering all 3- and 4-subsets by connectivity and strength."""
    rng = random.Random(1)
    for n in range(3, 11):
        p = _random(rng, n)
        expected = sorted(
            g
            for k in (3, 4)
            for g in itertools.combinations(range(n), k)
            if _connected(p, g) and p.strong[list(g)].any()
        )
        got = candidate_groups(p)
        assert got == expected and len(set(got)) == len(got)


def test_partition_matches_brute_force() -> None:
    """On 40 random districts of 3–9 communities: same status and least total spread."""
    rng = random.Random(2)
    for _ in range(40):
        p = _random(rng, rng.randint(3, 9))
        valid = set(candidate_groups(p))
        best = None
        for part in _partitions(list(range(len(p.ids)))):
            if all(tuple(sorted(b)) in valid for b in part):
                cost = sum(int(p.distance_m[np.ix_(list(b), list(b))].max()) for b in part)
                best = cost if best is None else min(best, cost)
        out = solve_committees(p)
        if best is None:
            assert out.status is Status.INFEASIBLE and out.conflicts
        else:
            assert out.status is Status.OPTIMAL and out.objective == best
            assert sorted(m for g in out.groups for m in g.members) == sorted(p.ids)


def test_isolated_community_is_named() -> None:
    """A community with no neighbour cannot join a group, and the report says which."""
    p = CommitteeProblem(
        ("A", "B", "C", "D"),
        np.array([True, False, False, False]),
        ((1, 2), (0, 2), (0, 1), ()),
        np.zeros((4, 4), dtype=np.int64),
    )
    out = solve_committees(p)
    assert out.status is Status.INFEASIBLE and "D" in out.conflicts[0]
