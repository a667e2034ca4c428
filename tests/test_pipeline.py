"""The one path from a validated round to a plan: pairs measured, problem built, solved."""

from __future__ import annotations

import json
from pathlib import Path

from geodata.pipeline import run_round
from matcher.engine.pairs import CandidatePairs
from matcher.model.round import Round
from matcher.model.validate import validate_round

TINY = Path(__file__).parent / "data" / "rounds" / "tiny.json"


def tiny() -> Round:
    return validate_round(json.loads(TINY.read_text(encoding="utf-8")))


def test_tiny_round_solves_to_proven_optimum() -> None:
    """The hand-checkable round is solved optimally with every post filled."""
    plan = run_round(tiny())
    assert plan.result.is_optimal() and plan.result.gap == 0
    assert len(plan.result.assignments) == 5
    assert not plan.result.vacancies
    # The disqualified cadre C06 is never posted.
    assert "C06" not in {a.cadre_id for a in plan.result.assignments}


def test_given_pairs_are_used_as_is() -> None:
    """Pairs passed in are not re-measured: with no pairs, every post is a conflict."""
    rnd = tiny()
    empty = CandidatePairs.from_arrays([], [], [])
    plan = run_round(rnd, pairs=empty)
    assert plan.pairs is empty
    assert not plan.result.is_feasible()
    assert plan.result.conflicts


def test_same_round_same_plan() -> None:
    """Determinism: two runs give byte-identical canonical results."""
    a = run_round(tiny()).result.canonical_dict()
    b = run_round(tiny()).result.canonical_dict()
    assert json.dumps(a, ensure_ascii=False) == json.dumps(b, ensure_ascii=False)
