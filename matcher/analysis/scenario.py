"""What-if scenarios: a base round plus overrides (weights, rules, settings, cadres, locks).

A scenario is a small value a planner can write down ("weak priority 300, no part-time
vacancies, C0412 withdrawn, C0107 locked to 2107020003") and apply to any base round; the result
is a new validated :class:`~matcher.model.round.Round`, so everything downstream (solve, explain,
KPIs, diff) works unchanged. Candidate pairs measured for the base are carried over by id
(:func:`carry_pairs`), so a what-if needs no new geography unless it adds cadres.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from matcher.engine.pairs import CandidatePairs
from matcher.engine.result import Result
from matcher.model.merge import merge_sections
from matcher.model.round import Cadre, Round
from matcher.model.rules import PairRef
from matcher.model.validate import Origin, validate_round


class Scenario(BaseModel):
    """Overrides applied to a base round, in this order: remove cadres, add cadres, unlock,
    lock, then patch weights, rules and settings.

    ``weights`` and ``settings`` replace single fields; ``rules`` is merged into the base rules
    (nested objects merged, lists replaced), e.g. ``{"max_distance": {"km": 12}}``.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str = Field(default="scenario", min_length=1)
    description: str = ""
    weights: dict[str, int] = Field(default_factory=dict)
    rules: dict[str, Any] = Field(default_factory=dict)
    settings: dict[str, Any] = Field(default_factory=dict)
    remove_cadres: list[str] = Field(default_factory=list)
    add_cadres: list[Cadre] = Field(default_factory=list)
    unlock: list[str] = Field(default_factory=list, description="Cadre ids whose locks go")
    locks: list[PairRef] = Field(default_factory=list)


def apply_scenario(base: Round, scenario: Scenario) -> Round:
    """The base round with the scenario's overrides; raises ``InvalidInput`` naming every
    problem (unknown weight, lock on a missing cadre, …) with the scenario as origin."""
    raw: dict[str, Any] = base.model_dump(mode="json")
    gone = set(scenario.remove_cadres)
    raw["cadres"] = [c for c in raw["cadres"] if c["id"] not in gone]
    raw["cadres"] += [c.model_dump(mode="json") for c in scenario.add_cadres]
    rules = raw["rules"]
    unlocked = gone | set(scenario.unlock) | {lk.cadre for lk in scenario.locks}
    rules["locks"] = [lk for lk in rules["locks"] if lk["cadre"] not in unlocked]
    rules["locks"] += [lk.model_dump(mode="json") for lk in scenario.locks]
    rules["forbidden_pairs"] = [p for p in rules["forbidden_pairs"] if p["cadre"] not in gone]
    raw["rules"] = merge_sections(rules, scenario.rules)
    raw["weights"] = {**raw["weights"], **scenario.weights}
    raw["settings"] = {**raw["settings"], **scenario.settings}
    if scenario.name != "scenario":
        raw["name"] = f"{base.name} · {scenario.name}"
    return validate_round(raw, Origin(f"scenario {scenario.name}"))


def carry_pairs(
    base: Round,
    pairs: CandidatePairs,
    new: Round,
    extra: CandidatePairs | None = None,
) -> CandidatePairs:
    """Re-index the base round's pairs for ``new`` by id, dropping removed cadres/communities.

    ``extra`` adds pairs already indexed for ``new`` (e.g. measured for added cadres only).
    """
    cad_map = _index_map((c.id for c in base.cadres), new.cadre_index())
    com_map = _index_map((c.id for c in base.communities), new.community_index())
    cad = cad_map[pairs.cadre] if len(pairs) else np.zeros(0, dtype=np.int64)
    com = com_map[pairs.community] if len(pairs) else np.zeros(0, dtype=np.int64)
    keep = (cad >= 0) & (com >= 0)
    parts = [(cad[keep], com[keep], pairs.distance_m[keep])]
    if extra is not None:
        parts.append((extra.cadre, extra.community, extra.distance_m))
    reach = None
    if pairs.reach_m is not None:  # truncated pairs stay truncated, community by community
        reach = np.zeros(len(new.communities))
        found = com_map >= 0
        reach[com_map[found]] = pairs.reach_m[found]
        if extra is not None:  # added cadres were measured on their own: claim nothing
            reach[:] = 0.0
    return CandidatePairs.from_arrays(
        np.concatenate([p[0] for p in parts]),
        np.concatenate([p[1] for p in parts]),
        np.concatenate([p[2] for p in parts]).astype(np.int64),
        reach,
    )


def _index_map(old_ids: Iterable[str], new_index: dict[str, int]) -> np.ndarray[Any, Any]:
    return np.array([new_index.get(i, -1) for i in old_ids], dtype=np.int64)


def from_plan(rnd: Round, result: Result) -> Round:
    """The round with every placed cadre's ``current_post`` set to its post in ``result``.

    With ``weights.change > 0`` a re-plan then moves as few sitting cadres as it can (mid-term
    replacement: fill the gaps with the fewest moves). Cadres without a post lose any current
    post they had.
    """
    posts = {a.cadre_id: a for a in result.assignments if a.cadre_id is not None}
    raw: dict[str, Any] = rnd.model_dump(mode="json")
    for cad in raw["cadres"]:
        a = posts.get(cad["id"])
        cad["current_post"] = (
            None if a is None else {"community": a.community_id, "post_type": a.post_type}
        )
    return validate_round(raw, Origin(f"plan of {rnd.name}"))


__all__ = ["Scenario", "apply_scenario", "carry_pairs", "from_plan"]
