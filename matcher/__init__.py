"""Cadre-to-community matcher: the round data model and the exact assignment engine.

This package sees plain validated data and integer arrays only; it never imports geopandas,
shapely or fastapi (geography lives in :mod:`geodata`, HTTP in :mod:`service`).
"""

from matcher.engine.problem import ProblemData, build_problem
from matcher.engine.result import Assignment, Conflict, Result, Status
from matcher.engine.solve import solve
from matcher.model.problems import InputProblem, InvalidInput
from matcher.model.ranks import Rank, parse_rank
from matcher.model.round import (
    Availability,
    Cadre,
    Community,
    CoordSystem,
    District,
    Level,
    Location,
    PostType,
    Round,
)
from matcher.model.rules import Rules
from matcher.model.settings import SolveSettings
from matcher.model.validate import Origin, validate_round
from matcher.model.weights import Weights

__all__ = [
    "Assignment",
    "Availability",
    "Cadre",
    "Community",
    "Conflict",
    "CoordSystem",
    "District",
    "InputProblem",
    "InvalidInput",
    "Level",
    "Location",
    "Origin",
    "PostType",
    "ProblemData",
    "Rank",
    "Result",
    "Round",
    "Rules",
    "SolveSettings",
    "Status",
    "Weights",
    "build_problem",
    "parse_rank",
    "solve",
    "validate_round",
]
