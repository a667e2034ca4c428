"""The round's prepared geometry: every point converted once, unit vectors, one cadre KD-tree.

Every stage that builds candidate pairs — the radius search, each community's nearest
cadres and their widening passes, the pairs the rules name (locks, current posts), the
widening for the proof, a road network's lookup — reads one :class:`RoundGeometry` built
once per round by :meth:`RoundGeometry.of_round`. Before, each stage converted the round's
coordinates to WGS-84 and to unit vectors again (six times per solve without a distance
rule). The geometry is frozen: a what-if run or a widening pass reuses it as is.

Distances are great-circle metres on the mean-earth sphere (:mod:`geodata.distance`), so a
chord radius query on the unit vectors returns exactly the pairs within a radius.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy.spatial import cKDTree

from geodata.distance import chord_for_metres, metres_for_chord, unit_vectors
from geodata.points import cadre_points, community_points
from matcher.model.round import Round

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
#: A chord beyond the diameter of the unit sphere: a radius that takes every cadre.
EVERYTHING = 2.0 + 1e-9
#: Communities per dual-tree batch: bounds the temporary buffers of one radius query.
CHUNK = 4096


@dataclass(frozen=True, eq=False)
class RoundGeometry:
    """WGS-84 points of the cadres and communities (round order), their unit vectors and the
    cadres' KD-tree; built once per round, read by every pair-building stage."""

    cadre_lon: FloatArray
    cadre_lat: FloatArray
    community_lon: FloatArray
    community_lat: FloatArray
    cadre_xyz: FloatArray
    community_xyz: FloatArray
    cadre_tree: cKDTree

    @classmethod
    def of_round(cls, round: Round) -> RoundGeometry:
        """Convert the round's places once (:mod:`geodata.points`; raises
        :class:`matcher.model.problems.InvalidInput` for a community without a usable place)."""
        cad_lon, cad_lat = cadre_points(round)
        com_lon, com_lat = community_points(round)
        return cls.of_points(cad_lon, cad_lat, com_lon, com_lat)

    @classmethod
    def of_points(
        cls, cad_lon: FloatArray, cad_lat: FloatArray, com_lon: FloatArray, com_lat: FloatArray
    ) -> RoundGeometry:
        """The geometry of WGS-84 points given directly (benchmarks, tests)."""
        cad_xyz = unit_vectors(cad_lon, cad_lat)
        com_xyz = unit_vectors(com_lon, com_lat)
        return cls(
            np.asarray(cad_lon, np.float64),
            np.asarray(cad_lat, np.float64),
            np.asarray(com_lon, np.float64),
            np.asarray(com_lat, np.float64),
            cad_xyz,
            com_xyz,
            cKDTree(cad_xyz),
        )

    @property
    def n_cadres(self) -> int:
        return len(self.cadre_lon)

    @property
    def n_communities(self) -> int:
        return len(self.community_lon)

    def metres(self, cadre: IntArray, community: IntArray) -> FloatArray:
        """Great-circle metres of index pairs, from the unit vectors (exact for the sphere:
        the chord's arc, as the KD-tree measures it)."""
        diff = self.cadre_xyz[cadre] - self.community_xyz[community]
        return metres_for_chord(np.sqrt(np.einsum("ij,ij->i", diff, diff)))

    def within(self, max_m: float) -> tuple[IntArray, IntArray, FloatArray]:
        """All (cadre, community) pairs within ``max_m`` metres, with metres.

        A small tree per batch of :data:`CHUNK` communities is matched against the cadre
        tree (``sparse_distance_matrix``: dual-tree search in C++, flat arrays); memory is
        proportional to the pairs found."""
        if not self.n_cadres or not self.n_communities:
            return _empty()
        radius = chord_for_metres(max_m)
        cads: list[IntArray] = []
        coms: list[IntArray] = []
        dists: list[FloatArray] = []
        for start in range(0, self.n_communities, CHUNK):
            block = cKDTree(self.community_xyz[start : start + CHUNK])
            hits = block.sparse_distance_matrix(self.cadre_tree, radius, output_type="ndarray")
            dist = metres_for_chord(hits["v"])
            keep = dist <= max_m  # guards the floating-point edge of the chord radius
            cads.append(hits["j"][keep].astype(np.int64))
            coms.append((hits["i"][keep] + start).astype(np.int64))
            dists.append(dist[keep])
            del hits
        return np.concatenate(cads), np.concatenate(coms), np.concatenate(dists)

    def nearest(
        self, rows: IntArray, k: int, max_m: float | None = None
    ) -> tuple[FloatArray, NDArray[np.intp]]:
        """The ``k`` nearest cadres of the communities ``rows``: ``(metres, cadre)`` arrays of
        shape (len(rows), k), ``inf`` metres where fewer lie within ``max_m``."""
        k = min(k, self.n_cadres)
        bound = np.inf if max_m is None else chord_for_metres(max_m) * (1 + 1e-12)
        chord, idx = self.cadre_tree.query(
            self.community_xyz[rows], k=k, distance_upper_bound=bound
        )
        chord = np.asarray(chord, dtype=np.float64).reshape(len(rows), k)
        idx = np.asarray(idx).reshape(len(rows), k)
        found = np.isfinite(chord)
        metres = np.where(found, metres_for_chord(np.where(found, chord, 0.0)), np.inf)
        return metres, idx

    def ball(self, rows: IntArray, radius_m: FloatArray) -> tuple[IntArray, IntArray, FloatArray]:
        """Every cadre within ``radius_m[i]`` metres of community ``rows[i]`` (``inf`` = every
        cadre): ``(cadre, community, metres)``."""
        if not len(rows) or not self.n_cadres:
            return _empty()
        radius = np.array(
            [
                EVERYTHING if np.isinf(m) else chord_for_metres(float(m)) * (1 + 1e-12)
                for m in radius_m
            ]
        )
        hits = self.cadre_tree.query_ball_point(self.community_xyz[rows], radius)
        lengths = np.fromiter((len(h) for h in hits), dtype=np.int64, count=len(hits))
        cad = np.fromiter((j for h in hits for j in h), dtype=np.int64, count=int(lengths.sum()))
        com = np.repeat(np.asarray(rows, dtype=np.int64), lengths)
        return cad, com, self.metres(cad, com)


def _empty() -> tuple[IntArray, IntArray, FloatArray]:
    return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, np.float64)
