"""Eligibility: which (cadre, post type, community) arcs the hard rules allow, and why not.

Each hard rule that acts on single pairs (max distance, availability, rank floors, own
district, disqualification, pairing, forbidden pairs) is a boolean mask over the expanded
candidate arcs. A disabled rule yields no mask. Masks are kept per rule, not only combined,
so that explanations and infeasibility reports can say which rule removed which pairs.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from matcher.model.attributes import PartyStanding
from matcher.model.round import Availability, Level, Round
from matcher.model.rules import Selector
from matcher.model.vetting import answered_against, department_words, missing

POST_TYPES: tuple[str, str] = ("full-time", "part-time")
"""Post type names by their integer code (0 = full-time, 1 = part-time)."""

LEVELS: tuple[Level, ...] = (Level.CITY, Level.COUNTY, Level.STREET)
"""Source levels by their integer code."""


def party_admitted(probationary: bool) -> tuple[PartyStanding, ...]:
    """The Party standings the first-secretary rule admits (预备党员 only when the round says)."""
    member = (PartyStanding.MEMBER,)
    return (*member, PartyStanding.PROBATIONARY) if probationary else member


def type_code(name: str) -> int:
    """Integer code of a post type name."""
    return POST_TYPES.index(name)


def selector_mask(rnd: Round, sel: Selector) -> NDArray[np.bool_]:
    """Communities a selector picks (see :class:`matcher.model.rules.Selector`)."""
    conds: list[NDArray[np.bool_]] = []
    coms = rnd.communities
    if sel.weak is not None:
        conds.append(np.array([c.weak == sel.weak for c in coms], dtype=bool))
    if sel.tags:
        want = set(sel.tags)
        conds.append(np.array([bool(want.intersection(c.tags)) for c in coms], dtype=bool))
    if sel.districts:
        codes = set(sel.districts)
        conds.append(np.array([c.district.code in codes for c in coms], dtype=bool))
    if sel.max_stars is not None:
        m = sel.max_stars
        conds.append(np.array([c.stars is not None and c.stars <= m for c in coms], dtype=bool))
    if sel.communities:
        ids = set(sel.communities)
        conds.append(np.array([c.id in ids for c in coms], dtype=bool))
    if not conds:
        return np.ones(len(coms), dtype=bool)
    stack = np.vstack(conds)
    return np.asarray(stack.all(axis=0) if sel.match == "all" else stack.any(axis=0))


@dataclass(frozen=True, slots=True)
class Pruning:
    """Per-rule masks over arcs: ``masks[k][a]`` is True when rule ``names[k]`` forbids arc a."""

    names: tuple[str, ...]
    masks: tuple[NDArray[np.bool_], ...]

    def allowed(self, n: int) -> NDArray[np.bool_]:
        """Arcs no rule forbids."""
        out = np.ones(n, dtype=bool)
        for m in self.masks:
            out &= ~m
        return out


def _pair_keys(
    rnd: Round, refs: list[tuple[str, str, str | None]]
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Keys cadre*n_com + community for a list of (cadre, community, type-or-None) refs."""
    cad_ix, com_ix = rnd.cadre_index(), rnd.community_index()
    n_com = max(1, len(rnd.communities))
    keys: list[int] = []
    types: list[int] = []
    for cad, com, pt in refs:
        if cad in cad_ix and com in com_ix:
            key = cad_ix[cad] * n_com + com_ix[com]
            for t in (0, 1) if pt is None else (type_code(pt),):
                keys.append(key)
                types.append(t)
    return np.array(keys, dtype=np.int64), np.array(types, dtype=np.int64)


def arc_pair_in(
    rnd: Round,
    refs: list[tuple[str, str, str | None]],
    cadre: NDArray[np.int32],
    community: NDArray[np.int32],
    ptype: NDArray[np.int8],
) -> NDArray[np.bool_]:
    """True for arcs named by ``refs`` (post type None names both types)."""
    keys, types = _pair_keys(rnd, refs)
    if not len(keys):
        return np.zeros(len(cadre), dtype=bool)
    return keys_in(keys * 2 + types, cadre, community, ptype, len(rnd.communities))


def keys_in(
    refs: NDArray[np.int64],
    cadre: NDArray[np.int32],
    community: NDArray[np.int32],
    ptype: NDArray[np.int8],
    n_com: int,
) -> NDArray[np.bool_]:
    """True for arcs whose key ``(cadre·n_com + community)·2 + type`` is in ``refs``.

    Only arcs of cadres named in ``refs`` are looked up (binary search in the sorted refs),
    which keeps this linear in the arcs with a small constant at province scale."""
    out = np.zeros(len(cadre), dtype=bool)
    if not len(refs):
        return out
    ref = np.unique(refs)
    n_com = max(1, n_com)
    named = np.zeros(int(cadre.max(initial=0)) + 1, dtype=bool)
    ref_cad = ref // 2 // n_com
    named[ref_cad[ref_cad < len(named)]] = True
    sub = np.nonzero(named[cadre])[0]
    arc = (cadre[sub].astype(np.int64) * n_com + community[sub]) * 2 + ptype[sub]
    at = np.clip(np.searchsorted(ref, arc), 0, len(ref) - 1)
    out[sub] = ref[at] == arc
    return out


