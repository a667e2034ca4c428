"""Seed scenarios: rounds generated from the seed reports, laid out in real district polygons.

``generate(name, seed)`` returns a validated :class:`matcher.model.round.Round` that is feasible by
construction; the same name and seed always give the same round. :data:`SCENARIOS` lists the
names with the seed number of their report and a one-line description (used by
``matcher generate``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from geodata.scenarios import datong, huangshi, jinzhou, province, shizhong
from matcher.model.round import Round


@dataclass(frozen=True)
class Scenario:
    """A named scenario: its generator, the seed of its report, and what it reproduces."""

    name: str
    make: Callable[[int], Round]
    default_seed: int
    description: str


SCENARIOS: dict[str, Scenario] = {
    s.name: s
    for s in (
        Scenario("jinzhou", jinzhou.generate, 0, "Jinzhou 2022: 247 communities, 1+2 posts"),
        Scenario("huangshi", huangshi.generate, 1, "Huangshi 2021: 110 urban, city leaders"),
        Scenario("shizhong", shizhong.generate, 2, "Jinan Shizhong 2023: 6 exchange pairs"),
        Scenario("datong", datong.generate, 3, "Datong 2024: 1,381 compounds, 78 % full-time"),
        Scenario("province", province.generate, 4, "Liaoning, 14 cities, 10,000 communities"),
    )
}


def generate(name: str, seed: int) -> Round:
    """Generate scenario ``name`` with ``seed``; raise ValueError naming the known ones."""
    scenario = SCENARIOS.get(name.strip().lower())
    if scenario is None:
        raise ValueError(f"unknown scenario {name!r}; expected one of {', '.join(SCENARIOS)}")
    if seed < 0:
        raise ValueError(f"seed must be a non-negative integer, got {seed}")
    return scenario.make(seed)
