"""Eligible (cadre, community) pairs by distance: radius or k-nearest through a KD-tree.

Points are WGS-84 (:mod:`geodata.points` converts GCJ-02/BD-09 first) mapped to 3-D unit vectors; a
:class:`scipy.spatial.cKDTree` over the cadres answers "all cadres within r of this community" with
the chord that corresponds exactly to the great-circle radius (see :mod:`geodata.distance`). The
output is sparse (:class:`matcher.engine.pairs.CandidatePairs`); no dense cadres × communities
matrix is ever built unless the round is small (≤ :data:`ALL_PAIRS_LIMIT`).

How the pairs are chosen:

* ``max_km`` given, or the ``max_distance`` rule enabled: every pair within that great-circle
  radius (exact; with ``k_nearest`` as well: the k nearest within the radius).
* otherwise ``k_nearest`` given: each community's k nearest cadres.
* otherwise all pairs when cadres × communities ≤ :data:`ALL_PAIRS_LIMIT`, else each
  community's nearest cadres until :data:`DEFAULT_K` of them are eligible for each post type
  it has (hard pair rules first: :mod:`geodata.truncation`). Such pairs carry a ``reach_m``
  per community; the engine proves that no pair beyond it can improve the plan, or
  :func:`geodata.pipeline.run_round` widens the pairs and re-solves until it can (until then the
  status is ``feasible``, never ``optimal``).

Lock pairs and current posts are always among the pairs, however far.

With a road network (``travel``), pairs are found by straight-line radius first — a road trip
is never shorter than the great circle, so nothing is lost — then ``distance_m`` becomes the
road distance and pairs farther by road than the radius, or not connected, are dropped.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from geodata.geometry import RoundGeometry
from geodata.truncation import eligible_nearest, forced_pairs
from matcher.engine.pairs import CandidatePairs
from matcher.model.round import Round

if TYPE_CHECKING:
    from geodata.travel import TravelTimes

log = logging.getLogger(__name__)

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.integer]

#: Below this many cadre × community pairs, an unbounded round gets every pair.
ALL_PAIRS_LIMIT = 2_000_000
#: Nearest cadres kept per community when an unbounded round is too big for all pairs. The
#: proof prices the rest with the split network's duals and widens to a radius per community
#: (:mod:`matcher.engine.completion`), so a short start pays: at province scale 50 reach the
#: proven optimum with 2.5 M pairs, 200 with 6.8 M (2.4× the memory; docs/engine.md).
DEFAULT_K = 50
# Half the earth's circumference (20,038 km) fits in 25 bits of metres.
_METRE_BITS = 25
_METRE_MAX = (1 << _METRE_BITS) - 1


def candidate_pairs(
    round: Round,
    *,
    max_km: float | None = None,
    k_nearest: int | None = None,
    travel: TravelTimes | None = None,
    geometry: RoundGeometry | None = None,
    stop: Callable[[], bool] | None = None,
) -> CandidatePairs:
    """Sparse candidate pairs of ``round`` with whole-metre distances (see module docstring).

    ``geometry`` is the round's prepared geometry (:class:`geodata.geometry.RoundGeometry`);
    built here when omitted. Every stage below reads it: the points are converted once.
    ``stop()`` (time limit, cancelled job) stops the nearest-cadre widening passes."""
    geo = geometry if geometry is not None else RoundGeometry.of_round(round)
    if max_km is None and round.rules.max_distance.enabled:
        max_km = round.rules.max_distance.km
    if max_km is not None and max_km <= 0:
        raise ValueError(f"max_km must be positive, got {max_km}")
    if k_nearest is not None and k_nearest < 1:
        raise ValueError(f"k_nearest must be at least 1, got {k_nearest}")
    max_m = None if max_km is None else max_km * 1000.0
    n_pairs = geo.n_cadres * geo.n_communities
    if max_m is None and k_nearest is None and n_pairs > ALL_PAIRS_LIMIT:
        k_nearest = DEFAULT_K
        log.warning(
            "no distance rule and %d possible pairs: each community's nearest cadres until %d "
            "are eligible; the proof covers the rest",
            n_pairs,
            DEFAULT_K,
        )
    reach = None
    cad: IntArray
    com: IntArray
    if k_nearest is not None:
        cad, com, dist, reach = eligible_nearest(round, geo, k_nearest, max_m=max_m, stop=stop)
    elif max_m is not None:
        cad, com, dist = geo.within(max_m)
    else:
        cad, com, dist = _every_pair(geo)
    f_cad, f_com, f_dist = forced_pairs(round, geo)
    # only those the search left out: within a radius or among all pairs they are there
    if max_m is not None and reach is None:
        left_out = f_dist > max_m
    elif reach is not None:
        # a widened pass drops pairs no rule allows, within the reach too: a lock that breaks a
        # rule must still be a candidate, so the engine names that rule
        n_com = max(1, geo.n_communities)
        have = cad.astype(np.int64) * n_com + com
        left_out = ~np.isin(f_cad.astype(np.int64) * n_com + f_com, have)
    else:
        left_out = np.zeros(len(f_cad), dtype=bool)
    f_cad, f_com, f_dist = f_cad[left_out], f_com[left_out], f_dist[left_out]
    if len(f_cad):
        cad = np.concatenate([cad, f_cad])
        com = np.concatenate([com, f_com])
        dist = np.concatenate([dist, f_dist])
    if travel is not None:
        points = (geo.cadre_lon, geo.cadre_lat), (geo.community_lon, geo.community_lat)
        road = travel.road_metrics(*points, cad, com, max_m=max_m)
        keep = road.reachable
        if max_m is not None:
            keep &= road.distance_m <= max_m
        log.info("road network: %d of %d pairs kept", int(keep.sum()), len(keep))
        cad, com, dist = cad[keep], com[keep], road.distance_m[keep]
    out = _as_candidate_pairs(cad, com, dist, geo.n_cadres)
    if reach is None or bool(np.all(np.isinf(reach))):
        return out
    return dataclasses.replace(out, reach_m=reach)


def pairs_within(
    cad_lon: FloatArray,
    cad_lat: FloatArray,
    com_lon: FloatArray,
    com_lat: FloatArray,
    max_m: float,
) -> tuple[IntArray, IntArray, FloatArray]:
    """All (cadre, community) index pairs within ``max_m`` great-circle metres, with metres
    (:meth:`geodata.geometry.RoundGeometry.within` on loose points)."""
    return RoundGeometry.of_points(cad_lon, cad_lat, com_lon, com_lat).within(max_m)


def nearest_pairs(
    cad_lon: FloatArray,
    cad_lat: FloatArray,
    com_lon: FloatArray,
    com_lat: FloatArray,
    k: int,
    *,
    max_m: float | None = None,
) -> tuple[IntArray, IntArray, FloatArray]:
    """Each community's ``k`` nearest cadres (only those within ``max_m`` when given)."""
    geo = RoundGeometry.of_points(cad_lon, cad_lat, com_lon, com_lat)
    if not geo.n_cadres or not geo.n_communities:
        return _empty()
    metres, idx = geo.nearest(np.arange(geo.n_communities), k, max_m)
    found = np.isfinite(metres)
    if max_m is not None:
        found &= metres <= max_m
    com = np.broadcast_to(np.arange(geo.n_communities)[:, None], idx.shape)[found]
    return idx[found].astype(np.int64), com.astype(np.int64), metres[found]


