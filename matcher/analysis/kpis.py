"""Key figures of a plan, for the whole round and per district.

Planners compare plans by a handful of numbers: how far cadres travel (mean, p90, max), whether
weak communities got what the policy asks for (rank floor, skill mix, strength of their first
secretary), how often a cadre's skills meet the post's needs, how often cadres got their first
or a top-3 choice, and how many posts stay empty. Figures are computed from the round and the
result only, so they mean the same for plans solved anywhere (CLI, service, sweeps).

Weak-community figures measure the *policy as stated in the round*, enabled or not: a what-if
that switches the rank floor off still shows how many weak communities would meet it. With no
rank floor stated, the reported floor is the default one (副科 or above in weak communities).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from matcher.engine.eligibility import selector_mask
from matcher.engine.result import Assignment, Result
from matcher.model.round import Cadre, Round
from matcher.model.rules import RankFloor


@dataclass(frozen=True, slots=True)
class Kpis:
    """Figures of a plan or of one district of it. ``None`` means "does not apply".

    Distances are kilometres of the measured home-to-post distance. ``weak_mean_rank`` is the
    mean rank step (科员 = 0 … 正县 = 4) of full-time cadres in weak communities: the
    weak-community fit the trade-off curve plots against travel.

    Wishes count every cadre who gave any (``wish_givers``), placed or not: ``first_choice_share``
    and ``top3_share`` are shares of all of them, so people left without a post lower them;
    ``wish_elsewhere`` were placed outside their wishes, ``wish_unplaced`` got no post. A
    district counts the wish-givers placed in it and the unplaced whose first wish lies in it.
    """

    posts: int
    filled: int
    vacancies: int
    vacancies_full_time: int
    vacancies_part_time: int
    total_km: float
    mean_km: float | None
    p90_km: float | None
    max_km: float | None
    weak_communities: int
    weak_rank_floor_met: int
    weak_skill_mix_met: int | None
    weak_mean_rank: float | None
    skill_fit_rate: float | None
    first_choice_share: float | None
    top3_share: float | None
    wish_givers: int = 0
    wish_first: int = 0
    wish_top3: int = 0
    wish_elsewhere: int = 0
    wish_unplaced: int = 0

    def to_dict(self) -> dict[str, Any]:
        """Plain dict (JSON-ready)."""
        return asdict(self)


@dataclass(frozen=True, slots=True)
class DistrictKpis:
    """KPIs of the posts in one district (code and name from the round)."""

    code: str
    name: str
    kpis: Kpis

    def to_dict(self) -> dict[str, Any]:
        """Plain dict (JSON-ready): code and name, then the KPIs, flat."""
        return {"code": self.code, "name": self.name, **self.kpis.to_dict()}


def _share(hits: int, total: int) -> float | None:
    return None if total == 0 else round(hits / total, 4)


def _km(values: list[float]) -> tuple[float, float | None, float | None, float | None]:
    if not values:
        return 0.0, None, None, None
    arr = np.asarray(values, dtype=np.float64)
    return (
        round(float(arr.sum()), 3),
        round(float(arr.mean()), 3),
        round(float(np.percentile(arr, 90)), 3),
        round(float(arr.max()), 3),
    )


class _Policy:
    """Which rank floors and skill mixes apply to each community (computed once per round)."""

    def __init__(self, rnd: Round) -> None:
        floors = list(rnd.rules.rank_floors) or [RankFloor()]
        self.floors = [(f, selector_mask(rnd, f.where)) for f in floors]
        self.mixes = [(m, selector_mask(rnd, m.where)) for m in rnd.rules.skill_mix]
        self.index = rnd.community_index()

    def floor_met(self, com: str, posts: list[Assignment], cadres: dict[str, Cadre]) -> bool:
        c = self.index[com]
        for floor, mask in self.floors:
            if not mask[c]:
                continue
            for a in posts:
                if a.post_type != floor.post_type:
                    continue
                cad = cadres.get(a.cadre_id or "")
                if cad is None or cad.rank < floor.min_rank:
                    return False
                if floor.levels and cad.level.value not in floor.levels:
                    return False
                if not floor.cadres.matches(cad):
                    return False
        return True

    def mix_met(self, com: str, posts: list[Assignment], cadres: dict[str, Cadre]) -> bool:
        c = self.index[com]
        for mix, mask in self.mixes:
            if not mask[c]:
                continue
            have = sum(
                1
                for a in posts
                if a.post_type == mix.post_type
                and a.cadre_id is not None
                and mix.counts(cadres[a.cadre_id].skills, mix.cadres.matches(cadres[a.cadre_id]))
            )
            if have < mix.min_count:
                return False
        return True


def _kpis(
    rnd: Round,
    assignments: list[Assignment],
    policy: _Policy,
    communities: set[str],
    unplaced: tuple[str, ...] | list[str] = (),
) -> Kpis:
    cadres = {c.id: c for c in rnd.cadres}
    coms = {c.id: c for c in rnd.communities}
    filled = [a for a in assignments if a.cadre_id is not None]
    total, mean, p90, top = _km([a.distance_m / 1000 for a in filled if a.distance_m is not None])
    by_com: dict[str, list[Assignment]] = {}
    for a in assignments:
        by_com.setdefault(a.community_id, []).append(a)
    weak = sorted(c for c in communities if coms[c].weak)
    floor_met = sum(policy.floor_met(c, by_com.get(c, []), cadres) for c in weak)
    mix_met = (
        sum(policy.mix_met(c, by_com.get(c, []), cadres) for c in weak) if policy.mixes else None
    )
    weak_ranks = [
        int(cadres[a.cadre_id].rank)
        for a in filled
        if a.cadre_id is not None and a.post_type == "full-time" and coms[a.community_id].weak
    ]
    need_hits = need_posts = pref_posts = first = top3 = 0
    for a in filled:
        cad = cadres[a.cadre_id or ""]
        need = getattr(coms[a.community_id].required_skills, a.post_type.replace("-", "_"))
        if need:
            need_posts += 1
            need_hits += bool(set(need).intersection(cad.skills))
        if cad.preferences:
            pref_posts += 1
            first += cad.preferences[0] == a.community_id
            top3 += a.community_id in cad.preferences[:3]
    elsewhere = sum(
        1
        for a in filled
        if cadres[a.cadre_id or ""].preferences
        and a.community_id not in cadres[a.cadre_id or ""].preferences
    )
    left = sum(1 for c in unplaced if cadres[c].preferences)
    givers = pref_posts + left
    vac_ft = sum(1 for a in assignments if a.vacant and a.post_type == "full-time")
    vac_pt = sum(1 for a in assignments if a.vacant and a.post_type == "part-time")
    return Kpis(
        posts=len(assignments),
        filled=len(filled),
        vacancies=vac_ft + vac_pt,
        vacancies_full_time=vac_ft,
        vacancies_part_time=vac_pt,
        total_km=total,
        mean_km=mean,
        p90_km=p90,
        max_km=top,
        weak_communities=len(weak),
        weak_rank_floor_met=floor_met,
        weak_skill_mix_met=mix_met,
        weak_mean_rank=round(float(np.mean(weak_ranks)), 4) if weak_ranks else None,
        skill_fit_rate=_share(need_hits, need_posts),
        first_choice_share=_share(first, givers),
        top3_share=_share(top3, givers),
        wish_givers=givers,
        wish_first=first,
        wish_top3=top3,
        wish_elsewhere=elsewhere,
        wish_unplaced=left,
    )


def plan_kpis(rnd: Round, result: Result) -> Kpis:
    """KPIs of the whole plan (every post of ``result`` against ``rnd``)."""
    policy = _Policy(rnd)
    coms = {c.id for c in rnd.communities}
    return _kpis(rnd, list(result.assignments), policy, coms, list(result.unplaced_cadres))


def district_kpis(rnd: Round, result: Result) -> list[DistrictKpis]:
    """KPIs per district, in district code order (districts of the round's communities)."""
    policy = _Policy(rnd)
    district = {c.id: c.district for c in rnd.communities}
    by_code: dict[str, list[Assignment]] = {}
    members: dict[str, set[str]] = {}
    for c in rnd.communities:
        by_code.setdefault(c.district.code, [])
        members.setdefault(c.district.code, set()).add(c.id)
    for a in result.assignments:
        by_code[district[a.community_id].code].append(a)
    names = {c.district.code: c.district.name for c in rnd.communities}
    cadres = {c.id: c for c in rnd.cadres}
    left: dict[str, list[str]] = {}
    for cid in result.unplaced_cadres:
        prefs = cadres[cid].preferences
        if prefs and prefs[0] in district:
            left.setdefault(district[prefs[0]].code, []).append(cid)
    return [
        DistrictKpis(
            code,
            names[code],
            _kpis(rnd, by_code[code], policy, members[code], left.get(code, [])),
        )
        for code in sorted(by_code)
    ]


KPI_FIELDS: tuple[str, ...] = tuple(Kpis.__dataclass_fields__)
"""KPI names in display order."""


__all__ = ["KPI_FIELDS", "DistrictKpis", "Kpis", "district_kpis", "plan_kpis"]
