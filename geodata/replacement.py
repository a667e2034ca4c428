"""An approved plan made ready for mid-term replacements, kept by whoever replaces often (a
service worker keeps one per plan version): the parsed round and plan, and — built on the
first replacement that only takes cadres off the plan — the engine's prepared network
(:class:`matcher.lifecycle.prepared.PreparedRound`), so each later recall costs the
augmenting paths, not a rebuild."""

from __future__ import annotations

from matcher.engine.result import Result
from matcher.lifecycle.adjustment import Replacement
from matcher.lifecycle.events import Events
from matcher.model.round import Round
from matcher.model.settings import SolveSettings


class PreparedPlan:
    """The approved ``result`` of ``round``, ready to replace (see module docstring)."""

    def __init__(self, round: Round, result: Result) -> None:
        self.round, self.result = round, result

    def replace(self, events: Events, settings: SolveSettings | None = None) -> Replacement:
        """The replacement after ``events`` (as :func:`geodata.pipeline.run_replacement`)."""
        from geodata.pipeline import run_replacement

        return run_replacement(self.round, self.result, events, settings)[1]
