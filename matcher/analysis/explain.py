"""Why this cadre here, and not that one: explanations of posts, vacancies and unplaced cadres.

For a post: why its holder is there and the ``k`` best alternative cadres for it, each with
why it was not chosen: the rule that excludes it, the post it took and who would refill it,
and how it compares with the holder in the department's units (kilometres, rank title,
required skills matched, wishes, people moved: :mod:`matcher.analysis.comparison`). The
``why`` texts carry no points; the objective's view (cost terms, cost difference, move cost)
stays in the numeric fields and the ``technical`` texts, for the technical view.

Move costs come in two kinds, always labelled:

- ``estimate``: a one-step repair of the plan (the alternative takes this post; its old post is
  refilled by the displaced cadre, by the cheapest free eligible cadre, or left vacant where
  coverage allows). It is the objective change of a plan that exists, so it is an upper bound
  on the exact figure whenever the repair keeps the side constraints. Cheap: used in bulk.
- ``exact``: the round is re-solved with the alternative locked to this post and the objective
  difference reported (:meth:`Explainer.exact_move_cost`). One solve per alternative.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from typing import Any

import numpy as np

from matcher.analysis.comparison import compare, post_words, rank_words
from matcher.analysis.explain_words import Words
from matcher.engine.candidates import PlanView
from matcher.engine.pairs import CandidatePairs
from matcher.engine.problem import ProblemData, build_problem
from matcher.engine.result import FIRST_SLOT, Assignment, Result, check_slot
from matcher.engine.solve import solve
from matcher.model.io.reasons import Reasons
from matcher.model.round import Round
from matcher.model.rules import PairRef
from matcher.model.settings import SolveSettings
from matcher.model.standing import bars


@dataclass(frozen=True, slots=True)
class Alternative:
    """A cadre who could have taken the post, and why it did not.

    ``status``: ``excluded`` (a rule forbids the pair), ``locked`` (locked elsewhere by the
    planner), ``holds`` (took the post ``holds``), ``free`` (has no post). ``cost_difference``
    is its arc cost minus the holder's (vacancy cost for an empty post). ``move_cost`` is the
    objective change if it were put here (``move_cost_kind``: ``estimate`` / ``exact``).
    """

    cadre_id: str
    cost: int
    cost_difference: int
    distance_m: int
    terms: dict[str, int]
    status: str
    why: str
    excluded_by: tuple[str, ...] = ()
    holds: str | None = None
    move_cost: int | None = None
    move_cost_kind: str = ""
    name: str = ""
    title: str = ""
    technical: str = ""


@dataclass(frozen=True, slots=True)
class PostExplanation:
    """One post: who holds it (``None`` = vacant), its cost terms, the best alternatives."""

    community_id: str
    post_type: str
    slot: int
    cadre_id: str | None
    cost: int
    terms: dict[str, int]
    why: str
    alternatives: tuple[Alternative, ...] = ()
    candidates: int = 0
    eligible: int = 0
    excluded: dict[str, int] = field(default_factory=dict)
    community_name: str = ""
    cadre_name: str | None = None
    post: str = ""
    cadre_title: str | None = None
    technical: str = ""

    def to_dict(self) -> dict[str, Any]:
        """Plain dict (JSON-ready)."""
        return asdict(self)


@dataclass(frozen=True, slots=True)
class CadreExplanation:
    """Why a cadre has no post: no candidate pair, every pair excluded, or dearer than holders."""

    cadre_id: str
    why: str
    candidate_posts: int
    eligible_posts: int
    excluded: dict[str, int] = field(default_factory=dict)
    best: Alternative | None = None
    best_post: str | None = None
    name: str = ""
    title: str = ""

    def to_dict(self) -> dict[str, Any]:
        """Plain dict (JSON-ready)."""
        return asdict(self)


class Explainer:
    """Explanations of one solved plan. Build once, then ask about posts and cadres.

    ``lang`` (``en`` or ``zh``) is the language of the ``why`` texts, which name cadres and
    communities by name beside their ids (:mod:`matcher.analysis.explain_words`).
    """

    def __init__(
        self,
        rnd: Round,
        pairs: CandidatePairs,
        problem: ProblemData,
        result: Result,
        lang: str = "en",
    ):
        self.round, self.pairs, self.result = rnd, pairs, result
        self.lang, self.words = lang, Words(rnd, lang)
        self.reasons = Reasons(rnd, lang)
        self.view = PlanView(rnd, pairs, problem, result)
        self._by_group: dict[int, list[Assignment]] = {}
        self._posts = {(a.community_id, a.post_type, a.slot): a for a in result.assignments}
        for a in result.assignments:
            self._by_group.setdefault(self.view.group(a.community_id, a.post_type), []).append(a)

    def _assignment(self, community_id: str, post_type: str, slot: int) -> Assignment:
        try:
            check_slot(slot)
        except ValueError as exc:
            raise KeyError(str(exc)) from None
        a = self._posts.get((community_id, post_type, slot))
        if a is not None:
            return a
        raise KeyError(self.words.no_post(community_id, post_type, slot))

    def post(
        self,
        community_id: str,
        post_type: str,
        slot: int = FIRST_SLOT,
        *,
        k: int = 3,
        exact: bool = False,
        settings: SolveSettings | None = None,
    ) -> PostExplanation:
        """Explain one post; ``exact`` re-solves once per movable alternative (see module doc)."""
        a = self._assignment(community_id, post_type, slot)
        v, p = self.view, self.view.problem
        g = v.group(community_id, post_type)
        holders = v.holders(g)
        holder = None if a.cadre_id is None else v.cadre_index[a.cadre_id]
        alts: list[Alternative] = []
        for cand in v.candidates(g):
            if len(alts) >= k:
                break
            if int(v.cand_cadre[cand]) in holders:
                continue
            alt = self._alternative(cand, g, holder, a)
            if exact and alt.status in ("holds", "free"):
                delta = self.exact_move_cost(alt.cadre_id, community_id, post_type, settings)
                alt = self._with_move(alt, delta, "exact", a.terms)
            alts.append(alt)
        n_cand = len(v.candidates(g))
        n_elig = int((v.cand_arc[v.candidates(g).start : v.candidates(g).stop] >= 0).sum())
        excluded = {
            w: int(n) for w, n in zip(p.prune_words, p.group_pruned[g], strict=True) if int(n)
        }
        return PostExplanation(
            community_id=community_id,
            post_type=post_type,
            slot=slot,
            cadre_id=a.cadre_id,
            cost=a.cost,
            terms=dict(a.terms),
            why=self._post_why(a, alts, n_cand, n_elig),
            alternatives=tuple(alts),
            candidates=n_cand,
            eligible=n_elig,
            excluded=excluded,
            community_name=self.words.name_of_community(community_id),
            cadre_name=self.words.name_of_cadre(a.cadre_id) if a.cadre_id else None,
            post=post_words(None, post_type, self.lang, self._numbered(a)),
            cadre_title=self._title(a.cadre_id),
            technical=self.words.filled_technical(a.cost, a.terms),
        )

    def _title(self, cadre_id: str | None) -> str | None:
        cad = self.view.round.cadres[self.view.cadre_index[cadre_id]] if cadre_id else None
        return rank_words(cad, self.lang) if cad else None

    def _numbered(self, a: Assignment) -> int:
        """The post's number where the community has several of its kind (else 0)."""
        return a.slot if self._count(a.community_id, a.post_type) > 1 else 0

    def _count(self, community_id: str, post_type: str) -> int:
        return sum(
            1
            for a in self.result.assignments
            if a.community_id == community_id and a.post_type == post_type
        )

    def _post_why(self, a: Assignment, alts: list[Alternative], n_cand: int, n_elig: int) -> str:
        w = self.words
        if a.vacant:
            if n_cand == 0:
                return w.vacant_out_of_reach()
            if n_elig == 0:
                return w.vacant_all_excluded(n_cand)
            return w.vacant(a.reason)
        text = w.filled(a.cadre_id or "", self.reasons.filled(a))
        movable = [x for x in alts if x.status in ("holds", "free")]
        if movable:
            best = min(movable, key=lambda x: x.cost_difference)
            text += w.best_alternative(best.why)
        return text

    def _alternative(self, cand: int, g: int, holder: int | None, a: Assignment) -> Alternative:
        v, p, w = self.view, self.view.problem, self.words
        rnd = self.round
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
            title=rank_words(cad, self.lang),
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
            return self._with_move(alt, delta, "estimate", a.terms)
        # j holds post h: take it out, refill h the cheapest simple way.
        delta -= v.arc_cost(int(v.holder_arc[j]))
        # (extra cost, how it is refilled, arcs added, people moved, left vacant)
        refills: list[tuple[int, str, list[int], int, bool]] = []
        if holder is not None and holder not in v.locked_to:
            back = int(v.arc_of(_arr(h), _arr(holder))[0])
            if back >= 0:
                refills.append(
                    (v.arc_cost(back), w.swaps_in(p.cadre_ids[holder]), [back], 1, False)
                )
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
        return self._with_move(alt, delta, "estimate", a.terms)

    def exact_move_cost(
        self,
        cadre_id: str,
        community_id: str,
        post_type: str,
        settings: SolveSettings | None = None,
    ) -> int | None:
        """Objective change when ``cadre_id`` is locked to this post and the round re-solved
        (None when no plan keeps that lock and every other rule)."""
        rules = self.round.rules
        locks = [lk for lk in rules.locks if lk.cadre != cadre_id]
        locks.append(PairRef(cadre=cadre_id, community=community_id, post_type=post_type))  # type: ignore[arg-type]
        forced = self.round.model_copy(update={"rules": rules.model_copy(update={"locks": locks})})
        res = solve(build_problem(forced, self.pairs), settings or self.round.settings)
        if not res.is_feasible() or res.objective is None or self.result.objective is None:
            return None
        return res.objective - self.result.objective

    def unplaced(self) -> list[CadreExplanation]:
        """Why each cadre without a post has none (round order)."""
        return [self.cadre(c) for c in self.result.unplaced_cadres]

    def cadre(self, cadre_id: str) -> CadreExplanation:
        """Why a cadre without a post has none."""
        v = self.view
        j = v.cadre_index[cadre_id]
        mine = [int(k) for k in v.of_cadre(j)]
        excluded: dict[str, int] = {}
        for k in mine:
            for w in v.excluded_by(k):
                excluded[w] = excluded.get(w, 0) + 1
        eligible = [k for k in mine if v.cand_arc[k] >= 0]
        # a bar (condition, missing clearance) comes first, whatever else keeps the cadre out
        sep = self.words.t("；", "; ")
        barred = "".join(f"{b}{sep}" for b in bars(self.round, self.round.cadres[j]))
        if not mine:
            why = barred + self.words.cadre_out_of_reach()
            name, title = self.words.name_of_cadre(cadre_id), self._title(cadre_id) or ""
            return CadreExplanation(cadre_id, why, 0, 0, name=name, title=title)
        if not eligible:
            why = barred + self.words.cadre_all_excluded(excluded)
            name, title = self.words.name_of_cadre(cadre_id), self._title(cadre_id) or ""
            return CadreExplanation(cadre_id, why, len(mine), 0, excluded, name=name, title=title)
        best: tuple[int, Alternative, str] | None = None
        for k in eligible:
            g = int(v.cand_group[k])
            worst = max(self._by_group[g], key=lambda a: a.cost)  # dearest holder or a vacancy
            holder = None if worst.cadre_id is None else v.cadre_index[worst.cadre_id]
            alt = self._alternative(k, g, holder, worst)
            score = alt.move_cost if alt.move_cost is not None else alt.cost_difference
            if best is None or score < best[0]:
                best = (score, alt, v.group_label(g))
        assert best is not None
        _, alt, label = best
        # said of the cadre itself: "与现任人选相比，该社区距离增加 3.4 公里…", not "换成 它自己"
        swap = self.words.t(
            f"换成 {self.words.cadre(cadre_id)}：", f"Swap in {self.words.cadre(cadre_id)}: "
        )
        versus = self.words.t("与现任人选相比，", "against the holder, ")
        said = versus + alt.why.removeprefix(swap) if alt.why.startswith(swap) else alt.why
        why = self.words.cadre_outranked(len(eligible), label, said)
        name = self.words.name_of_cadre(cadre_id)
        title = rank_words(self.round.cadres[j], self.lang)
        return CadreExplanation(
            cadre_id, why, len(mine), len(eligible), excluded, alt, label, name=name, title=title
        )

    def _with_move(
        self, alt: Alternative, delta: int | None, kind: str, base: dict[str, int]
    ) -> Alternative:
        why = self.words.exact(alt.why, delta is not None) if kind == "exact" else alt.why
        kind = kind if delta is not None else ""
        tech = self.words.technical(alt.cost_difference, alt.terms, base, delta, kind)
        return replace(alt, move_cost=delta, move_cost_kind=kind, why=why, technical=tech)

    def plan(self, *, k: int = 3) -> list[PostExplanation]:
        """Every post explained with estimates (bulk; see module docstring)."""
        return [
            self.post(a.community_id, a.post_type, a.slot, k=k) for a in self.result.assignments
        ]


def _arr(x: int) -> np.ndarray[Any, np.dtype[np.int64]]:
    return np.array([x], dtype=np.int64)


__all__ = ["Alternative", "CadreExplanation", "Explainer", "PostExplanation"]
