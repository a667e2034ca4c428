"""OR-Library linear assignment instances (Beasley) as engine problems with known optima.

Two formats (see /work/shared/benchmarks/orlib-assign/README.md): ``assignN.txt`` holds n and
a dense n × n cost matrix; ``assignpN.txt`` holds n and one ``i j cost`` line per allowed pair
(1-based). Rows are tasks that must each get one column (agent). Here a row is a community
with one required full-time post and a column is a cadre, so the instance is solved through
the public :func:`matcher.engine.solve.solve` like any round.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from matcher.engine.problem import ProblemData


def read_orlib(
    path: str | Path,
) -> tuple[int, NDArray[np.int32], NDArray[np.int32], NDArray[np.int64]]:
    """Read an instance: ``(n, rows, cols, costs)`` with 0-based row and column indices."""
    values = np.array(Path(path).read_text(encoding="ascii").split(), dtype=np.int64)
    if not len(values):
        raise ValueError(f"{path}: empty file; expected n followed by costs")
    n = int(values[0])
    body = values[1:]
    if len(body) == n * n:
        rows, cols = np.divmod(np.arange(n * n, dtype=np.int64), n)
        return n, rows.astype(np.int32), cols.astype(np.int32), body
    if len(body) % 3 == 0:
        triples = body.reshape(-1, 3)
        rows, cols, costs = triples[:, 0] - 1, triples[:, 1] - 1, triples[:, 2]
        if rows.min() < 0 or cols.min() < 0 or rows.max() >= n or cols.max() >= n:
            raise ValueError(f"{path}: a pair index lies outside 1..{n}")
        return n, rows.astype(np.int32), cols.astype(np.int32), costs
    raise ValueError(
        f"{path}: {len(body)} numbers after n={n}; expected {n * n} (dense) or triples (sparse)"
    )


def orlib_problem(path: str | Path) -> ProblemData:
    """The instance as :class:`ProblemData`: row i = community ``R{i+1}`` with one required
    post; column j = cadre ``C{j+1}``; the OR-Library cost is the ``distance`` term."""
    n, rows, cols, costs = read_orlib(path)
    order = np.lexsort((cols, rows))
    rows, cols, costs = rows[order], cols[order], costs[order]
    zeros = np.zeros(len(rows), dtype=np.int64)
    ones = np.ones(n, dtype=np.int32)
    return ProblemData(
        name=Path(path).stem,
        community_ids=tuple(f"R{i + 1}" for i in range(n)),
        cadre_ids=tuple(f"C{j + 1}" for j in range(n)),
        district_names=("OR-Library",),
        community_district=np.zeros(n, dtype=np.int32),
        cadre_level=np.zeros(n, dtype=np.int8),
        cadre_rank=np.zeros(n, dtype=np.int8),
        group_community=np.arange(n, dtype=np.int32),
        group_type=np.zeros(n, dtype=np.int8),
        group_capacity=ones,
        group_required=ones.copy(),
        group_vacancy_cost=np.zeros(n, dtype=np.int64),
        group_candidates=np.bincount(rows, minlength=n).astype(np.int32),
        group_pruned=np.zeros((n, 0), dtype=np.int32),
        prune_rules=(),
        prune_words=(),
        arc_cadre=cols,
        arc_group=rows,
        arc_cost=costs,
        arc_distance_m=zeros.astype(np.int32),
        arc_distance=costs.copy(),
        arc_skill_fit=zeros,
        arc_weak_priority=zeros.copy(),
        arc_preference=zeros.copy(),
        arc_change=zeros.copy(),
        cadre_drop_cost=np.zeros(n, dtype=np.int64),
        cadre_current_type=np.full(n, -1, dtype=np.int8),
        one_post_per_cadre=True,
        quotas=(),
        skill_mixes=(),
        lock_cadre=np.zeros(0, dtype=np.int32),
        lock_community=np.zeros(0, dtype=np.int32),
        lock_type=np.zeros(0, dtype=np.int8),
        lock_issue=(),
        seed=0,
    )
