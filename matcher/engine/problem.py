"""Immutable problem data for the engine: groups of interchangeable posts, eligible arcs, costs.

:func:`build_problem` turns a validated :class:`~matcher.model.round.Round` and its sparse
:class:`~matcher.engine.pairs.CandidatePairs` into :class:`ProblemData`: plain numpy arrays with
dense integer indices and integer costs. Posts of one type in one community are interchangeable, so
they form one *group* with a capacity instead of one node per slot. An *arc* is an eligible (cadre,
group) pair. Everything the solvers and the explanations need is here; nothing else of the round is
read after this step.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from matcher.engine.eligibility import (
    LEVELS,
    POST_TYPES,
    describe_rule,
    prune,
    selector_mask,
    type_code,
)
from matcher.engine.objective import arc_terms, cost_floor, dominance_warnings
from matcher.engine.pairs import CandidatePairs
from matcher.model.round import Round


@dataclass(frozen=True, slots=True)
class Quota:
    """Side constraint: ``lo ≤ #filled posts of post_type held by members ≤ hi`` (−1 = none)."""

    name: str
    post_type: int
    member: NDArray[np.bool_]
    lo: int
    hi: int
    source: str


@dataclass(frozen=True, slots=True)
class SkillMix:
    """Side constraint: each listed community has ≥ ``min_count`` skilled cadres of the type."""

    name: str
    post_type: int
    communities: NDArray[np.int32]
    skilled: NDArray[np.bool_]
    min_count: int
    skills: tuple[str, ...]
    source: str = ""
    """Rule name in the round, e.g. ``skill_mix[1]`` (index among all mixes, not the enabled)."""


@dataclass(frozen=True, slots=True)
class ProblemData:
    """Everything the engine solves, as arrays. Groups and arcs are sorted deterministically.

    Group g is posts of type ``group_type[g]`` (0 full-time, 1 part-time) in community
    ``group_community[g]``; ``group_required[g]`` of its ``group_capacity[g]`` posts must be
    filled (hard coverage), the rest cost ``group_vacancy_cost[g]`` each when empty.
    Arc a lets cadre ``arc_cadre[a]`` fill a post of group ``arc_group[a]`` at ``arc_cost[a]``
    points, the sum of the term arrays ``arc_distance`` … ``arc_change`` (signed points).
    A cadre holding a current post (of type ``cadre_current_type``, −1 = none) who is left
    with no post costs ``cadre_drop_cost`` (the change weight; see :mod:`matcher.engine.objective`).
    ``group_pruned[g, k]`` counts candidate pairs of g that rule ``prune_rules[k]`` forbids
    (a pair forbidden by two rules counts under both).
    Locks: cadre ``lock_cadre[l]`` must hold a post in community ``lock_community[l]`` of type
    ``lock_type[l]`` (−1 = either type); ``lock_issue[l]`` is "" or why the lock is ineligible.
    ``pairs_reach_m`` is the candidate pairs' reach (None = complete); ``group_floor[g]`` is
    the least a pair of group g can cost apart from distance (every cadre of the round, the
    drop cost of a sitting cadre included), for the proof over left-out pairs.
    """

    name: str
    community_ids: tuple[str, ...]
    cadre_ids: tuple[str, ...]
    district_names: tuple[str, ...]
    community_district: NDArray[np.int32]
    cadre_level: NDArray[np.int8]
    cadre_rank: NDArray[np.int8]
    group_community: NDArray[np.int32]
    group_type: NDArray[np.int8]
    group_capacity: NDArray[np.int32]
    group_required: NDArray[np.int32]
    group_vacancy_cost: NDArray[np.int64]
    group_candidates: NDArray[np.int32]
    group_pruned: NDArray[np.int32]
    prune_rules: tuple[str, ...]
    prune_words: tuple[str, ...]
    arc_cadre: NDArray[np.int32]
    arc_group: NDArray[np.int32]
    arc_cost: NDArray[np.int64]
    arc_distance_m: NDArray[np.int32]
    arc_distance: NDArray[np.int64]
    arc_skill_fit: NDArray[np.int64]
    arc_weak_priority: NDArray[np.int64]
    arc_preference: NDArray[np.int64]
    arc_change: NDArray[np.int64]
    cadre_drop_cost: NDArray[np.int64]
    cadre_current_type: NDArray[np.int8]
    one_post_per_cadre: bool
    quotas: tuple[Quota, ...]
    skill_mixes: tuple[SkillMix, ...]
    lock_cadre: NDArray[np.int32]
    lock_community: NDArray[np.int32]
    lock_type: NDArray[np.int8]
    lock_issue: tuple[str, ...]
    seed: int
    warnings: tuple[str, ...] = ()
    cadre_wishes: tuple[int, ...] = ()  # length of each cadre's preference list (志愿)
    pairs_reach_m: NDArray[np.float64] | None = None
    distance_per_km: int = 0
    group_floor: NDArray[np.int64] | None = None
    # Candidate pairs a pair rule removed: cadre, group and a bit per ``prune_rules`` entry
    # that forbids it, so a clash can be checked with a rule relaxed (matcher.engine.clash_core).
    pruned_cadre: NDArray[np.int32] | None = None
    pruned_group: NDArray[np.int32] | None = None
    pruned_by: NDArray[np.uint64] | None = None

    @property
    def pairs_complete(self) -> bool:
        """True when the candidate pairs left out no pair the rules allow (see
        :class:`~matcher.engine.pairs.CandidatePairs`); otherwise a plan is proven only by
        :mod:`matcher.engine.completion`."""
        return self.pairs_reach_m is None or bool(np.all(np.isinf(self.pairs_reach_m)))

    @property
    def n_groups(self) -> int:
        """Number of (community, post type) groups with at least one post."""
        return len(self.group_capacity)

    @property
    def n_arcs(self) -> int:
        """Number of eligible (cadre, group) arcs."""
        return len(self.arc_cadre)

    @property
    def n_posts(self) -> int:
        """Total number of posts."""
        return int(self.group_capacity.sum())

    @property
    def has_side_constraints(self) -> bool:
        """True when quotas or skill mixes are present (not a pure network problem)."""
        return bool(self.quotas or self.skill_mixes)

    def group_label(self, g: int) -> str:
        """``community id / post type`` of a group, for messages."""
        return f"{self.community_ids[self.group_community[g]]}/{POST_TYPES[self.group_type[g]]}"


