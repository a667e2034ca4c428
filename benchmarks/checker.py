"""An independent rule checker: evaluate any plan against a round's hard rules from scratch.

It reads only the :class:`~matcher.model.round.Round` and the plan (filled posts as ``(community id,
post type, cadre id)``); it never looks at the engine's problem data, masks or rows, so it can
catch an engine that models a rule wrongly. Distances are its own haversine on WGS-84 points
(GCJ-02/BD-09 input is converted by :mod:`geodata.points`), with a 1 m tolerance on the
distance limit for rounding in the pair search.

A *break* is one unit of violation: a required post left empty, a post above the number the
community has, a cadre holding a post beyond the first, an ineligible (cadre, post) pair (once
per rule it breaks), a lock not honoured, a quota count outside its bounds (by how much), a
community short of skilled cadres (by how many).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np

from geodata.points import cadre_points, community_points
from matcher.model.ranks import Rank
from matcher.model.round import Cadre, Community, Round
from matcher.model.rules import Selector
from matcher.model.skills import normalise_skill

Placement = tuple[str, str, str]
"""A filled post: (community id, post type "full-time"/"part-time", cadre id)."""

EARTH_RADIUS_M = 6_371_008.8
TOLERANCE_M = 1.0


@dataclass(frozen=True)
class Check:
    """Breaks per rule, total travel of the plan (km) and the number of posts filled."""

    breaks: dict[str, int] = field(default_factory=dict)
    travel_km: float = 0.0
    filled: int = 0

    @property
    def total(self) -> int:
        """All breaks together."""
        return sum(self.breaks.values())

    def describe(self) -> str:
        """``rule ×count`` for each broken rule, or ``none``."""
        parts = [f"{k} ×{v}" for k, v in sorted(self.breaks.items()) if v]
        return ", ".join(parts) or "none"


def haversine_m(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Great-circle distance in metres (spherical earth, mean radius)."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dp, dl = p2 - p1, np.radians(lon2 - lon1)
    h = np.sin(dp / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return float(2 * EARTH_RADIUS_M * np.arcsin(np.sqrt(min(1.0, h))))


def selects(sel: Selector, com: Community) -> bool:
    """True when the selector picks the community (all / any of its stated conditions)."""
    conds: list[bool] = []
    if sel.weak is not None:
        conds.append(com.weak == sel.weak)
    if sel.tags:
        conds.append(bool(set(sel.tags) & set(com.tags)))
    if sel.districts:
        conds.append(com.district.code in sel.districts)
    if sel.max_stars is not None:
        conds.append(com.stars is not None and com.stars <= sel.max_stars)
    if sel.communities:
        conds.append(com.id in sel.communities)
    if not conds:
        return True
    return all(conds) if sel.match == "all" else any(conds)


def _pair_breaks(
    rnd: Round, paired: set[str], cad: Cadre, com: Community, ptype: str, metres: float
) -> list[str]:
    """Rules the single pair (cadre in a ``ptype`` post of community) breaks; ``paired`` is
    every unit named in some community's ``paired_units``."""
    rules = rnd.rules
    out: list[str] = []
    if rules.max_distance.enabled and metres > rules.max_distance.km * 1000 + TOLERANCE_M:
        out.append("max_distance")
    if rules.availability.enabled and cad.availability.value not in ("either", ptype):
        out.append("availability")
    for k, floor in enumerate(rules.rank_floors):
        if floor.enabled and floor.post_type == ptype and selects(floor.where, com):
            low = int(cad.rank) < int(Rank(floor.min_rank))
            if low or (floor.levels and cad.level.value not in floor.levels):
                out.append(f"rank_floors[{k}]")
    own = rules.own_district
    if own.enabled and cad.level.value in own.levels and cad.home_district != com.district.code:
        out.append("own_district")
    if rules.exclude_disqualified.enabled and cad.disqualifications:
        out.append("exclude_disqualified")
    if rules.pairing.enabled and cad.unit in paired and cad.unit not in com.paired_units:
        out.append("pairing")
    for f in rules.forbidden_pairs:
        if f.cadre == cad.id and f.community == com.id and f.post_type in (None, ptype):
            out.append("forbidden_pairs")
            break
    return out


