"""A hand-made plan over tests/data/rounds/tiny.json: three filled posts and one vacancy."""

from __future__ import annotations

import json
from pathlib import Path

from matcher import Round, validate_round
from matcher.engine.result import Assignment, Result, Status

TINY = Path(__file__).parents[1] / "data" / "rounds" / "tiny.json"


def tiny_round() -> Round:
    return validate_round(json.loads(TINY.read_text(encoding="utf-8")))


def tiny_plan() -> tuple[Round, Result]:
    """GT01 fully staffed, GT02's part-time post vacant, LH01 filled."""
    posts = (
        Assignment("GT01", "full-time", 1, "C01", 300, 3),
        Assignment("GT01", "part-time", 1, "C05", 1800, 18),
        Assignment("GT02", "full-time", 1, "C03", 200, 2),
        Assignment("GT02", "part-time", 1, None, None, 100_000),
        Assignment("LH01", "full-time", 1, "C04", 150, 1),
    )
    result = Result(
        status=Status.OPTIMAL,
        objective=100_024,
        bound=100_024.0,
        gap=0.0,
        terms={},
        method="test",
        time_s=0.0,
        assignments=posts,
    )
    return tiny_round(), result
