"""Arcs are laid out in (group, cadre) order by computing each arc's place: the same arcs,
in the same order, as sorting them by group, for sorted and unsorted pairs."""

from __future__ import annotations

import numpy as np
import pytest

from matcher.engine.problem import _arc_pairs


def _sorted_way(table: np.ndarray, community: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    parts = [np.nonzero(table[community, t] >= 0)[0] for t in (0, 1)]
    src = np.concatenate(parts)
    typ = np.repeat(np.array([0, 1], dtype=np.int8), [len(parts[0]), len(parts[1])])
    order = np.argsort(table[community[src], typ], kind="stable")
    return src[order], typ[order]


def _table(has: np.ndarray) -> np.ndarray:
    table = np.full(has.shape, -1, dtype=np.int32)
    table[has] = np.arange(int(has.sum()), dtype=np.int32)
    return table


@pytest.mark.parametrize("seed", range(12))
def test_computed_places_match_the_sort(seed: int) -> None:
    """Communities with both types, one type or no posts at all; pairs sorted by community
    (the computed path) or shuffled (the fallback): the arcs and their order agree."""
    rng = np.random.default_rng(seed)
    n_com = int(rng.integers(1, 30))
    has = rng.random((n_com, 2)) < 0.7
    table = _table(has)
    n_pairs = int(rng.integers(0, 200))
    community = np.sort(rng.integers(0, n_com, n_pairs)).astype(np.int32)
    for com in (community, rng.permutation(community).astype(np.int32)):
        src, typ = _arc_pairs(table, com)
        want_src, want_typ = _sorted_way(table, com)
        assert np.array_equal(src, want_src) and np.array_equal(typ, want_typ)
        assert typ.dtype == np.int8


def test_no_pairs_and_no_posts() -> None:
    """No pairs, or pairs only in communities without posts, give no arcs."""
    table = _table(np.array([[False, False], [True, False]]))
    for com in (np.zeros(0, np.int32), np.zeros(5, np.int32)):
        src, typ = _arc_pairs(table, com)
        assert len(src) == 0 and len(typ) == 0
