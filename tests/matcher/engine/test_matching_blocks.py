"""The post × slot matrix split into independent blocks: components, batches, and the
matching block by block against one matching of the whole matrix and the plain flow."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy import sparse
from scipy.sparse.csgraph import connected_components, min_weight_full_bipartite_matching

from matcher.engine.flow import solve_flow
from matcher.engine.matching_blocks import components, find_blocks
from matcher.engine.post_matching import PostMatcher
from matcher.engine.saturated_quotas import saturated_quotas
from matcher.engine.skill_split import split_groups
from tests.matcher.engine_fixtures import problem_of

DISTRICT = {"code": "210702", "name": "古塔区"}


def _random_graph(seed: int, n_units: int, n_cols: int, n_edges: int) -> tuple[Any, Any]:
    rng = np.random.default_rng(seed)
    unit = np.sort(rng.integers(0, n_units, n_edges))
    col = rng.integers(0, n_cols, n_edges)
    return unit, col


def _scipy_labels(unit: Any, col: Any, n_units: int, n_cols: int) -> Any:
    n = n_units + n_cols
    graph = sparse.csr_matrix((np.ones(len(unit)), (unit, n_units + col)), shape=(n, n))
    return connected_components(graph, directed=True, connection="weak")[1]


def _same_partition(a: Any, b: Any) -> bool:
    """Two labellings of the same nodes describe the same partition."""
    pairs = set(zip(a.tolist(), b.tolist(), strict=True))
    return len(pairs) == len(set(a.tolist())) == len(set(b.tolist()))


@pytest.mark.parametrize(
    ("seed", "n_units", "n_cols", "n_edges"),
    [(0, 50, 80, 40), (1, 200, 300, 250), (2, 30, 30, 300), (3, 5, 40, 0), (4, 400, 50, 380)],
)
def test_components_match_scipy(seed: int, n_units: int, n_cols: int, n_edges: int) -> None:
    """The vectorised hooking gives scipy's weak components, isolated units and columns
    included, on sparse (many parts) and dense (one part) random graphs."""
    unit, col = _random_graph(seed, n_units, n_cols, n_edges)
    u_lab, c_lab = components(unit, col, n_units, n_cols)
    mine = np.concatenate([u_lab, c_lab])
    assert _same_partition(mine, _scipy_labels(unit, col, n_units, n_cols))
    for u, c in zip(unit.tolist(), col.tolist(), strict=True):  # every edge inside one part
        assert u_lab[u] == c_lab[c]


def test_blocks_keep_every_edge_inside_one_batch() -> None:
    """Rows and columns of an edge share a batch; every row is in one batch; a column no row
    reaches is in none; batches one column wide never mix two parts, wide ones are one batch."""
    unit, col = _random_graph(7, 60, 90, 70)
    part = _scipy_labels(unit, col, 60, 90)[60:]
    rows_of_unit = np.repeat(np.arange(60), 2)  # two rows (posts) per unit
    extra = np.array([0, 5, 119])  # three private (vacancy) columns
    for width in (1, 10**6):
        b = find_blocks(unit, col, 60, 90, rows_of_unit, extra, batch_columns=width)
        row_batch = np.empty(120, dtype=np.int64)
        col_batch = np.full(93, -1)
        for k in range(b.n_batches):
            row_batch[b.row_order[b.row_bounds[k] : b.row_bounds[k + 1]]] = k
            col_batch[b.col_order[b.col_bounds[k] : b.col_bounds[k + 1]]] = k
        assert sorted(b.row_order.tolist()) == list(range(120))
        for u, c in zip(unit.tolist(), col.tolist(), strict=True):
            assert row_batch[2 * u] == row_batch[2 * u + 1] == col_batch[c]
        assert [col_batch[90 + i] for i in range(3)] == [row_batch[r] for r in extra]
        reached = set(col.tolist()) | set(range(90, 93))
        assert all((col_batch[j] >= 0) == (j in reached) for j in range(93))
        assert (b.local_col[col_batch < 0] == -1).all()
        for k in range(b.n_batches):
            inside = b.col_order[b.col_bounds[k] : b.col_bounds[k + 1]]
            assert sorted(b.local_col[inside].tolist()) == list(range(len(inside)))
            if width == 1:
                assert len(set(part[inside[inside < 90]].tolist())) <= 1
        if width > 1:
            assert b.n_batches == 1
    assert b.components > 10  # a sparse graph: many parts


def _town(
    t: int, com_lat: list[float], part_time: list[int], cad_lat: list[float], ranks: list[str]
) -> tuple[list[Any], list[Any]]:
    """A town 50 km north of the previous one: no pair reaches across towns."""
    base = 41.0 + 0.5 * t
    coms = [
        {
            "id": f"T{t}C{j}",
            "name": f"社区{t}-{j}",
            "district": DISTRICT,
            "location": {"lon": 121.1, "lat": base + lat},
            "posts": {"full_time": 1, "part_time": pt},
        }
        for j, (lat, pt) in enumerate(zip(com_lat, part_time, strict=True))
    ]
    cads = [
        {
            "id": f"T{t}K{i:02d}",
            "name": f"干部{t}-{i}",
            "unit": "u1",
            "level": "city",
            "political_status": "中共党员",
            "home_district": DISTRICT["code"],
            "rank": rank,
            "location": {"lon": 121.1, "lat": base + lat},
        }
        for i, (lat, rank) in enumerate(zip(cad_lat, ranks, strict=True))
    ]
    return coms, cads


def _raw(coms: list[Any], cads: list[Any], vacancies: bool) -> dict[str, Any]:
    return {
        "identity": {"community_distance_m": 0},
        "communities": coms,
        "cadres": cads,
        "rules": {"max_distance": {"km": 20}, "coverage": {"allow_vacancies": vacancies}},
        "weights": {"vacancy_full_time": 5_000, "vacancy_part_time": 2_000},
    }


@st.composite
def towns(draw: st.DrawFn) -> dict[str, Any]:
    """1–4 towns far apart, each 1–4 communities and 1–8 cadres within 6 km."""
    coms: list[Any] = []
    cads: list[Any] = []
    lat = st.floats(0.0, 0.05)
    for t in range(draw(st.integers(1, 4))):
        n_com, n_cad = draw(st.integers(1, 4)), draw(st.integers(1, 8))
        c, k = _town(
            t,
            draw(st.lists(lat, min_size=n_com, max_size=n_com)),
            draw(st.lists(st.integers(0, 2), min_size=n_com, max_size=n_com)),
            draw(st.lists(lat, min_size=n_cad, max_size=n_cad)),
            draw(
                st.lists(st.sampled_from(["科员", "副科", "正科"]), min_size=n_cad, max_size=n_cad)
            ),
        )
        coms += c
        cads += k
    return _raw(coms, cads, draw(st.booleans()))


def _whole_matrix_value(pm: PostMatcher) -> float | None:
    """One LAPJVsp over the whole post × column matrix (no blocks), as a reference."""
    p, b = pm.problem, pm.blocks
    priced = np.r_[pm.base, p.group_vacancy_cost[pm.post_group[pm.soft_posts]]].astype(float)
    shift = 1.0 - priced.min(initial=0.0)
    cols = np.empty(len(pm.cols), dtype=np.int64)
    for k in range(b.n_batches):
        lo, hi = pm.indptr[b.row_bounds[k]], pm.indptr[b.row_bounds[k + 1]]
        cols[lo:hi] = b.col_order[b.col_bounds[k] + pm.cols[lo:hi]]
    shape = (pm.n_posts, pm.n_slots + len(pm.soft_posts))
    whole = sparse.csr_matrix((priced[pm.entry] + shift, cols, pm.indptr), shape=shape)
    try:
        row, col = min_weight_full_bipartite_matching(whole)
    except ValueError:
        return None
    if len(row) < pm.n_posts:
        return None
    return float(whole[row, col].sum() - shift * pm.n_posts)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(towns())
def test_block_matching_equals_whole_matching_and_flow(raw: dict[str, Any]) -> None:
    """Block by block, the matching finds the whole matrix's optimum (value and feasibility)
    and the plain min-cost flow's plan cost, over one town (one block) or several."""
    _, p = problem_of(raw)
    pm = PostMatcher(p, split_groups(p), saturated_quotas(p))
    got = pm.solve()
    whole = _whole_matrix_value(pm)
    flow = solve_flow(p)
    if whole is None:
        assert got is None and flow.solution is None
        return
    assert got is not None and flow.solution is not None
    assert math.isclose(got.value, whole)
    assert got.solution.cost(p) == flow.solution.cost(p)


def test_a_town_short_of_cadres_fails_alone() -> None:
    """One town with more required posts than cadres makes the whole matching infeasible,
    though the other town's block has a plan; with its cadres enough, both blocks match."""
    coms0, cads0 = _town(0, [0.0, 0.01], [1, 1], [0.0, 0.01, 0.02, 0.03], ["科员"] * 4)
    coms1, cads1 = _town(1, [0.0, 0.01], [0, 1], [0.0, 0.02], ["副科"] * 2)
    _, p = problem_of(_raw(coms0 + coms1, cads0 + cads1, vacancies=False))
    pm = PostMatcher(p, split_groups(p), saturated_quotas(p))
    assert pm.blocks.components == 2
    assert pm.solve() is None
    more = _town(1, [0.0, 0.01], [0, 1], [0.0, 0.02, 0.03], ["副科"] * 3)[1]
    _, p = problem_of(_raw(coms0 + coms1, cads0 + more, vacancies=False))
    pm = PostMatcher(p, split_groups(p), saturated_quotas(p))
    got = pm.solve()
    assert got is not None and int(got.solution.chosen.sum()) == 7
