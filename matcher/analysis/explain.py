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

The records are in :mod:`matcher.analysis.explain_records`, one alternative and its repair in
:mod:`matcher.analysis.explain_alternative`, an unplaced cadre in
:mod:`matcher.analysis.explain_cadre`, the words in :mod:`matcher.analysis.explain_words`.
"""

from __future__ import annotations

from matcher.analysis.comparison import post_words, rank_words
from matcher.analysis.explain_alternative import alternative, with_move
from matcher.analysis.explain_cadre import explain_cadre
from matcher.analysis.explain_records import Alternative, CadreExplanation, PostExplanation
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
        self.by_group: dict[int, list[Assignment]] = {}
        self._posts = {(a.community_id, a.post_type, a.slot): a for a in result.assignments}
        for a in result.assignments:
            self.by_group.setdefault(self.view.group(a.community_id, a.post_type), []).append(a)

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
            cadre_title=self.title(a.cadre_id),
            technical=self.words.filled_technical(a.cost, a.terms),
        )

    def title(self, cadre_id: str | None) -> str | None:
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
        return alternative(self.view, self.words, self.lang, cand, g, holder, a)

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
        """Why a cadre without a post has none (:mod:`matcher.analysis.explain_cadre`)."""
        return explain_cadre(self, cadre_id)

    def _with_move(
        self, alt: Alternative, delta: int | None, kind: str, base: dict[str, int]
    ) -> Alternative:
        return with_move(self.words, alt, delta, kind, base)

    def plan(self, *, k: int = 3) -> list[PostExplanation]:
        """Every post explained with estimates (bulk; see module docstring)."""
        return [
            self.post(a.community_id, a.post_type, a.slot, k=k) for a in self.result.assignments
        ]


__all__ = ["Alternative", "CadreExplanation", "Explainer", "PostExplanation"]
