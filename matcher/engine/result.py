"""The result of solving a round: status, objective and its terms, bound, gap, and the plan.

A :class:`Result` is a plain immutable value; nothing is written onto the solver. Wall-clock
time is kept apart (``time_s``) and left out of :meth:`Result.canonical_dict`, so the same
round and seed give byte-identical canonical output.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Status(StrEnum):
    """Outcome of a solve."""

    OPTIMAL = "optimal"  # proven optimal within the relative gap setting
    FEASIBLE = "feasible"  # a plan keeping every hard rule, optimality not proven
    INFEASIBLE = "infeasible"  # proven: the hard rules cannot all hold
    UNKNOWN = "unknown"  # stopped (time limit, cancel) before finding a plan or a proof


FIRST_SLOT = 1
"""Posts are numbered from 1 within (community, post type), as people count."""


def check_slot(slot: int) -> None:
    """Refuse a post number below 1 with a message that names the old 0-based numbering.

    Raises ValueError: plans before format 2 counted posts from 0, so ``/part-time/1`` then
    meant the second post; a 0 today can only be such an old reference.
    """
    if slot < FIRST_SLOT:
        raise ValueError(
            f"岗位序号从1开始（第1个岗位为1），收到 {slot}，可能是旧的从0编号的引用 / "
            f"posts are numbered from 1 (the first post is 1), got {slot}: "
            "an old 0-based reference?"
        )


@dataclass(frozen=True, slots=True)
class Assignment:
    """One post of the plan: who fills it (``cadre_id``), or a vacancy (``cadre_id is None``).

    ``slot`` numbers the posts of one community and post type from 1, as people count.

    ``terms`` splits ``cost`` into named objective terms (points): distance, skill_fit,
    weak_priority, preference, change, vacancy. ``reason`` says briefly why, in words.
    """

    community_id: str
    post_type: str
    slot: int
    cadre_id: str | None
    distance_m: int | None
    cost: int
    terms: dict[str, int] = field(default_factory=dict)
    reason: str = ""
    locked: bool = False

    @property
    def vacant(self) -> bool:
        """True when nobody fills this post."""
        return self.cadre_id is None


@dataclass(frozen=True, slots=True)
class Conflict:
    """A set of hard rules that cannot all hold, with counts: what is needed and what exists."""

    rules: tuple[str, ...]
    message: str
    needed: int
    available: int
    communities: tuple[str, ...] = ()
    relaxation: str = ""

    @property
    def shortfall(self) -> int:
        """How many posts the rules leave without an eligible cadre."""
        return max(0, self.needed - self.available)


@dataclass(frozen=True, slots=True)
class Result:
    """Everything a solve produced. ``assignments`` lists every post, filled or vacant."""

    status: Status
    objective: int | None
    bound: float | None
    gap: float | None
    terms: dict[str, int]
    method: str
    time_s: float
    assignments: tuple[Assignment, ...] = ()
    conflicts: tuple[Conflict, ...] = ()
    unplaced_cadres: tuple[str, ...] = ()
    seed: int = 0
    notes: tuple[str, ...] = ()

    def is_feasible(self) -> bool:
        """True when the plan keeps every hard rule (optimal or merely feasible)."""
        return self.status in (Status.OPTIMAL, Status.FEASIBLE)

    def is_optimal(self) -> bool:
        """True when optimality is proven (within the relative gap setting)."""
        return self.status is Status.OPTIMAL

    @property
    def vacancies(self) -> tuple[Assignment, ...]:
        """Posts left empty."""
        return tuple(a for a in self.assignments if a.vacant)

    def summary(self) -> str:
        """A few lines a planner reads first."""
        filled = sum(1 for a in self.assignments if not a.vacant)
        lines = [f"status: {self.status.value} (method {self.method}, {self.time_s:.2f} s)"]
        if self.objective is not None:
            gap = "n/a" if self.gap is None else f"{self.gap:.2e}"
            lines.append(f"objective: {self.objective} points, bound {self.bound}, gap {gap}")
        lines.append(f"posts: {filled} filled, {len(self.assignments) - filled} vacant")
        for c in self.conflicts:
            lines.append(f"conflict: {c.message}")
        return "\n".join(lines)

    def canonical_dict(self) -> dict[str, Any]:
        """JSON-ready form without wall-clock time: identical for identical input and seed."""
        return {
            "status": self.status.value,
            "objective": self.objective,
            "bound": self.bound,
            "gap": self.gap,
            "terms": dict(sorted(self.terms.items())),
            "method": self.method,
            "seed": self.seed,
            "assignments": [
                {
                    "community": a.community_id,
                    "post_type": a.post_type,
                    "slot": a.slot,
                    "cadre": a.cadre_id,
                    "distance_m": a.distance_m,
                    "cost": a.cost,
                    "terms": dict(sorted(a.terms.items())),
                    "reason": a.reason,
                    "locked": a.locked,
                }
                for a in self.assignments
            ],
            "conflicts": [
                {
                    "rules": list(c.rules),
                    "message": c.message,
                    "needed": c.needed,
                    "available": c.available,
                    "shortfall": c.shortfall,
                    "communities": list(c.communities),
                    "relaxation": c.relaxation,
                }
                for c in self.conflicts
            ],
            "unplaced_cadres": list(self.unplaced_cadres),
            "notes": list(self.notes),
        }

    def to_dict(self) -> dict[str, Any]:
        """Canonical form plus wall-clock time."""
        return {**self.canonical_dict(), "time_s": round(self.time_s, 3)}
