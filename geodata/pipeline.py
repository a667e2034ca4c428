"""Round → candidate pairs → problem → result: the one path every front end takes.

The CLI, the service, the notebooks and the sweeps all call :func:`run_round`, so a plan made
anywhere is made the same way. Data flows one way: geography measures the pairs once, the
engine sees only the arrays, and the result goes back out with the round it answers.
"""

from __future__ import annotations

import dataclasses
import time
from dataclasses import dataclass

from pydantic import BaseModel

from geodata.geometry import RoundGeometry
from geodata.heap import collector_paused
from geodata.pairs import candidate_pairs
from geodata.truncation import widen
from matcher.engine.clash_core import UNTESTABLE, round_without, rules_in_force
from matcher.engine.completion import complete
from matcher.engine.network_duals import SplitPrices
from matcher.engine.pairs import CandidatePairs
from matcher.engine.problem import ProblemData, build_problem
from matcher.engine.progress import Progress, ProgressCallback, StopCheck, no_progress
from matcher.engine.result import Result, Status
from matcher.engine.solve import solve
from matcher.lifecycle.adjustment import Replacement
from matcher.lifecycle.events import Events, Situation
from matcher.model.round import Round
from matcher.model.settings import SolveSettings
from matcher.practices.outcome import Outcome


@dataclass(frozen=True)
class Plan:
    """A solved round: the round, the pairs measured for it, the engine's problem, the result."""

    round: Round
    pairs: CandidatePairs
    problem: ProblemData
    result: Result


def run_round(
    round: Round,
    *,
    pairs: CandidatePairs | None = None,
    progress: ProgressCallback | None = None,
    should_stop: StopCheck | None = None,
) -> Plan:
    """Solve a validated round with its own settings.

    Parameters
    ----------
    round:
        A validated round (see :func:`matcher.model.validate.validate_round`).
    pairs:
        Candidate pairs measured earlier for the same communities and cadres (what-if runs
        reuse them); measured from the round's coordinates when omitted. Pairs that left
        some out (no distance rule, a big round) are widened until the plan is proven over
        all pairs (:mod:`matcher.engine.completion`), within the round's time limit.
        The time limit counts from here: measuring, building, solving and the proof.
    progress, should_stop:
        Progress reports and cooperative cancellation (see :mod:`matcher.engine.progress`).
    """
    started = time.perf_counter()
    settings = round.settings
    report = progress or no_progress

    def left() -> float:
        return settings.time_limit_s - (time.perf_counter() - started)

    def late() -> bool:  # the round's limit, or the caller's (a service job's deadline)
        return left() <= 0 or (should_stop is not None and should_stop())

    with collector_paused():
        geometry: RoundGeometry | None = None  # the round's points, converted once if needed
        if pairs is None:
            report(Progress("pairs", 0.0, "measuring distances"))
            geometry = RoundGeometry.of_round(round)
            pairs = candidate_pairs(round, geometry=geometry, stop=late)
        same: tuple[ProblemData, Result, SplitPrices | None] | None = None
        while True:
            if same is None:
                report(Progress("build", 0.05, f"{len(pairs)} candidate pairs"))
                problem = build_problem(round, pairs)
                now = settings.model_copy(update={"time_limit_s": max(0.01, left())})
                solved = solve(
                    problem, now, progress=progress, should_stop=should_stop, over_candidates=True
                )
                result, prices = solved, None
                if pairs.complete:
                    break
            else:  # the widening found no allowed cadre: same plan, same prices, longer reach
                problem, solved, prices = same
            done = complete(problem, solved, now, 0.0 if late() else left(), prices=prices)
            result = done.result
            stop = should_stop is not None and should_stop()
            done_widen = done.widen_m
            if done_widen is None or left() <= 0 or stop:
                break
            report(Progress("pairs", 0.05, "widening the candidate pairs for the proof"))
            geometry = geometry or RoundGeometry.of_round(round)
            wider = widen(round, pairs, done_widen, geometry)
            same = None
            if len(wider) == len(pairs):
                longer = dataclasses.replace(problem, pairs_reach_m=wider.reach_m)
                same = longer, solved, done.prices
            else:  # the next problem is built without the old one alive
                del problem, result, solved, done
            pairs = wider
        result = _distance_tested(round, result)
    return Plan(round=round, pairs=pairs, problem=problem, result=result)


def _distance_tested(round: Round, result: Result) -> Result:
    """Test the one rule the engine cannot relax (it holds no pairs beyond the radius): when
    the only conflict names ``max_distance``, the round with just the conflict's other rules
    in force and no distance rule is solved; if that is proven infeasible, the distance rule
    is a bystander and no longer named (the rest stays an irreducible clash)."""
    if result.status is not Status.INFEASIBLE or len(result.conflicts) != 1:
        return result
    (conflict,) = result.conflicts
    if UNTESTABLE not in conflict.rules:
        return result
    others = [r for r in conflict.rules if r != UNTESTABLE]
    trial = round_without(round, rules_in_force(round) - set(others))
    if run_round(trial).result.status is not Status.INFEASIBLE:
        return result
    return dataclasses.replace(
        result, conflicts=(dataclasses.replace(conflict, rules=tuple(others)),)
    )


def run_replacement(
    round: Round, result: Result, events: Events, settings: SolveSettings | None = None
) -> tuple[Situation, Replacement]:
    """Apply events to an approved plan and decide the replacement with fewest moves.

    The round after the events is measured afresh (new cadres, new communities); the
    replacement keeps every hard rule and is proven level by level
    (:mod:`matcher.lifecycle.adjustment`). Events that only take cadres off the plan are
    decided on the plan's prepared network (:class:`geodata.replacement.PreparedPlan`; keep
    one to replace the same plan again without rebuilding it)."""
    from geodata.replacement import PreparedPlan

    return PreparedPlan(round, result).replace(events, settings)


def run_practice(model: BaseModel, *, mode: str | None = None) -> Outcome:
    """Solve a practice round (mentors, exchange, committees): geography measures it once,
    the practice engine sees the arrays (:mod:`matcher.practices`)."""
    from geodata.practices import committee_problem, exchange_problem, mentor_problem
    from matcher.practices.committees import solve_committees
    from matcher.practices.exchange import solve_exchange
    from matcher.practices.mentoring import solve_mentoring
    from matcher.practices.models import CommitteeRound, ExchangeRound, MentorRound

    if isinstance(model, MentorRound):
        return solve_mentoring(mentor_problem(model))
    if isinstance(model, ExchangeRound):
        return solve_exchange(exchange_problem(model), mode or model.mode)
    if isinstance(model, CommitteeRound):
        return solve_committees(committee_problem(model))
    raise TypeError(f"not a practice round: {type(model).__name__}")
