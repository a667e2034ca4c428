"""Sparse candidate sets that stay exact: hard rules before truncation, a reach, and widening.

A round without a distance rule is too big for all pairs at province scale, so each community
keeps its nearest cadres. Two things keep that honest:

* **Hard rules first** (:func:`eligible_nearest`): a community keeps nearest cadres until
  ``k`` of them are *eligible* for each post type it has (own district, pairing, rank floors,
  availability, disqualification, clearances … applied to the pairs before counting), widening
  ×4 per pass up to every cadre. A community whose only eligible cadre is 25 km away behind
  2,000 others gets that cadre.
* **A reach per community**: every cadre closer than ``reach_m[c]`` that the rules allow in
  some post type of the community is a candidate (a widened pass drops the others). The engine
  turns the split network's duals into the radius beyond which no pair can improve the plan
  (:mod:`matcher.engine.completion`); :func:`widen` adds the allowed pairs up to that radius,
  streamed, and :func:`geodata.pipeline.run_round` re-solves until every community's reach
  covers its radius.

Lock pairs (and current posts) are always added (:func:`forced_pairs`), so a lock of a far
cadre is judged by the rules, never refused for being outside the search.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import NDArray

from geodata.distance import EARTH_RADIUS_M
from geodata.geometry import RoundGeometry
from matcher.engine.eligibility import prune
from matcher.engine.pairs import CandidatePairs
from matcher.model.round import Round

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
#: Factor by which a community's nearest-cadre search widens per pass.
GROWTH = 4
#: Communities per KD-tree radius query when the proof widens the pairs.
WIDEN_CHUNK = 256


def _eligible(
    rnd: Round, cad: IntArray, com: IntArray, dist: FloatArray, t: int
) -> NDArray[np.bool_]:
    """Which pairs the hard pair rules allow in a post of type t."""
    typ = np.full(len(cad), t, dtype=np.int8)
    return prune(
        rnd, cad.astype(np.int32), com.astype(np.int32), typ, np.rint(dist).astype(np.int32)
    ).allowed(len(cad))


def eligible_nearest(
    rnd: Round,
    geo: RoundGeometry,
    k: int,
    max_m: float | None = None,
    stop: Callable[[], bool] | None = None,
) -> tuple[IntArray, IntArray, FloatArray, FloatArray]:
    """Each community's nearest cadres until ``k`` are eligible for every post type it has
    (or every cadre is taken), within ``max_m`` when given: ``(cadre, community, metres,
    reach_m)``; ``reach_m[c]`` is ``inf`` when nothing was left out. Once ``stop()`` says
    so (the time limit, a cancelled job) widening passes go on only for communities with
    fewer eligible cadres than posts of a type (so that a plan can still fill them); the
    others keep the cadres found so far, with their reach (honest, only less complete)."""
    n_cad, n_com = geo.n_cadres, geo.n_communities
    reach = np.full(n_com, np.inf)
    if n_cad == 0 or n_com == 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0), reach
    posts = np.array([[c.posts.full_time, c.posts.part_time] for c in rnd.communities])
    has = posts > 0
    pending = np.arange(n_com, dtype=np.int64)
    kk = min(k, n_cad)
    first = True
    cads: list[IntArray] = []
    coms: list[IntArray] = []
    dists: list[FloatArray] = []
    while len(pending):
        metres, idx = geo.nearest(pending, kk, max_m)
        found = np.isfinite(metres)
        row = np.broadcast_to(np.arange(len(pending))[:, None], idx.shape)[found]
        cad = idx[found].astype(np.int64)
        dist = metres[found]
        com = pending[row]
        # more cadres may lie beyond the k-th
        truncated = np.asarray(found.all(axis=1) & (kk < n_cad), dtype=bool)
        short = np.zeros(len(pending), dtype=bool)
        bare = np.zeros(len(pending), dtype=bool)  # fewer eligible cadres than posts of a type
        usable = np.zeros(len(cad), dtype=bool)  # eligible for some post type of its community
        if truncated.any() or not first:
            for t in (0, 1):
                need = has[pending, t]
                if need.any():
                    ok = _eligible(rnd, cad, com, dist, t) & need[row]
                    usable |= ok
                    count = np.bincount(row[ok], minlength=len(pending))
                    short |= need & truncated & (count < k)
                    bare |= need & truncated & (count < posts[pending, t])
        if stop is not None and stop():
            # out of time: what was found stands, with its reach; only a community with fewer
            # eligible cadres than posts of a type widens on (else no plan can fill it)
            short &= bare
        done = ~short[row]
        if not first:  # a widened pass keeps only the pairs some post type may use
            done &= usable
        cads.append(cad[done])
        coms.append(com[done])
        dists.append(dist[done])
        last = metres[:, -1]
        fin = ~short
        reach[pending[fin]] = np.where(truncated[fin], last[fin], np.inf)
        pending = pending[short]
        kk = min(kk * GROWTH, n_cad)
        first = False
    return np.concatenate(cads), np.concatenate(coms), np.concatenate(dists), reach


def forced_pairs(rnd: Round, geo: RoundGeometry) -> tuple[IntArray, IntArray, FloatArray]:
    """Pairs the rules name: every lock and every current post, however far."""
    cad_ix, com_ix = rnd.cadre_index(), rnd.community_index()
    named = [(cad_ix[lk.cadre], com_ix[lk.community]) for lk in rnd.rules.locks]
    named += [
        (i, com_ix[c.current_post.community])
        for i, c in enumerate(rnd.cadres)
        if c.current_post is not None and c.current_post.community in com_ix
    ]
    if not named:
        return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0)
    cad = np.array([i for i, _ in named], dtype=np.int64)
    com = np.array([c for _, c in named], dtype=np.int64)
    return cad, com, geo.metres(cad, com)


def widen(
    rnd: Round,
    pairs: CandidatePairs,
    need_m: FloatArray,
    geo: RoundGeometry | None = None,
    chunk: int = WIDEN_CHUNK,
) -> CandidatePairs:
    """The pairs plus every cadre within ``need_m[c]`` of each community whose reach is
    shorter (``inf`` = every cadre) that the rules allow in some post type it has; reaches
    grow to match. ``geo`` is the round's prepared geometry (built when omitted).

    Streamed: ``chunk`` communities per KD-tree radius query, and only the new ring
    (beyond the old reach, not yet a pair) that the rules allow is kept, so memory follows
    the pairs added, never the dense pairs within the radii."""
    if pairs.reach_m is None:
        return pairs
    reach = pairs.reach_m.copy()
    need_m = np.where(need_m >= np.pi * EARTH_RADIUS_M, np.inf, need_m)  # the whole earth
    grow = np.nonzero(need_m > reach)[0]
    if not len(grow):
        return pairs
    geo = geo if geo is not None else RoundGeometry.of_round(rnd)
    n_cad = max(1, geo.n_cadres)
    # pairs are sorted by (community, cadre): their keys are sorted too
    have = pairs.community.astype(np.int64) * n_cad + pairs.cadre
    has = np.array([[c.posts.full_time > 0, c.posts.part_time > 0] for c in rnd.communities])
    cads: list[IntArray] = [pairs.cadre.astype(np.int64)]
    coms: list[IntArray] = [pairs.community.astype(np.int64)]
    dists: list[FloatArray] = [pairs.distance_m.astype(np.float64)]
    for start in range(0, len(grow), chunk):
        rows = grow[start : start + chunk]
        cad, com, dist = geo.ball(rows, need_m[rows])
        ring = dist >= reach[com] - 0.5  # closer ones the rules allow are pairs already
        if len(have):
            key = com * n_cad + cad
            ring &= have[np.minimum(np.searchsorted(have, key), len(have) - 1)] != key
        cad, com, dist = cad[ring], com[ring], dist[ring]
        usable = np.zeros(len(cad), dtype=bool)
        for t in (0, 1):
            need = has[com, t]
            if need.any():
                usable |= need & _eligible(rnd, cad, com, dist, t)
        cads.append(cad[usable])
        coms.append(com[usable])
        dists.append(dist[usable])
    reach[grow] = np.maximum(reach[grow], need_m[grow])
    return CandidatePairs.from_arrays(
        np.concatenate(cads), np.concatenate(coms), np.concatenate(dists), reach
    )
