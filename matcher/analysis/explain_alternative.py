"""One alternative cadre for a post, and why it is not there: a rule excludes the pair, the
planner locked the cadre elsewhere, it is free but dearer (or would break a rule), or it holds
another post that would have to be refilled. The move cost is the ``estimate`` of the cheapest
one-step repair (swap back, the best free cadre, or a vacancy where coverage allows); see
:mod:`matcher.analysis.explain`."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np

from matcher.analysis.comparison import compare, rank_words
from matcher.analysis.explain_records import Alternative
from matcher.analysis.explain_words import Words
from matcher.engine.candidates import PlanView
from matcher.engine.result import Assignment


def alternative(
    view: PlanView, words: Words, lang: str, cand: int, g: int, holder: int | None, a: Assignment
) -> Alternative:
    """Candidate ``cand`` of group ``g`` set against the post's assignment ``a`` (held by
    ``holder``, a cadre index, or vacant): why it is not there, and the estimated move cost
    of the one-step repair that would put it there."""
    v, p, w = view, view.problem, words
    rnd = view.round
    j = int(v.cand_cadre[cand])
    cost, terms = int(v.cand_cost[cand]), v.terms(cand)
    diff = cost - a.cost
    cad = rnd.cadres[j]
    common = Alternative(
        p.cadre_ids[j],
        cost,
        diff,
        int(v.cand_distance_m[cand]),
        terms,
        status="",
        why="",
        name=cad.name,
        title=rank_words(cad, lang),
        technical=w.technical(diff, terms, a.terms, None, ""),
    )
    community = rnd.communities[rnd.community_index()[a.community_id]]

    def measured(moves: int = 0, left_vacant: bool = False) -> Any:
        held = rnd.cadres[holder] if holder is not None else None
        return compare(
            cad,
            held,
            community,
            a.post_type,
            common.distance_m,
            a.distance_m,
            moves=moves,
            left_vacant=left_vacant,
        )

    rules = v.excluded_by(cand)
    if rules:
        why = w.excluded(rules)
        return replace(common, status="excluded", why=why, excluded_by=rules)
    com = p.group_community[g]
    if j in v.locked_to and v.locked_to[j] != com:
        where = p.community_ids[v.locked_to[j]]
        return replace(common, status="locked", why=w.locked_elsewhere(where))
    arc = int(v.cand_arc[cand])
    h = int(v.holder_group[j])
    removed, added = [arc_ for arc_ in [int(v.holder_arc[j])] if h >= 0], [arc]
    delta = diff
    drop = p.cadre_drop_cost
    if holder is not None:
        removed.append(int(v.holder_arc[holder]))
    if h < 0:
        delta += -int(drop[j]) + (int(drop[holder]) if holder is not None else 0)
        broken = v.broken_rows(removed, added)
        if diff >= 0:
            why = w.free(measured(), "dearer")
        elif holder is not None and holder in v.locked_to:
            why = w.free(measured(), "holder_locked")
        elif broken:
            why = w.free(measured(), "would_break", broken)
        else:
            why = w.free(measured(), "cheaper")
        alt = replace(common, status="free", why=why, move_cost=delta)
        return with_move(w, alt, delta, "estimate", a.terms)
    # j holds post h: take it out, refill h the cheapest simple way.
    delta -= v.arc_cost(int(v.holder_arc[j]))
    # (extra cost, how it is refilled, arcs added, people moved, left vacant)
    refills: list[tuple[int, str, list[int], int, bool]] = []
    if holder is not None and holder not in v.locked_to:
        back = int(v.arc_of(_arr(h), _arr(holder))[0])
        if back >= 0:
            refills.append((v.arc_cost(back), w.swaps_in(p.cadre_ids[holder]), [back], 1, False))
    free = v.best_free(h, {j})
    if free is not None:
        i2, arc2 = free
        extra = v.arc_cost(arc2) - int(drop[i2])
        if holder is not None:
            extra += int(drop[holder])
        refills.append((extra, w.fills_it(p.cadre_ids[i2]), [arc2], 1, False))
    if v.vacancy_allowed(h, int(v.filled[h]) - 1):
        extra = int(p.group_vacancy_cost[h]) + (int(drop[holder]) if holder is not None else 0)
        refills.append((extra, w.stays_vacant(), [], 0, True))
    label = v.group_label(h)
    if not refills:
        why = w.holds_irreplaceable(label)
        return replace(common, status="holds", why=why, holds=label)
    extra, how, arcs2, moves, vacated = min(refills, key=lambda r: r[0])
    delta += extra
    broken = v.broken_rows(removed, added + arcs2)
    why = w.holds_move(measured(moves, vacated), label, how, broken)
    alt = replace(common, status="holds", why=why, holds=label)
    return with_move(w, alt, delta, "estimate", a.terms)


def with_move(
    words: Words, alt: Alternative, delta: int | None, kind: str, base: dict[str, int]
) -> Alternative:
    """``alt`` with its move cost ``delta`` of ``kind`` (``estimate``/``exact``) said in
    its why (exact only) and its technical text (``base``: the holder's cost terms)."""
    why = words.exact(alt.why, delta is not None) if kind == "exact" else alt.why
    kind = kind if delta is not None else ""
    tech = words.technical(alt.cost_difference, alt.terms, base, delta, kind)
    return replace(alt, move_cost=delta, move_cost_kind=kind, why=why, technical=tech)


def _arr(x: int) -> np.ndarray[Any, np.dtype[np.int64]]:
    return np.array([x], dtype=np.int64)


__all__ = ["alternative", "with_move"]