def _groups(rnd: Round) -> tuple[NDArray[np.int32], NDArray[np.int32], NDArray[np.int8]]:
    """Group id table [community, type] (−1 = no posts) and its (community, type) arrays."""
    caps = np.array([[c.posts.full_time, c.posts.part_time] for c in rnd.communities], np.int32)
    caps = caps.reshape(len(rnd.communities), 2)
    has = caps > 0
    table = np.full(caps.shape, -1, dtype=np.int32)
    table[has] = np.arange(int(has.sum()), dtype=np.int32)
    com, typ = np.nonzero(has)
    return table, com.astype(np.int32), typ.astype(np.int8)


def _arc_pairs(
    table: NDArray[np.int32], community: NDArray[np.int32]
) -> tuple[NDArray[np.intp], NDArray[np.int8]]:
    """Each (cadre, community) pair expanded into one arc per post type the community has:
    the pair index and post type of every arc, in (group, cadre) order.

    Groups are numbered in (community, type) order and the pairs are sorted by (community,
    cadre), so each community's arcs form one block, its full-time arcs (in pair order) then
    its part-time arcs: every arc's place is computed, not sorted for."""
    n_com = len(table)
    has = table >= 0
    if len(community) > 1 and not bool(np.all(community[1:] >= community[:-1])):
        parts = [np.nonzero(has[community, t])[0] for t in (0, 1)]  # not sorted: sort
        src = np.concatenate(parts)
        typ = np.repeat(np.array([0, 1], dtype=np.int8), [len(parts[0]), len(parts[1])])
        order = np.argsort(table[community[src], typ], kind="stable")
        return src[order], typ[order]
    counts = np.bincount(community, minlength=n_com).astype(np.int64)
    pair_start = np.cumsum(counts) - counts
    per_com = counts * has.sum(axis=1)
    block = np.cumsum(per_com) - per_com
    n_arcs = int(per_com.sum())
    src = np.empty(n_arcs, dtype=np.intp)
    typ = np.empty(n_arcs, dtype=np.int8)
    pos = block[community] + (np.arange(len(community)) - pair_start[community])
    full = has[community, 0]
    at = pos[full]
    src[at], typ[at] = np.nonzero(full)[0], 0
    part = has[community, 1]
    at = (pos + counts[community] * full)[part]
    src[at], typ[at] = np.nonzero(part)[0], 1
    return src, typ


