"""The chain round (tests/data/lifecycle/chain.json) and its approved plan A=K1, B=K2, C=K3."""

from __future__ import annotations

from pathlib import Path

from matcher.engine.problem import build_problem
from matcher.engine.result import Result
from matcher.engine.solve import solve
from matcher.lifecycle.adjustment import Replacement, replace
from matcher.lifecycle.events import Events, Situation, apply_events
from matcher.model.io import read_round
from matcher.model.round import Round
from tests.matcher.engine_fixtures import all_pairs

DATA = Path(__file__).resolve().parents[2] / "data" / "lifecycle"
PLAN = {"K1": "A", "K2": "B", "K3": "C"}


def chain_round() -> Round:
    """The round as written."""
    return read_round(DATA / "chain.json")


def approved_plan(rnd: Round) -> Result:
    """The approved plan, fixed by locks so the tests know it by heart."""
    rules = rnd.rules.model_dump(mode="json")
    rules["locks"] = [{"cadre": c, "community": m} for c, m in PLAN.items()]
    locked = rnd.model_copy(update={"rules": type(rnd.rules).model_validate(rules)})
    result = solve(build_problem(locked, all_pairs(locked)), locked.settings)
    assert {a.cadre_id: a.community_id for a in result.assignments} == PLAN
    return result


def run(events: Events) -> tuple[Situation, Replacement]:
    """Apply events to the approved chain plan and decide the replacement."""
    rnd = chain_round()
    situation = apply_events(rnd, approved_plan(rnd), events)
    return situation, replace(situation, all_pairs(situation.round))
