"""Cadre-to-community matcher: the round data model and the exact assignment engine.

This package sees plain validated data and integer arrays only; it never imports geopandas,
shapely or fastapi (geography lives in :mod:`geodata`, HTTP in :mod:`service`).
"""

from matcher.problems import InputProblem, InvalidInput
from matcher.ranks import Rank, parse_rank
from matcher.round import (
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
from matcher.rules import Rules
from matcher.settings import SolveSettings
from matcher.validate import Origin, validate_round
from matcher.weights import Weights

__all__ = [
    "Availability",
    "Cadre",
    "Community",
    "CoordSystem",
    "District",
    "InputProblem",
    "InvalidInput",
    "Level",
    "Location",
    "Origin",
    "PostType",
    "Rank",
    "Round",
    "Rules",
    "SolveSettings",
    "Weights",
    "parse_rank",
    "validate_round",
]
