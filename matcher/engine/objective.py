"""The objective: integer points per arc and per vacancy, and how the terms combine.

Scale
-----
Every cost is an integer number of *points* (see :mod:`matcher.model.weights`). Floats never reach
the solver. The one scaling step is distance: whole metres times ``distance_per_km`` divided
by 1000, rounded half up once, at problem build (``(w·m + 500) // 1000``). With the default
10 points/km the resolution is 100 m; a warning is logged if ``distance_per_km`` is so small
that whole kilometres already round to zero.

Terms of an arc (cadre i in a post of type t in community c), signed so that they add up to
the arc cost:

- ``distance``      = round(distance_per_km · metres / 1000)                        (≥ 0)
- ``skill_fit``     = − skill_fit · |required skills of (c, t) ∩ skills of i|       (≤ 0)
- ``weak_priority`` = − ⌊weak_priority · rank(i) · (5 + missing stars of c) / 5⌋ when c is
  weak, else 0. rank(i) is 0 (科员) … 4 (正县); missing stars = 5 − stars (0 if unrated).
  A 正科 cadre in a weak 1-star community saves 100·2·9/5 = 360 points by default: stronger
  cadres go to weaker places, and the weaker the place the stronger the pull.   (≤ 0)
- ``preference``    = preference_step · position of c in i's ranked list (first choice 0);
  a community not on a non-empty list costs len(list) steps; an empty list costs 0.  (≥ 0)
- ``change``        = change when i holds a current post elsewhere or of another type.   (≥ 0)
  A cadre who holds a current post and ends up with no post at all pays ``change`` too
  (:attr:`ProblemData.cadre_drop_cost`), so re-planning never "saves" points by dropping a
  sitting cadre for a fresh one: the term counts every cadre who does not keep the post,
  once. With ``one_post_per_cadre`` off a cadre has a slot per post type; only the slot of
  the current post's type can keep or lose it, so a post of the other type costs no
  ``change`` (the cadre keeps the post and takes another), and the drop cost applies when
  the current type's slot is empty (the post was not kept).

A vacant post costs ``vacancy_full_time`` or ``vacancy_part_time`` (term ``vacancy``).

How objectives combine
----------------------
One weighted sum of the terms above, minimised. Not lexicographic levels, because a weighted
sum keeps the network part a single min-cost flow (exact in a fraction of a second) and one
number is easy to explain and compare between plans. The planners' priority order "fill posts
> strong cadres to weak communities > the rest" is obtained through weight magnitudes: the
default vacancy penalties (10⁶ / 10⁵ points) exceed any plausible arc cost (10 points/km ×
30 km = 300; weak priority ≤ 720 per post), so a post is left empty only when no eligible
cadre can fill it; :func:`dominance_warnings` names the cases where the weights given do not
guarantee this order. Hard rules are never traded against points: they are constraints.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from matcher.engine.eligibility import type_code
from matcher.model.round import Round

log = logging.getLogger(__name__)

TERMS: tuple[str, ...] = ("distance", "skill_fit", "weak_priority", "preference", "change")
"""Arc cost terms, in the order of :attr:`ArcTerms.stack`."""


@dataclass(frozen=True, slots=True)
class ArcTerms:
    """Signed integer points per arc, one array per term (they sum to the arc cost)."""

    distance: NDArray[np.int64]
    skill_fit: NDArray[np.int64]
    weak_priority: NDArray[np.int64]
    preference: NDArray[np.int64]
    change: NDArray[np.int64]

    def total(self) -> NDArray[np.int64]:
        """Arc cost: the sum of the terms (summed in place: one new array, no temporaries)."""
        out = self.distance.copy()
        for term in (self.skill_fit, self.weak_priority, self.preference, self.change):
            out += term
        return out


def _skill_words(rnd: Round) -> dict[str, int]:
    vocab: set[str] = set()
    for cad in rnd.cadres:
        vocab.update(cad.skills)
    for com in rnd.communities:
        vocab.update(com.required_skills.full_time, com.required_skills.part_time)
    return {s: i for i, s in enumerate(sorted(vocab))}


def _bitsets(sets: list[list[str]], index: dict[str, int]) -> NDArray[np.uint64]:
    """One row of 64-bit words per set (enough words for the whole vocabulary)."""
    words = max(1, (len(index) + 63) // 64)
    out = np.zeros((len(sets), words), dtype=np.uint64)
    for row, items in enumerate(sets):
        for s in items:
            k = index[s]
            out[row, k // 64] |= np.uint64(1) << np.uint64(k % 64)
    return out


def skill_overlap(
    rnd: Round,
    cadre: NDArray[np.int32],
    community: NDArray[np.int32],
    ptype: NDArray[np.int8],
) -> NDArray[np.int64]:
    """|required skills of the arc's post ∩ the cadre's skills| per arc."""
    index = _skill_words(rnd)
    have = _bitsets([c.skills for c in rnd.cadres], index)
    need_ft = _bitsets([c.required_skills.full_time for c in rnd.communities], index)
    need_pt = _bitsets([c.required_skills.part_time for c in rnd.communities], index)
    need = np.stack([need_ft, need_pt], axis=1)[community, ptype]  # one gather per arc
    common = np.bitwise_and(have[cadre], need, out=need)
    count = np.bitwise_count(common)
    del need, common
    if count.shape[1] == 1:  # one word of skills: no sum over words
        return count[:, 0].astype(np.int64)
    return np.asarray(count.sum(axis=1), dtype=np.int64)


def _preference_position(
    rnd: Round, cadre: NDArray[np.int32], community: NDArray[np.int32]
) -> NDArray[np.int64]:
    com_ix = rnd.community_index()
    n_com = max(1, len(rnd.communities))
    keys: list[int] = []
    pos: list[int] = []
    for i, cad in enumerate(rnd.cadres):
        for p, cid in enumerate(cad.preferences):
            keys.append(i * n_com + com_ix[cid])
            pos.append(p)
    length = np.array([len(c.preferences) for c in rnd.cadres], dtype=np.int64)
    out = length[cadre] if len(cadre) else np.zeros(0, dtype=np.int64)
    if keys:
        k = np.array(keys, dtype=np.int64)
        order = np.argsort(k, kind="stable")
        k, p_arr = k[order], np.array(pos, dtype=np.int64)[order]
        sub = np.nonzero(out > 0)[0]  # only cadres with a list can have a listed community
        arc_key = cadre[sub].astype(np.int64) * n_com + community[sub]
        at = np.clip(np.searchsorted(k, arc_key), 0, len(k) - 1)
        hit = k[at] == arc_key
        out[sub[hit]] = p_arr[at[hit]]
    return np.asarray(out, dtype=np.int64)


def arc_terms(
    rnd: Round,
    cadre: NDArray[np.int32],
    community: NDArray[np.int32],
    ptype: NDArray[np.int8],
    distance_m: NDArray[np.int32],
) -> ArcTerms:
    """Compute every cost term of every arc (see the module docstring for the formulas)."""
    # In-place steps throughout: a province round has millions of arcs, and each whole-arc
    # temporary is 8 bytes an arc; the peak of building the problem data is here.
    w = rnd.weights
    distance = distance_m.astype(np.int64)
    distance *= w.distance_per_km
    distance += 500
    distance //= 1000
    wants = any(c.required_skills.full_time or c.required_skills.part_time for c in rnd.communities)
    if w.skill_fit and wants:
        skill = skill_overlap(rnd, cadre, community, ptype)
        skill *= -w.skill_fit
    else:
        skill = np.zeros(len(cadre), dtype=np.int64)

    rank = np.array([int(c.rank) for c in rnd.cadres], dtype=np.int64)
    weak = np.array([c.weak for c in rnd.communities], dtype=bool)
    missing = np.array(
        [0 if c.stars is None else 5 - c.stars for c in rnd.communities], dtype=np.int64
    )
    weak_term = rank[cadre]  # ⌊weak_priority · rank · (5 + missing stars) / 5⌋, negated
    weak_term *= (5 + missing)[community]
    weak_term *= w.weak_priority
    weak_term //= 5
    weak_term[~weak[community]] = 0
    np.negative(weak_term, out=weak_term)

    pref = _preference_position(rnd, cadre, community)
    pref *= w.preference_step

    com_ix = rnd.community_index()
    cur_com = np.array(
        [com_ix[c.current_post.community] if c.current_post else -1 for c in rnd.cadres],
        dtype=np.int32,
    )
    cur_type = np.array(
        [type_code(c.current_post.post_type.value) if c.current_post else -1 for c in rnd.cadres],
        dtype=np.int8,
    )
    if (cur_com < 0).all():  # nobody holds a post: no arc moves anybody
        change = np.zeros(len(cadre), dtype=np.int64)
    else:
        arc_com = cur_com[cadre]
        had = arc_com >= 0
        if rnd.rules.one_post_per_cadre.enabled:
            moved = had & ((arc_com != community) | (cur_type[cadre] != ptype))
        else:  # the other type's slot is extra: only the current type's slot can lose the post
            moved = had & (cur_type[cadre] == ptype) & (arc_com != community)
        del arc_com, had
        change = moved.astype(np.int64)
        change *= w.change

    return ArcTerms(
        distance=distance,
        skill_fit=skill,
        weak_priority=weak_term,
        preference=pref,
        change=change,
    )


def dominance_warnings(rnd: Round, cost: NDArray[np.int64]) -> list[str]:
    """Say when vacancy penalties do not dominate the arc-cost spread (so the weighted sum may
    leave a post empty to save points elsewhere)."""
    out: list[str] = []
    w = rnd.weights
    if 0 < w.distance_per_km < 1:  # pragma: no cover - weights are integers today
        out.append("distance_per_km rounds whole kilometres to zero")
    if len(cost):
        spread = int(cost.max()) - min(0, int(cost.min()))
        for name, v in (("full-time", w.vacancy_full_time), ("part-time", w.vacancy_part_time)):
            if v <= spread:
                out.append(
                    f"vacancy penalty for {name} posts ({v}) does not exceed the arc cost spread "
                    f"({spread}): a post may be left empty to save points"
                )
    for msg in out:
        log.warning("%s", msg)
    return out


def cost_floor(rnd: Round, g_com: NDArray[np.int32], g_type: NDArray[np.int8]) -> NDArray[np.int64]:
    """Per group, a lower bound on every cadre's arc cost without distance, minus the largest
    drop cost (the LP's arc coefficient): all skills fit, the highest rank's weak pull."""
    w = rnd.weights
    n_req = np.array(
        [[len(c.required_skills.full_time), len(c.required_skills.part_time)]
         for c in rnd.communities], dtype=np.int64,
    ).reshape(len(rnd.communities), 2)  # fmt: skip
    top = max((int(c.rank) for c in rnd.cadres), default=0)
    missing = np.array([0 if c.stars is None else 5 - c.stars for c in rnd.communities], np.int64)
    weak = np.array([c.weak for c in rnd.communities], dtype=bool)
    pull = np.where(weak, (np.int64(w.weak_priority) * top * (5 + missing)) // 5, 0)
    drop = w.change if any(c.current_post for c in rnd.cadres) else 0
    if not len(g_com):
        return np.zeros(0, dtype=np.int64)
    skill = np.int64(w.skill_fit) * n_req[g_com, g_type]
    return np.asarray(-skill - pull[g_com] - drop, dtype=np.int64)
