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
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray
from scipy.spatial import cKDTree

from geodata.distance import chord_for_metres, great_circle_m, metres_for_chord, unit_vectors
from geodata.points import cadre_points, community_points
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
#: Nearest cadres kept per community when an unbounded round is too big for all pairs.
DEFAULT_K = 200
# Half the earth's circumference (20,038 km) fits in 25 bits of metres.
_METRE_BITS = 25
_METRE_MAX = (1 << _METRE_BITS) - 1
#: Communities per dual-tree batch: bounds the temporary buffers of one radius query.
_CHUNK = 4096


def candidate_pairs(
    round: Round,
    *,
    max_km: float | None = None,
    k_nearest: int | None = None,
    travel: TravelTimes | None = None,
) -> CandidatePairs:
    """Sparse candidate pairs of ``round`` with whole-metre distances (see module docstring)."""
    cad_lon, cad_lat = cadre_points(round)
    com_lon, com_lat = community_points(round)
    if max_km is None and round.rules.max_distance.enabled:
        max_km = round.rules.max_distance.km
    if max_km is not None and max_km <= 0:
        raise ValueError(f"max_km must be positive, got {max_km}")
    if k_nearest is not None and k_nearest < 1:
        raise ValueError(f"k_nearest must be at least 1, got {k_nearest}")
    max_m = None if max_km is None else max_km * 1000.0
    n_pairs = len(cad_lon) * len(com_lon)
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
        cad, com, dist, reach = eligible_nearest(round, k_nearest, max_m=max_m)
    elif max_m is not None:
        cad, com, dist = pairs_within(cad_lon, cad_lat, com_lon, com_lat, max_m)
    else:
        cad, com, dist = all_pairs(cad_lon, cad_lat, com_lon, com_lat)
    f_cad, f_com, f_dist = forced_pairs(round)
    # only those the search left out: within a radius or among all pairs they are there
    if max_m is not None and reach is None:
        left_out = f_dist > max_m
    elif reach is not None:
        # a widened pass drops pairs no rule allows, within the reach too: a lock that breaks a
        # rule must still be a candidate, so the engine names that rule
        n_com = max(1, len(com_lon))
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
        road = travel.road_metrics((cad_lon, cad_lat), (com_lon, com_lat), cad, com, max_m=max_m)
        keep = road.reachable
        if max_m is not None:
            keep &= road.distance_m <= max_m
        log.info("road network: %d of %d pairs kept", int(keep.sum()), len(keep))
        cad, com, dist = cad[keep], com[keep], road.distance_m[keep]
    out = _as_candidate_pairs(cad, com, dist, len(cad_lon))
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
    """All (cadre, community) index pairs within ``max_m`` great-circle metres, with metres.

    A small tree per batch of communities is matched against the cadre tree with
    ``sparse_distance_matrix`` (dual-tree search in C++, returning flat arrays, no Python lists);
    memory is proportional to the number of pairs found.
    """
    if len(cad_lon) == 0 or len(com_lon) == 0:
        return _empty()
    cad_xyz = unit_vectors(cad_lon, cad_lat)
    com_xyz = unit_vectors(com_lon, com_lat)
    tree = cKDTree(cad_xyz)
    radius = chord_for_metres(max_m)
    cads: list[NDArray[np.int32]] = []
    coms: list[NDArray[np.int32]] = []
    dists: list[FloatArray] = []
    for start in range(0, len(com_xyz), _CHUNK):
        block = cKDTree(com_xyz[start : start + _CHUNK])
        hits = block.sparse_distance_matrix(tree, radius, output_type="ndarray")
        dist = metres_for_chord(hits["v"])
        keep = dist <= max_m  # guards the floating-point edge of the chord radius
        cads.append(hits["j"][keep].astype(np.int32))
        coms.append((hits["i"][keep] + start).astype(np.int32))
        dists.append(dist[keep])
        del hits
    return np.concatenate(cads), np.concatenate(coms), np.concatenate(dists)


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
    if len(cad_lon) == 0 or len(com_lon) == 0:
        return _empty()
    k = min(k, len(cad_lon))
    tree = cKDTree(unit_vectors(cad_lon, cad_lat))
    bound = np.inf if max_m is None else chord_for_metres(max_m) * (1 + 1e-12)
    chord, idx = tree.query(unit_vectors(com_lon, com_lat), k=k, distance_upper_bound=bound)
    chord = np.asarray(chord).reshape(len(com_lon), k)
    idx = np.asarray(idx).reshape(len(com_lon), k)
    found = np.isfinite(chord)
    com = np.broadcast_to(np.arange(len(com_lon))[:, None], idx.shape)[found]
    dist = metres_for_chord(chord[found])
    cad = idx[found].astype(np.int64)
    com = com.astype(np.int64)
    if max_m is not None:
        keep = dist <= max_m
        cad, com, dist = cad[keep], com[keep], dist[keep]
    return cad, com, dist


def all_pairs(
    cad_lon: FloatArray, cad_lat: FloatArray, com_lon: FloatArray, com_lat: FloatArray
) -> tuple[IntArray, IntArray, FloatArray]:
    """Every (cadre, community) pair with its great-circle metres (small rounds only)."""
    cad = np.tile(np.arange(len(cad_lon), dtype=np.int64), len(com_lon))
    com = np.repeat(np.arange(len(com_lon), dtype=np.int64), len(cad_lon))
    dist = great_circle_m(cad_lon[cad], cad_lat[cad], com_lon[com], com_lat[com])
    return cad, com, dist


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
