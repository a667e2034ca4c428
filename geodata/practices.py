"""Places → numbers for the practices: distances, neighbours and ranks as the engines' arrays.

Every point is converted to WGS-84 first (GCJ-02 and BD-09 shift by hundreds of metres);
distances are great-circle metres. Neighbours of a committee round share a boundary when every
community has a polygon (touching within ``_TOUCH_M``), else lie within ``neighbour_km``.
Unknown ids in wishes are refused with every problem named, as a round's are.
"""

from __future__ import annotations

import numpy as np
import shapely
from numpy.typing import NDArray

from geodata.distance import great_circle_m
from geodata.points import location_points, polygon_wgs84
from matcher.model.problems import InputProblem, InvalidInput
from matcher.model.round import Location
from matcher.practices.committees import CommitteeProblem
from matcher.practices.exchange import ExchangeProblem
from matcher.practices.mentoring import MentorProblem
from matcher.practices.models import CommitteeRound, ExchangeRound, MentorRound

#: Polygons closer than this (metres) count as sharing a boundary (digitising gaps).
_TOUCH_M = 30.0
_DEG_PER_M = 1 / 111_320


def _metres(a: list[Location], b: list[Location]) -> NDArray[np.int64]:
    alon, alat = location_points(a)
    blon, blat = location_points(b)
    d = great_circle_m(alon[:, None], alat[:, None], blon[None, :], blat[None, :])
    return np.rint(d).astype(np.int64)


def mentor_problem(rnd: MentorRound) -> MentorProblem:
    """Costs and pairing masks of a mentoring round (mentee rows × mentor columns)."""
    mentors, mentees, w, r = rnd.mentors, rnd.mentees, rnd.weights, rnd.rules
    dist = _metres([m.location for m in mentees], [m.location for m in mentors])
    covered = np.array(
        [[len(set(e.needs) & set(m.skills)) for m in mentors] for e in mentees], dtype=np.int64
    )
    needy = np.array([e.weak or e.new for e in mentees], dtype=bool)
    stars = np.array([m.stars or 0 for m in mentors], dtype=np.int64)
    terms = {
        "distance": (w.distance_per_km * dist + 500) // 1000,
        "complement": -w.complement * covered,
        "weak_pull": -w.weak_pull * np.where(needy[:, None], stars[None, :], 0),
    }
    masks: dict[str, NDArray[np.bool_]] = {}
    same_person = np.array([[e.id == m.id for m in mentors] for e in mentees], dtype=bool)
    masks["self"] = ~same_person
    if r.same_district:
        masks["same_district"] = np.array(
            [[e.district.code == m.district.code for m in mentors] for e in mentees], dtype=bool
        )
    if r.different_unit:
        masks["different_unit"] = np.array(
            [[not e.unit or e.unit != m.unit for m in mentors] for e in mentees], dtype=bool
        )
    if r.max_km is not None:
        masks["max_km"] = dist <= r.max_km * 1000
    cost = sum(terms.values(), np.zeros(dist.shape, dtype=np.int64))
    n = len(mentors)
    return MentorProblem(
        tuple(m.id for m in mentors),
        tuple(e.id for e in mentees),
        cost.astype(np.int64),
        dist,
        np.full(n, r.min_mentees, dtype=np.int64),
        np.full(n, r.max_mentees, dtype=np.int64),
        masks,
        terms,
        covered,
    )


def exchange_problem(rnd: ExchangeRound) -> ExchangeProblem:
    """Ranks on both sides and acceptable pairs; earlier batches' guests and hosts left out."""
    guests = [g for g in rnd.guests if g.id not in set(rnd.exclude_guests)]
    hosts = [h for h in rnd.hosts if h.community not in set(rnd.exclude_hosts)]
    g_index = {g.id: i for i, g in enumerate(rnd.guests)}
    h_index = {h.community: i for i, h in enumerate(rnd.hosts)}
    problems = []
    for i, g in enumerate(rnd.guests):
        for wish in g.preferences:
            if wish not in h_index:
                why = f"host community '{wish}' is not in the batch"
                problems.append(
                    InputProblem("exchange", f"guests[{i}].preferences", why, g.id, "preferences")
                )
    for i, h in enumerate(rnd.hosts):
        for wish in h.preferences:
            if wish not in g_index:
                why = f"guest '{wish}' is not in the batch"
                where = f"hosts[{i}].preferences"
                problems.append(InputProblem("exchange", where, why, h.community, "preferences"))
    if problems:
        raise InvalidInput(problems)
    gi = {g.id: i for i, g in enumerate(guests)}
    hi = {h.community: i for i, h in enumerate(hosts)}
    g_rank = np.zeros((len(guests), len(hosts)), dtype=np.int64)
    h_rank = np.zeros((len(guests), len(hosts)), dtype=np.int64)
    for i, g in enumerate(guests):
        for k, wish in enumerate(w for w in g.preferences if w in hi):
            g_rank[i, hi[wish]] = k + 1
    for j, h in enumerate(hosts):
        for k, wish in enumerate(w for w in h.preferences if w in gi):
            h_rank[gi[wish], j] = k + 1
    listing = np.array([bool(h.preferences) for h in hosts], dtype=bool)
    guest_ok = g_rank > 0 if not rnd.unranked_allowed else np.ones_like(g_rank, dtype=bool)
    host_ok = (h_rank > 0) | ~listing[None, :]
    return ExchangeProblem(
        tuple(g.id for g in guests),
        tuple(h.community for h in hosts),
        np.array([h.capacity for h in hosts], dtype=np.int64),
        g_rank,
        h_rank,
        guest_ok & host_ok,
        listing,
    )


def committee_problem(rnd: CommitteeRound) -> CommitteeProblem:
    """Neighbour graph (shared boundaries, else distance), strong members, distances."""
    coms, r = rnd.communities, rnd.rules
    dist = _metres([c.location for c in coms], [c.location for c in coms])
    n = len(coms)
    if all(c.polygon is not None for c in coms):
        shapes = [polygon_wgs84(c.polygon) for c in coms if c.polygon is not None]
        tree = shapely.STRtree(shapes)
        left, right = tree.query(shapes, predicate="dwithin", distance=_TOUCH_M * _DEG_PER_M)
        near = np.zeros((n, n), dtype=bool)
        near[left, right] = True
    else:
        near = dist <= r.neighbour_km * 1000
    np.fill_diagonal(near, False)
    near |= near.T
    same_district = np.array([[a.district.code == b.district.code for b in coms] for a in coms])
    near &= same_district
    stars = np.array([c.stars or 0 for c in coms], dtype=np.int64)
    strong = np.array(
        [c.strong if c.strong is not None else (c.stars or 0) >= r.strong_min_stars for c in coms],
        dtype=bool,
    )
    return CommitteeProblem(
        tuple(c.id for c in coms),
        strong,
        tuple(tuple(int(j) for j in np.nonzero(near[i])[0]) for i in range(n)),
        dist,
        r.min_size,
        r.max_size,
        stars,
    )
