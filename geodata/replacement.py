"""An approved plan made ready for mid-term replacements, kept by whoever replaces often (a
service worker keeps one per plan version): the parsed round and plan, and — built on the
first replacement that only takes cadres off the plan — the engine's prepared network
(:class:`matcher.lifecycle.prepared.PreparedRound`), so each later recall costs the
augmenting paths, not a rebuild."""

from __future__ import annotations

from geodata.heap import collector_paused
from geodata.pairs import candidate_pairs
from matcher.engine.result import Result
from matcher.lifecycle.adjustment import Replacement, replace
from matcher.lifecycle.events import Events, Situation, apply_events
from matcher.lifecycle.prepared import PreparedRound, pool_only
from matcher.model.round import Round
from matcher.model.settings import SolveSettings


class PreparedPlan:
    """The approved ``result`` of ``round``, ready to replace (see module docstring)."""

    def __init__(self, round: Round, result: Result) -> None:
        self.round, self.result = round, result
        self._engine: PreparedRound | None = None

    def engine(self) -> PreparedRound:
        """The plan's prepared network (built on first use: the round under the plan, its
        candidate pairs and problem, the network and its potentials)."""
        if self._engine is None:
            with collector_paused():
                base = apply_events(self.round, self.result, Events())
                self._engine = PreparedRound(base, self.result, candidate_pairs(base.round))
        return self._engine

    def replace(
        self, events: Events, settings: SolveSettings | None = None
    ) -> tuple[Situation, Replacement]:
        """The situation and replacement after ``events``: on the prepared network when the
        events only take cadres off the plan and the round's pairs allow it
        (:meth:`~matcher.lifecycle.prepared.PreparedRound.fits`), else the round after the
        events measured and decided afresh."""
        if pool_only(events) and self.round.rules.max_distance.enabled:
            with collector_paused():
                done = self.engine().replace(self.round, events, settings)
            if done is not None:
                return done
        with collector_paused():
            situation = apply_events(self.round, self.result, events)
            return situation, replace(situation, candidate_pairs(situation.round), settings)
