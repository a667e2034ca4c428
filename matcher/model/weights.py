"""Soft weights: what the engine trades off among plans that keep every hard rule.

All weights are integer *points* of cost; the engine minimises total points. Units:

- ``distance_per_km``: points per kilometre between a cadre's home and the post
  (distances are measured in whole metres and scaled once, at problem build).
- ``skill_fit``: points saved per required skill of the post the cadre has.
- ``weak_priority``: points saved per rank step (科员 = 0 … 正县 = 4) of a cadre placed in a weak
  community, plus per missing star below 5: stronger cadres go to weaker places.
- ``preference_step``: points per position down a cadre's ranked preference list
  (first choice costs 0; a community not on a non-empty list costs ``len`` steps).
- ``change``: points for moving a cadre away from the current post (re-planning).
- ``vacancy_full_time`` / ``vacancy_part_time``: points for an empty post when vacancies are
  allowed; far above any assignment cost so a post is left empty only when it must be.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class Weights(BaseModel):
    """Soft weights in integer points (see module docstring for units)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    distance_per_km: int = Field(default=10, ge=0, le=10_000)
    skill_fit: int = Field(default=50, ge=0, le=100_000)
    weak_priority: int = Field(default=100, ge=0, le=100_000)
    preference_step: int = Field(default=20, ge=0, le=100_000)
    change: int = Field(default=0, ge=0, le=1_000_000)
    vacancy_full_time: int = Field(default=1_000_000, ge=0, le=1_000_000_000)
    vacancy_part_time: int = Field(default=100_000, ge=0, le=1_000_000_000)
