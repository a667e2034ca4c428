"""An approved plan prepared once for many replacements: the round as it stands under the
plan, its problem and the plan's network with potentials (:class:`Prepared`).

A replacement whose events only take cadres off the plan (recall, promotion, withdrawal,
unsuitable with posts not to return to) changes the pool, not the round's rules or places.
When the round's candidate pairs do not depend on who else is in the pool (a distance rule:
each pair is in or out on its own distance) and no lock names a cadre who leaves, the problem
of the round after the events is this problem without the leavers' arcs and the pairs the
events forbid, so :meth:`Prepared.decide` on the prepared network decides it — the same
proven levels as building the new round's problem afresh, in milliseconds. The new round
itself is derived from the validated one (leavers dropped, their pairs and the new forbidden
pairs set), not validated again: only the new reasons are checked. Other events return None
and the caller takes the full path (:func:`matcher.lifecycle.events.apply_events`).
"""

from __future__ import annotations

import dataclasses
import time

import numpy as np
from numpy.typing import NDArray

from matcher.engine.assignments import build_assignments, objective_terms, unplaced
from matcher.engine.pairs import CandidatePairs
from matcher.engine.problem import ProblemData, build_problem
from matcher.engine.result import Result
from matcher.lifecycle.adjustment import (
    Replacement,
    _no_move_note,
    no_plan,
    orig_groups,
    with_plan_posts,
)
from matcher.lifecycle.events import Departure, Events, Situation, check_events, plan_posts
from matcher.lifecycle.no_moves import no_move_vacancies
from matcher.lifecycle.replace import Core, Prepared
from matcher.lifecycle.report import describe_changes
from matcher.lifecycle.terms import Outcome
from matcher.model.round import Round
from matcher.model.rules import PairRef
from matcher.model.settings import SolveSettings
from matcher.model.text import forbidden_text


def relaxed(rnd: Round) -> Round:
    """The round with vacancies allowed (a replacement counts them as its first level)."""
    cov = rnd.rules.coverage.model_copy(update={"allow_vacancies": True})
    return rnd.model_copy(update={"rules": rnd.rules.model_copy(update={"coverage": cov})})


def pool_only(events: Events) -> bool:
    """True when the events only take cadres off the plan (no new cadres or communities, no
    community closed or merged, no new rules)."""
    return not (
        events.add_cadres
        or events.add_communities
        or events.close_communities
        or events.merge
        or events.rules is not None
    )