def prune(
    rnd: Round,
    cadre: NDArray[np.int32],
    community: NDArray[np.int32],
    ptype: NDArray[np.int8],
    distance_m: NDArray[np.int32],
) -> Pruning:
    """Evaluate every enabled pair rule on the arcs (cadre[a], ptype[a] post in community[a])."""
    rules = rnd.rules
    cads, coms = rnd.cadres, rnd.communities
    names: list[str] = []
    masks: list[NDArray[np.bool_]] = []

    if rules.max_distance.enabled:
        limit = round(rules.max_distance.km * 1000)
        names.append("max_distance")
        masks.append(distance_m > limit)

    if rules.availability.enabled:
        code = {a: i for i, a in enumerate(Availability)}
        avail = np.array([code[c.availability] for c in cads], dtype=np.int8)
        a = avail[cadre]
        ft_only = a == list(Availability).index(Availability.FULL_TIME)
        pt_only = a == list(Availability).index(Availability.PART_TIME)
        names.append("availability")
        masks.append((ft_only & (ptype == 1)) | (pt_only & (ptype == 0)))

    rank = np.array([int(c.rank) for c in cads], dtype=np.int8)
    level = np.array([LEVELS.index(c.level) for c in cads], dtype=np.int8)
    for i, floor in enumerate(rules.rank_floors):
        if not floor.enabled:
            continue
        where = selector_mask(rnd, floor.where)[community] & (ptype == type_code(floor.post_type))
        bad = rank[cadre] < int(floor.min_rank)
        if floor.levels:
            ok_levels = np.array([LEVELS.index(Level(lv)) for lv in floor.levels], dtype=np.int8)
            bad |= ~np.isin(level[cadre], ok_levels)
        if not floor.cadres.is_empty():
            bad |= ~np.array([floor.cadres.matches(c) for c in cads], dtype=bool)[cadre]
        names.append(f"rank_floors[{i}]")
        masks.append(where & bad)

    if rules.own_district.enabled:
        local_levels = np.array(
            [LEVELS.index(Level(lv)) for lv in rules.own_district.levels], dtype=np.int8
        )
        codes = sorted({c.district.code for c in coms} | {c.home_district for c in cads})
        code_ix = {c: i for i, c in enumerate(codes)}
        com_d = np.array([code_ix[c.district.code] for c in coms], dtype=np.int32)
        home_d = np.array([code_ix[c.home_district] for c in cads], dtype=np.int32)
        names.append("own_district")
        masks.append(np.isin(level[cadre], local_levels) & (com_d[community] != home_d[cadre]))

    if rules.exclude_disqualified.enabled:
        dq = np.array([c.disqualified for c in cads], dtype=bool)
        names.append("exclude_disqualified")
        masks.append(dq[cadre])

    if rules.clearances.enabled and rules.clearances.required:
        need = rules.clearances.required
        barred = np.array([bool(missing(c.clearances, need)) for c in cads], dtype=bool)
        names.append("clearances")
        masks.append(barred[cadre])

    if rules.vetting.enabled:
        pending_any = rules.vetting.pending == "any"
        need = rules.clearances.required
        vetoed = np.array(
            [bool(answered_against(c.clearances, need, pending_any)) for c in cads], dtype=bool
        )
        names.append("vetting")
        masks.append(vetoed[cadre])

    if rules.party_secretary.enabled:
        admitted = party_admitted(rules.party_secretary.probationary)
        non_member = np.array([c.party not in admitted for c in cads], dtype=bool)
        names.append("party_secretary")
        masks.append(non_member[cadre] & (ptype == 0))

    if rules.pairing.enabled:
        paired_units = {u for c in coms for u in c.paired_units}
        by_unit: dict[str, list[str]] = {}
        for cad in cads:
            by_unit.setdefault(cad.unit, []).append(cad.id)
        refs: list[tuple[str, str, str | None]] = [
            (cid, com.id, None)
            for com in coms
            for u in com.paired_units
            for cid in by_unit.get(u, [])
        ]
        sel = rules.pairing.cadres
        is_paired = np.array([c.unit in paired_units and sel.matches(c) for c in cads], bool)
        ok = arc_pair_in(rnd, refs, cadre, community, ptype)
        names.append("pairing")
        masks.append(is_paired[cadre] & ~ok)

    if rules.forbidden_pairs:
        forbidden: list[tuple[str, str, str | None]] = [
            (p.cadre, p.community, p.post_type) for p in rules.forbidden_pairs
        ]
        names.append("forbidden_pairs")
        masks.append(arc_pair_in(rnd, forbidden, cadre, community, ptype))

    return Pruning(tuple(names), tuple(masks))


RULE_WORDS: dict[str, str] = {
    "max_distance": "beyond the maximum distance",
    "availability": "not available for this post type",
    "own_district": "county/street cadres stay in their own district",
    "exclude_disqualified": "disqualified",
    "party_secretary": "a first secretary must be a Party member",
    "vetting": "the joint vetting refused or has not finished",
    "pairing": "paired unit serves only its paired communities",
    "forbidden_pairs": "forbidden pair",
    "not_candidate": "not among the candidate pairs given to the engine",
}


def describe_rule(rnd: Round, name: str) -> str:
    """A planner-readable phrase for a pruning rule name such as ``rank_floors[0]``."""
    if name.startswith("rank_floors["):
        floor = rnd.rules.rank_floors[int(name[len("rank_floors[") : -1])]
        lv = f" from {'/'.join(floor.levels)} level" if floor.levels else ""
        sel = "" if floor.cadres.is_empty() else f", {floor.cadres.words()}"
        return f"{floor.name} (rank ≥ {floor.min_rank.label}{lv}{sel})"
    if name == "clearances":
        need = "、".join(department_words(d) for d in rnd.rules.clearances.required)
        return f"资格联审未全部通过 missing clearance ({need})"
    return RULE_WORDS.get(name, name)