def _locks(
    rnd: Round,
    table: NDArray[np.int32],
    sorted_keys: NDArray[np.int64],
    allowed: NDArray[np.bool_],
    names: tuple[str, ...],
    masks: tuple[NDArray[np.bool_], ...],
) -> tuple[NDArray[np.int32], NDArray[np.int32], NDArray[np.int8], tuple[str, ...]]:
    """Locks as arrays, each with "" or the reason it cannot hold.

    ``sorted_keys`` are ``group·n_cadres + cadre`` of the candidate arcs, in arc order."""
    cad_ix, com_ix = rnd.cadre_index(), rnd.community_index()
    n_cad = max(1, len(rnd.cadres))
    lc, lm, lt, issues = [], [], [], []
    for lock in rnd.rules.locks:
        i, c = cad_ix[lock.cadre], com_ix[lock.community]
        t = -1 if lock.post_type is None else type_code(lock.post_type)
        lc.append(i)
        lm.append(c)
        lt.append(t)
        why: list[str] = []
        ok = False
        for tt in (0, 1) if t < 0 else (t,):
            if table[c, tt] < 0:
                why.append(f"the community has no {POST_TYPES[tt]} post")
                continue
            key = int(table[c, tt]) * n_cad + i
            a = int(np.searchsorted(sorted_keys, key))
            if a >= len(sorted_keys) or sorted_keys[a] != key:
                why.append(describe_rule(rnd, "not_candidate"))
                continue
            if allowed[a]:
                ok = True
            why += [describe_rule(rnd, n) for n, m in zip(names, masks, strict=True) if m[a]]
        issues.append("" if ok else "; ".join(dict.fromkeys(why)))
    return (
        np.array(lc, dtype=np.int32),
        np.array(lm, dtype=np.int32),
        np.array(lt, dtype=np.int8),
        tuple(issues),
    )


def _side_constraints(rnd: Round) -> tuple[tuple[Quota, ...], tuple[SkillMix, ...]]:
    cads = rnd.cadres
    quotas: list[Quota] = []
    for i, q in enumerate(rnd.rules.source_quotas):
        if not q.enabled:
            continue
        units, anyone = set(q.units), q.level is None and not q.units
        every = q.cadres.is_empty()  # matches() is True for every cadre: skip the calls
        member = np.array(
            [
                (anyone or (q.level is not None and c.level.value == q.level) or c.unit in units)
                and (every or q.cadres.matches(c))
                for c in cads
            ],
            dtype=bool,
        )
        lo = -1 if q.min is None else q.min
        hi = -1 if q.max is None else q.max
        src = f"source_quotas[{i}]"
        quotas.append(Quota(q.name, type_code(q.post_type), member, lo, hi, src))
    mixes: list[SkillMix] = []
    for k, mix in enumerate(rnd.rules.skill_mix):
        if not mix.enabled:
            continue
        skilled = np.array([mix.counts(c.skills, mix.cadres.matches(c)) for c in cads], bool)
        coms = np.nonzero(selector_mask(rnd, mix.where))[0].astype(np.int32)
        t = type_code(mix.post_type)
        src = f"skill_mix[{k}]"
        mixes.append(SkillMix(mix.name, t, coms, skilled, mix.min_count, mix.words(), src))
    return tuple(quotas), tuple(mixes)


