"""What an explanation holds: a post with its best alternatives, an alternative cadre, and a
cadre without a post (:class:`matcher.analysis.explain.Explainer` makes them). Plain frozen
records; ``to_dict`` gives the JSON the CLI and the service print."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class Alternative:
    """A cadre who could have taken the post, and why it did not.

    ``status``: ``excluded`` (a rule forbids the pair), ``locked`` (locked elsewhere by the
    planner), ``holds`` (took the post ``holds``), ``free`` (has no post). ``cost_difference``
    is its arc cost minus the holder's (vacancy cost for an empty post). ``move_cost`` is the
    objective change if it were put here (``move_cost_kind``: ``estimate`` / ``exact``).
    """

    cadre_id: str
    cost: int
    cost_difference: int
    distance_m: int
    terms: dict[str, int]
    status: str
    why: str
    excluded_by: tuple[str, ...] = ()
    holds: str | None = None
    move_cost: int | None = None
    move_cost_kind: str = ""
    name: str = ""
    title: str = ""
    technical: str = ""


@dataclass(frozen=True, slots=True)
class PostExplanation:
    """One post: who holds it (``None`` = vacant), its cost terms, the best alternatives."""

    community_id: str
    post_type: str
    slot: int
    cadre_id: str | None
    cost: int
    terms: dict[str, int]
    why: str
    alternatives: tuple[Alternative, ...] = ()
    candidates: int = 0
    eligible: int = 0
    excluded: dict[str, int] = field(default_factory=dict)
    community_name: str = ""
    cadre_name: str | None = None
    post: str = ""
    cadre_title: str | None = None
    technical: str = ""

    def to_dict(self) -> dict[str, Any]:
        """Plain dict (JSON-ready)."""
        return asdict(self)


@dataclass(frozen=True, slots=True)
class CadreExplanation:
    """Why a cadre has no post: no candidate pair, every pair excluded, or dearer than holders."""

    cadre_id: str
    why: str
    candidate_posts: int
    eligible_posts: int
    excluded: dict[str, int] = field(default_factory=dict)
    best: Alternative | None = None
    best_post: str | None = None
    name: str = ""
    title: str = ""

    def to_dict(self) -> dict[str, Any]:
        """Plain dict (JSON-ready)."""
        return asdict(self)


__all__ = ["Alternative", "CadreExplanation", "PostExplanation"]
