"""Benchmark: candidate pairs for 10,000 communities × 40,000 cadres, side by side.

Run ``.venv/bin/python -m benchmarks.bench_pairs`` (or ``main()``); prints a Markdown table.
Points are uniform (seeded) over a Liaoning-sized box (4° × 5.2°, ≈ 440 km × 450 km), the
scale at which a provincial round has 10,000 communities. Methods compared:

* ``candidate_pairs(round)`` — the public API end to end: WGS-84 points from the round, the
  radius search, and CandidatePairs' sort/dedupe into int32 arrays;
* ``dual-tree`` — :func:`geodata.pairs.pairs_within` (cKDTree.sparse_distance_matrix per block
  of communities; what ``candidate_pairs`` uses);
* ``ball-point`` — cKDTree.query_ball_point per block (Python lists of indices);
* ``k-nearest`` — :func:`geodata.pairs.nearest_pairs` with k = 200 (the unbounded default);
* ``dense`` — a full haversine matrix, only on a 1,000 × 4,000 subsample (it would need
  400 M distances, 3.2 GB, at full size).

"peak MB" is the tracemalloc peak of numpy allocations during the call (KD-tree internals are
C++ and not counted); "result MB" is the size of the returned CandidatePairs-style arrays.
Timings are wall-clock, best of ``repeat``; never asserted anywhere.
"""

from __future__ import annotations

import time
import tracemalloc
from collections.abc import Callable

import numpy as np
from scipy.spatial import cKDTree

from geodata.distance import chord_for_metres, great_circle_m, metres_for_chord, unit_vectors
from geodata.pairs import candidate_pairs, nearest_pairs, pairs_within
from matcher.engine.pairs import CandidatePairs
from matcher.model.round import Cadre, Community, District, Location, Round

Arrays = tuple[np.ndarray, np.ndarray, np.ndarray]


def sample(n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """``n`` seeded uniform WGS-84 points over the benchmark box."""
    rng = np.random.default_rng(seed)
    return 119.0 + rng.random(n) * 5.2, 39.0 + rng.random(n) * 4.0


def ball_point(
    cl: np.ndarray, ca: np.ndarray, ml: np.ndarray, ma: np.ndarray, max_m: float
) -> Arrays:
    """The simpler alternative: per-community index lists from query_ball_point."""
    cxyz, mxyz = unit_vectors(cl, ca), unit_vectors(ml, ma)
    tree = cKDTree(cxyz)
    cads, coms = [], []
    for start in range(0, len(mxyz), 2048):
        hits = tree.query_ball_point(mxyz[start : start + 2048], chord_for_metres(max_m))
        lengths = np.fromiter((len(h) for h in hits), dtype=np.int64, count=len(hits))
        cads.append(np.fromiter((j for h in hits for j in h), np.int64, int(lengths.sum())))
        coms.append(np.repeat(np.arange(start, start + len(hits)), lengths))
    cad, com = np.concatenate(cads), np.concatenate(coms)
    chord = np.sqrt(((cxyz[cad] - mxyz[com]) ** 2).sum(axis=1))
    return cad, com, metres_for_chord(chord)


def dense(cl: np.ndarray, ca: np.ndarray, ml: np.ndarray, ma: np.ndarray, max_m: float) -> Arrays:
    """Brute force: the whole distance matrix, then a mask."""
    d = great_circle_m(cl[None, :], ca[None, :], ml[:, None], ma[:, None])
    com, cad = np.nonzero(d <= max_m)
    return cad, com, d[com, cad]


def make_round(cl: np.ndarray, ca: np.ndarray, ml: np.ndarray, ma: np.ndarray) -> Round:
    """A round with cadres and communities at the sample points (30 km rule by default)."""
    cadres = [
        Cadre.model_validate(
            {
                "id": f"C{i}",
                "name": "x",
                "unit": "u",
                "level": "city",
                "home_district": "210702",
                "rank": "科员",
                "location": {"lon": x, "lat": y},
            }
        )
        for i, (x, y) in enumerate(zip(cl.tolist(), ca.tolist(), strict=True))
    ]
    district = District(code="210702", name="古塔区")
    communities = [
        Community(id=f"M{i}", name="m", district=district, location=Location(lon=x, lat=y))
        for i, (x, y) in enumerate(zip(ml.tolist(), ma.tolist(), strict=True))
    ]
    return Round(cadres=cadres, communities=communities)


def as_arrays(pairs: CandidatePairs) -> Arrays:
    return pairs.cadre, pairs.community, pairs.distance_m


def measure(func: Callable[[], Arrays], repeat: int) -> tuple[float, float, int]:
    """Best wall time (s), tracemalloc peak (MB) and number of pairs of ``func``."""
    best = float("inf")
    peak = 0
    n = 0
    for i in range(repeat):
        if i == 0:
            tracemalloc.start()
        t0 = time.perf_counter()
        cad, _, _ = func()
        best = min(best, time.perf_counter() - t0)
        if i == 0:
            peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
        n = len(cad)
    return best, peak / 1e6, n


def main(repeat: int = 2) -> str:
    """Run every case and print (and return) the Markdown table."""
    cl, ca = sample(40_000, 1)
    ml, ma = sample(10_000, 2)
    round = make_round(cl, ca, ml, ma)
    cases: list[tuple[str, str, Callable[[], Arrays]]] = [
        (
            "candidate_pairs(round)",
            "10,000 × 40,000, 30 km",
            lambda: as_arrays(candidate_pairs(round)),
        ),
        ("dual-tree", "10,000 × 40,000, 30 km", lambda: pairs_within(cl, ca, ml, ma, 30_000)),
        ("ball-point", "10,000 × 40,000, 30 km", lambda: ball_point(cl, ca, ml, ma, 30_000)),
        ("dual-tree", "10,000 × 40,000, 10 km", lambda: pairs_within(cl, ca, ml, ma, 10_000)),
        ("k-nearest", "10,000 × 40,000, k = 200", lambda: nearest_pairs(cl, ca, ml, ma, 200)),
        (
            "dual-tree",
            "1,000 × 4,000, 30 km",
            lambda: pairs_within(cl[:4000], ca[:4000], ml[:1000], ma[:1000], 30_000),
        ),
        (
            "dense",
            "1,000 × 4,000, 30 km",
            lambda: dense(cl[:4000], ca[:4000], ml[:1000], ma[:1000], 30_000),
        ),
    ]
    lines = [
        "| method | size | pairs | seconds | peak MB | result MB |",
        "|---|---|---:|---:|---:|---:|",
    ]
    for name, size, func in cases:
        seconds, peak, n = measure(func, repeat)
        lines.append(
            f"| {name} | {size} | {n:,} | {seconds:.2f} | {peak:.0f} | {n * 12 / 1e6:.0f} |"
        )
    table = "\n".join(lines)
    print(table)
    return table


if __name__ == "__main__":
    main()
