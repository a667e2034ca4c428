"""Candidate (cadre, community) pairs: the sparse input the engine builds posts from.

Geography (:mod:`geodata`) measures distances and prunes by radius or k-nearest; the engine
never sees a dense cadres × communities matrix. Distances are whole metres.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray


@dataclass(frozen=True, slots=True)
class CandidatePairs:
    """Parallel arrays: ``cadre[k]`` may serve ``community[k]`` at ``distance_m[k]`` metres.

    Indices are the dense positions in ``Round.cadres`` and ``Round.communities``. Pairs are
    unique and sorted by (community, cadre), which keeps everything downstream deterministic.

    ``reach_m`` says how complete the pairs are: None when every pair the rules allow is
    present (all pairs, or every pair within the ``max_distance`` radius); otherwise, per
    community, every cadre closer than ``reach_m[c]`` great-circle metres is present (pairs
    beyond were left out to keep the round sparse; ``inf`` = none left out). A plan over
    incomplete pairs is proven only once the left-out pairs are shown unable to improve it
    (:mod:`matcher.engine.completion`).
    """

    cadre: NDArray[np.int32]
    community: NDArray[np.int32]
    distance_m: NDArray[np.int32]
    reach_m: NDArray[np.float64] | None = None

    def __post_init__(self) -> None:
        n = len(self.cadre)
        if len(self.community) != n or len(self.distance_m) != n:
            raise ValueError("candidate pair arrays must have equal length")
        if n and int(self.distance_m.min()) < 0:
            raise ValueError("distances must be non-negative metres")

    def __len__(self) -> int:
        return len(self.cadre)

    @property
    def complete(self) -> bool:
        """True when no pair the rules allow was left out."""
        return self.reach_m is None or bool(np.all(np.isinf(self.reach_m)))

    @classmethod
    def from_arrays(
        cls,
        cadre: NDArray[np.integer] | list[int],
        community: NDArray[np.integer] | list[int],
        distance_m: NDArray[np.integer] | NDArray[np.floating] | list[float],
        reach_m: NDArray[np.float64] | None = None,
    ) -> CandidatePairs:
        """Build from any integer-like arrays: round distances, drop duplicates, sort."""
        cad = np.asarray(cadre, dtype=np.int64)
        com = np.asarray(community, dtype=np.int64)
        dist = np.rint(np.asarray(distance_m, dtype=np.float64)).astype(np.int64)
        order = np.lexsort((cad, com))
        cad, com, dist = cad[order], com[order], dist[order]
        if len(cad):
            keep = np.ones(len(cad), dtype=bool)
            keep[1:] = (cad[1:] != cad[:-1]) | (com[1:] != com[:-1])
            cad, com, dist = cad[keep], com[keep], dist[keep]
        return cls(cad.astype(np.int32), com.astype(np.int32), dist.astype(np.int32), reach_m)