class PreparedRound:
    """The approved plan ``result`` of ``base`` — the round under the plan (every placed
    cadre holds its post as current post: ``apply_events`` with no events) — with its
    problem over ``pairs`` (the candidate pairs of ``base``) and prepared network."""

    def __init__(self, base: Situation, result: Result, pairs: CandidatePairs) -> None:
        self.base, self.result = base, result
        self.posts = plan_posts(result)
        self.problem = build_problem(relaxed(base.round), pairs)
        self.orig = orig_groups(self.problem, base.sitting)
        self.prepared = Prepared(self.problem, self.orig)
        self.cadre_index = {c: i for i, c in enumerate(self.problem.cadre_ids)}
        self.community_index = {c: i for i, c in enumerate(self.problem.community_ids)}
        self.pairs_fixed = base.round.rules.max_distance.enabled

    def fits(self, events: Events) -> bool:
        """True when :meth:`replace` decides these events exactly (module docstring)."""
        if not (self.pairs_fixed and pool_only(events)):
            return False
        named = set(events.leaving()) | {u.cadre for u in events.unsuitable}
        return not any(lock.cadre in named for lock in self.base.round.rules.locks)

    def replace(
        self, rnd: Round, events: Events, settings: SolveSettings | None = None
    ) -> tuple[Situation, Replacement] | None:
        """The replacement after ``events`` on the approved plan of ``rnd`` (the round as
        stored), or None when the events do not fit (see :meth:`fits`) or a reason holds
        text a round may not (the full path reports it)."""
        if not self.fits(events):
            return None
        check_events(rnd, self.result, events)
        situation = self._situation(rnd, events)
        if situation is None:
            return None
        settings = settings or situation.round.settings
        leaving = set(events.leaving())
        leave = sorted(self.cadre_index[c] for c in leaving)
        forbid = [
            (self.cadre_index[f.cadre], self.community_index[f.community])
            for f in situation.round.rules.forbidden_pairs[len(self._kept_pairs(leaving)) :]
        ]
        core = self.prepared.decide(leave=leave, forbid=forbid, settings=settings)
        p = self.problem
        gone = np.zeros(len(p.cadre_ids), dtype=bool)
        gone[leave] = True
        orig = self.orig.copy()
        orig[leave] = -1
        # the new round has no leavers: they neither hold a post nor pay for leaving one
        after = dataclasses.replace(
            p,
            cadre_drop_cost=np.where(gone, 0, p.cadre_drop_cost),
            cadre_current_type=np.where(gone, -1, p.cadre_current_type).astype(
                p.cadre_current_type.dtype
            ),
        )
        mask = np.ones(p.n_arcs, dtype=bool)
        mask[gone[p.arc_cadre]] = False
        mask[self.prepared.net.arc_src[self.prepared.closed_arcs(forbid)]] = False
        held = orig.copy()  # a cadre barred from the post held stays no more (−2: forced)
        for cad, com in forbid:
            if held[cad] >= 0 and p.group_community[held[cad]] == com:
                held[cad] = -2
        no_move = _no_moves(core, after, held, mask, settings)
        notes = [n for n in (_no_move_note(core, no_move), *situation.notes, *core.notes) if n]
        if core.solution is None:
            return situation, no_plan(core, situation.round, no_move, settings, notes)
        sol = core.solution
        obj = sol.cost(after)
        optimal = core.status.value == "optimal"
        result = Result(
            status=core.status,
            objective=obj,
            bound=float(obj) if optimal else None,
            gap=0.0 if optimal else None,
            terms=objective_terms(after, sol),
            method=core.method,
            time_s=core.time_s,
            assignments=build_assignments(after, sol),
            unplaced_cadres=tuple(c for c in unplaced(after, sol) if c not in leaving),
            seed=settings.seed,
            notes=tuple(notes),
        )
        names = {c.id: c.name for c in rnd.cadres}
        changes = describe_changes(
            after, orig, sol, situation.departures, situation.forced, situation.origin, names
        )
        rep = Replacement(
            core.status,
            core.method,
            core.levels,
            result,
            with_plan_posts(situation.round, result),
            changes,
            no_move,
            core.forced,
            core.paths,
            tuple(notes),
            core.time_s,
        )
        return situation, rep

    def _kept_pairs(self, leaving: set[str]) -> list[PairRef]:
        return [f for f in self.base.round.rules.forbidden_pairs if f.cadre not in leaving]

    def _situation(self, rnd: Round, ev: Events) -> Situation | None:
        """What :func:`~matcher.lifecycle.events.apply_events` makes of pool-only events,
        derived from the prepared round instead of validating a new one (None: a new
        reason holds forbidden text)."""
        leaving = ev.leaving()
        names = {c.id: c.name for c in rnd.cadres}
        departures: list[Departure] = []
        for cid, outcome in leaving.items():
            held = self.posts.get(cid)
            com, typ = held if held is not None else (None, None)
            why = ev.reasons.get(cid, "") or outcome.zh
            departures.append(Departure(cid, com, typ, outcome, why, names.get(cid, "")))
        forced: dict[str, str] = {}
        new_pairs: list[dict[str, str]] = []
        for u in ev.unsuitable:
            why = u.reason or ev.reasons.get(u.cadre, "") or Outcome.UNSUITABLE.zh
            forced[u.cadre] = (
                f"{Outcome.UNSUITABLE.zh}：{why}" if why != Outcome.UNSUITABLE.zh else why
            )
            com, typ = self.posts[u.cadre]
            departures.append(
                Departure(u.cadre, com, typ, Outcome.UNSUITABLE, why, names.get(u.cadre, ""))
            )
            for c in dict.fromkeys([com, *u.not_back_to]):
                new_pairs.append({"cadre": u.cadre, "community": c, "reason": forced[u.cadre]})
        if any(True for _ in forbidden_text(new_pairs)):
            return None
        r0 = self.base.round
        rules = r0.rules.model_copy(
            update={
                "forbidden_pairs": self._kept_pairs(set(leaving))
                + [PairRef.model_validate(f) for f in new_pairs]
            }
        )
        cadres = [c for c in r0.cadres if c.id not in leaving]
        new = r0.model_copy(update={"cadres": cadres, "rules": rules})
        sitting = {c: p for c, p in self.base.sitting.items() if c not in leaving}
        origin = {c: p for c, p in self.posts.items() if c not in leaving}
        return Situation(new, sitting, tuple(departures), forced, origin, ())


def _no_moves(
    core: Core,
    problem: ProblemData,
    orig: NDArray[np.int64],
    mask: NDArray[np.bool_],
    settings: SolveSettings,
) -> int | None:
    """As :func:`matcher.lifecycle.adjustment._no_move_vacancies`, with the leavers' and the
    forbidden pairs' arcs masked out of the prepared problem."""
    if len(core.levels) < 2:
        return None
    if core.levels[1].value - core.forced <= 0:
        return core.levels[0].value
    deadline = time.perf_counter() + settings.time_limit_s
    return no_move_vacancies(problem, orig, mask, settings, deadline)