def check(rnd: Round, plan: Iterable[Placement]) -> Check:
    """Count the hard rules ``plan`` breaks and its total travel (see module docstring)."""
    plan = list(plan)
    rules = rnd.rules
    coms = {c.id: c for c in rnd.communities}
    cads = {c.id: c for c in rnd.cadres}
    com_ix, cad_ix = rnd.community_index(), rnd.cadre_index()
    mlon, mlat = community_points(rnd)
    clon, clat = cadre_points(rnd)
    paired = {u for c in rnd.communities for u in c.paired_units}
    breaks: Counter[str] = Counter()
    travel = 0.0
    held: Counter[tuple[str, str]] = Counter()
    per_cadre: Counter[str] = Counter()
    per_type: Counter[tuple[str, str]] = Counter()
    for com_id, ptype, cad_id in plan:
        if com_id not in coms or cad_id not in cads or ptype not in ("full-time", "part-time"):
            breaks["unknown id or post type"] += 1
            continue
        com, cad = coms[com_id], cads[cad_id]
        i, j = cad_ix[cad_id], com_ix[com_id]
        metres = haversine_m(float(clon[i]), float(clat[i]), float(mlon[j]), float(mlat[j]))
        travel += metres / 1000
        held[com_id, ptype] += 1
        per_cadre[cad_id] += 1
        per_type[cad_id, ptype] += 1
        for rule in _pair_breaks(rnd, paired, cad, com, ptype, metres):
            breaks[rule] += 1
    for com in rnd.communities:
        for ptype, posts in (
            ("full-time", com.posts.full_time),
            ("part-time", com.posts.part_time),
        ):
            n = held[com.id, ptype]
            breaks["capacity"] += max(0, n - posts)
            cov = rules.coverage
            if cov.enabled and not cov.allow_vacancies and ptype in cov.post_types:
                breaks["coverage"] += max(0, posts - n)
    if rules.one_post_per_cadre.enabled:
        breaks["one_post_per_cadre"] += sum(n - 1 for n in per_cadre.values() if n > 1)
    else:
        breaks["one_post_per_type"] += sum(n - 1 for n in per_type.values() if n > 1)
    posted = {(cad, com, pt) for com, pt, cad in plan}
    for lock in rules.locks:
        types = ("full-time", "part-time") if lock.post_type is None else (lock.post_type,)
        if not any((lock.cadre, lock.community, t) in posted for t in types):
            breaks["locks"] += 1
    for k, q in enumerate(rules.source_quotas):
        if not q.enabled:
            continue
        members = {
            c.id for c in rnd.cadres if (q.level is not None and c.level.value == q.level)
        } | {c.id for c in rnd.cadres if c.unit in q.units}
        n = sum(1 for _, pt, cad_id in plan if pt == q.post_type and cad_id in members)
        below = 0 if q.min is None else max(0, q.min - n)
        above = 0 if q.max is None else max(0, n - q.max)
        breaks[f"source_quotas[{k}]"] += below + above
    for k, mix in enumerate(rules.skill_mix):
        if not mix.enabled:
            continue
        want = {normalise_skill(s) for s in mix.any_of}
        skilled: Counter[str] = Counter(
            com_id
            for com_id, pt, cad_id in plan
            if pt == mix.post_type and cad_id in cads and want & set(cads[cad_id].skills)
        )
        for com in rnd.communities:
            if selects(mix.where, com):
                breaks[f"skill_mix[{k}]"] += max(0, mix.min_count - skilled[com.id])
    return Check({k: v for k, v in breaks.items() if v}, travel, len(plan))
