"""Shared helpers for the what-if tests: the tiny round solved over all pairs, and variants."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from matcher import Round, validate_round
from matcher.engine.pairs import CandidatePairs
from matcher.engine.problem import ProblemData, build_problem
from matcher.engine.result import Result
from matcher.engine.solve import solve
from tests.matcher.engine_fixtures import all_pairs, load_raw


@dataclass(frozen=True)
class Solved:
    """A round solved over all pairs (what geodata.pipeline.run_round gives, without geodata)."""

    round: Round
    pairs: CandidatePairs
    problem: ProblemData
    result: Result


def solve_round(rnd: Round, pairs: CandidatePairs | None = None) -> Solved:
    """Build and solve a round over the given pairs (all pairs by default)."""
    pairs = all_pairs(rnd) if pairs is None else pairs
    problem = build_problem(rnd, pairs)
    return Solved(rnd, pairs, problem, solve(problem, rnd.settings))


def tiny_raw() -> dict[str, Any]:
    """Raw JSON of tests/data/rounds/tiny.json."""
    return load_raw("tiny.json")


def tiny() -> Solved:
    """The tiny round solved: GT01 FT C03, GT01 PT C05, GT02 FT C01, GT02 PT C02, LH01 FT C04."""
    return solve_round(validate_round(tiny_raw()))
