"""Solve settings: limits and seeds, stated explicitly so a plan can be reproduced."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class SolveSettings(BaseModel):
    """How hard and how long the engine works on a round."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    time_limit_s: float = Field(default=60.0, gt=0, le=86_400)
    relative_gap: float = Field(default=1e-4, ge=0, le=1)
    seed: int = Field(default=0, ge=0, le=2**31 - 1)
    threads: int = Field(default=1, ge=1, le=64)
    method: Literal["auto", "flow", "mip", "cpsat"] = "auto"