def build_problem(rnd: Round, pairs: CandidatePairs) -> ProblemData:
    """Apply eligibility rules to the candidate pairs and price every eligible arc."""
    rules, w = rnd.rules, rnd.weights
    table, g_com, g_type = _groups(rnd)

    src, typ = _arc_pairs(table, pairs.community)
    com = pairs.community[src]
    grp = table[com, typ]
    cad, dist = pairs.cadre[src], pairs.distance_m[src]
    del src

    pruning = prune(rnd, cad, com, typ, dist)
    allowed = pruning.allowed(len(cad))
    n_groups = len(g_com)
    pruned = np.zeros((n_groups, len(pruning.names)), dtype=np.int32)
    for k, mask in enumerate(pruning.masks):
        pruned[:, k] = np.bincount(grp[mask], minlength=n_groups)
    candidates = np.bincount(grp, minlength=n_groups).astype(np.int32)

    if rnd.rules.locks:
        keys = grp.astype(np.int64) * max(1, len(rnd.cadres)) + cad
        locks = _locks(rnd, table, keys, allowed, pruning.names, pruning.masks)
    else:
        locks = (np.zeros(0, np.int32), np.zeros(0, np.int32), np.zeros(0, np.int8), ())
    lock_c, lock_m, lock_t, lock_issue = locks
    rule_names = pruning.names
    removed = np.nonzero(~allowed)[0]
    pruned_by = np.zeros(len(removed), dtype=np.uint64)
    for k, mask in enumerate(pruning.masks):  # rules past the 63rd share bit 63 (never relaxed)
        np.bitwise_or(pruned_by, np.uint64(1 << min(k, 63)), out=pruned_by, where=mask[removed])
    pruned_cadre, pruned_group = cad[removed], grp[removed]
    del removed
    del pruning
    cad, com, typ, dist, grp = cad[allowed], com[allowed], typ[allowed], dist[allowed], grp[allowed]
    terms = arc_terms(rnd, cad, com, typ, dist)
    cost = terms.total()

    caps = np.array([[c.posts.full_time, c.posts.part_time] for c in rnd.communities], np.int32)
    caps = caps.reshape(len(rnd.communities), 2)
    g_cap = caps[g_com, g_type] if n_groups else np.zeros(0, dtype=np.int32)
    cov = rules.coverage
    hard_types = [type_code(t) for t in cov.post_types] if cov.enabled else []
    hard = np.isin(g_type, hard_types) & (not cov.allow_vacancies)
    required = np.where(hard, g_cap, 0).astype(np.int32)
    vac = np.where(g_type == 0, w.vacancy_full_time, w.vacancy_part_time).astype(np.int64)

    districts = sorted({c.district.code for c in rnd.communities})
    d_ix = {d: i for i, d in enumerate(districts)}
    d_name = {c.district.code: c.district.name for c in rnd.communities}
    quotas, mixes = _side_constraints(rnd)
    return ProblemData(
        name=rnd.name,
        community_ids=tuple(c.id for c in rnd.communities),
        cadre_ids=tuple(c.id for c in rnd.cadres),
        district_names=tuple(d_name[d] for d in districts),
        community_district=np.array(
            [d_ix[c.district.code] for c in rnd.communities], dtype=np.int32
        ),
        cadre_level=np.array([LEVELS.index(c.level) for c in rnd.cadres], dtype=np.int8),
        cadre_rank=np.array([int(c.rank) for c in rnd.cadres], dtype=np.int8),
        group_community=g_com,
        group_type=g_type,
        group_capacity=g_cap.astype(np.int32),
        group_required=required,
        group_vacancy_cost=vac,
        group_candidates=candidates,
        group_pruned=pruned,
        prune_rules=rule_names,
        prune_words=tuple(describe_rule(rnd, n) for n in rule_names),
        arc_cadre=cad,
        arc_group=grp,
        arc_cost=cost,
        arc_distance_m=dist,
        arc_distance=terms.distance,
        arc_skill_fit=terms.skill_fit,
        arc_weak_priority=terms.weak_priority,
        arc_preference=terms.preference,
        arc_change=terms.change,
        cadre_drop_cost=np.array(
            [w.change if c.current_post else 0 for c in rnd.cadres], dtype=np.int64
        ),
        cadre_current_type=np.array(
            [
                type_code(c.current_post.post_type.value) if c.current_post else -1
                for c in rnd.cadres
            ],
            dtype=np.int8,
        ),
        one_post_per_cadre=rules.one_post_per_cadre.enabled,
        quotas=quotas,
        skill_mixes=mixes,
        lock_cadre=lock_c,
        lock_community=lock_m,
        lock_type=lock_t,
        lock_issue=lock_issue,
        seed=rnd.settings.seed,
        warnings=tuple(dominance_warnings(rnd, cost)),
        cadre_wishes=tuple(len(c.preferences) for c in rnd.cadres),
        pairs_reach_m=pairs.reach_m,
        distance_per_km=w.distance_per_km,
        group_floor=cost_floor(rnd, g_com, g_type),
        pruned_cadre=pruned_cadre,
        pruned_group=pruned_group,
        pruned_by=pruned_by,
    )


__all__ = ["ProblemData", "Quota", "SkillMix", "build_problem"]