def _every_pair(geo: RoundGeometry) -> tuple[IntArray, IntArray, FloatArray]:
    """Every (cadre, community) pair with its great-circle metres (small rounds only)."""
    cad = np.tile(np.arange(geo.n_cadres, dtype=np.int64), geo.n_communities)
    com = np.repeat(np.arange(geo.n_communities, dtype=np.int64), geo.n_cadres)
    return cad, com, geo.metres(cad, com)


def _as_candidate_pairs(
    cad: IntArray, com: IntArray, dist: FloatArray, n_cadres: int
) -> CandidatePairs:
    """Sorted by (community, cadre), whole metres, as CandidatePairs requires.

    One ``np.sort`` of packed int64 keys ``community | cadre | metres`` (bit fields sized to
    the round) replaces CandidatePairs.from_arrays' general lexsort, ~4× faster at millions
    of pairs; KD-tree pairs are already unique, which strictly increasing keys confirm.
    Falls back to from_arrays when the fields do not fit in 63 bits.
    """
    metres = np.rint(dist).astype(np.int64)
    n = len(metres)
    if not n:
        return CandidatePairs.from_arrays(cad, com, metres)
    cad_bits = max(int(n_cadres - 1).bit_length(), 1)
    com_bits = max(int(com.max()).bit_length(), 1)
    if cad_bits + com_bits + _METRE_BITS > 63 or int(metres.min()) < 0:
        return CandidatePairs.from_arrays(cad, com, metres)
    shift = np.int64(_METRE_BITS)
    key = (com.astype(np.int64) << np.int64(cad_bits)) | cad.astype(np.int64)
    key = (key << shift) | np.minimum(metres, _METRE_MAX)
    key.sort()
    pair = key >> shift
    if n > 1 and not bool((pair[1:] > pair[:-1]).all()):
        return CandidatePairs.from_arrays(cad, com, metres)
    return CandidatePairs(
        cadre=(pair & np.int64((1 << cad_bits) - 1)).astype(np.int32),
        community=(pair >> np.int64(cad_bits)).astype(np.int32),
        distance_m=(key & np.int64(_METRE_MAX)).astype(np.int32),
    )


def _empty() -> tuple[IntArray, IntArray, FloatArray]:
    return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, np.float64)
