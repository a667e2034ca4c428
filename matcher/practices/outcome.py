"""What every practice engine returns: the round's conventions (status, objective, bound, gap,
method, notes, conflicts) around its own items (pairs or groups).

Like :class:`matcher.engine.result.Result`, an outcome is an immutable value; ``optimal`` and
``infeasible`` are proofs (min-cost flow, or CP-SAT's own proof for the partition), and
``canonical_dict`` leaves the wall-clock time out so the same input gives the same bytes.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from matcher.engine.result import Status


@dataclass(frozen=True, slots=True)
class Pair:
    """One pairing: a mentor and a mentee, or a guest and a host community.

    ``rank`` is the guest's rank of the host (1 = first wish; 0 when not on the list) and
    ``host_rank`` the host's rank of the guest, for exchanges; ``terms`` split ``cost`` into
    named points; ``reason`` says why in words, in Chinese.
    """

    left: str
    right: str
    cost: int
    distance_m: int | None = None
    rank: int | None = None
    host_rank: int | None = None
    terms: dict[str, int] = field(default_factory=dict)
    reason: str = ""


@dataclass(frozen=True, slots=True)
class Group:
    """One joint committee: its communities (leader first) and its spread in metres."""

    leader: str
    members: tuple[str, ...]
    spread_m: int
    reason: str = ""


@dataclass(frozen=True, slots=True)
class Outcome:
    """The result of a practice: status and proof, and the pairs or groups."""

    kind: str
    status: Status
    objective: int | None
    bound: float | None
    method: str
    pairs: tuple[Pair, ...] = ()
    groups: tuple[Group, ...] = ()
    unmatched: tuple[str, ...] = ()
    conflicts: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    stats: dict[str, float | int | None] = field(default_factory=dict)
    time_s: float = 0.0

    @property
    def gap(self) -> float | None:
        """Relative gap between objective and bound (0 when proven optimal)."""
        if self.objective is None or self.bound is None:
            return None
        return abs(self.objective - self.bound) / max(1.0, abs(self.objective))

    def is_feasible(self) -> bool:
        return self.status in (Status.OPTIMAL, Status.FEASIBLE)

    def canonical_dict(self) -> dict[str, Any]:
        """Everything but the wall-clock time, in a stable order (for determinism checks)."""
        return {
            "kind": self.kind,
            "status": self.status.value,
            "objective": self.objective,
            "bound": self.bound,
            "gap": self.gap,
            "method": self.method,
            "pairs": [asdict(p) for p in self.pairs],
            "groups": [{**asdict(g), "members": list(g.members)} for g in self.groups],
            "unmatched": list(self.unmatched),
            "conflicts": list(self.conflicts),
            "notes": list(self.notes),
            "stats": dict(self.stats),
        }

    def to_dict(self) -> dict[str, Any]:
        return {**self.canonical_dict(), "time_s": round(self.time_s, 4)}

    def summary(self) -> str:
        """A few lines a planner reads first (Chinese)."""
        status = {
            Status.OPTIMAL: "已证明最优",
            Status.FEASIBLE: "可行（未证明最优）",
            Status.INFEASIBLE: "无可行方案",
            Status.UNKNOWN: "未得到方案",
        }[self.status]
        lines = [f"{self.kind}：{status}，目标值 {self.objective}，下界 {self.bound}"]
        lines += [f"冲突：{c}" for c in self.conflicts]
        lines += list(self.notes)
        return "\n".join(lines)
