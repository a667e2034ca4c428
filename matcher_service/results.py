"""Stored plans back into :class:`matcher.engine.result.Result` values, for the file writers."""

from __future__ import annotations

from typing import Any

from matcher.engine.result import Assignment, Conflict, Result, Status


def result_from_dict(d: dict[str, Any]) -> Result:
    """Inverse of :meth:`Result.to_dict` (the form plans are stored in).

    Plans stored before posts were numbered from 1 (their first post is slot 0) are
    renumbered, so every output of an old plan counts posts as the roster does.
    """
    shift = 1 if any(int(a["slot"]) == 0 for a in d.get("assignments", [])) else 0
    return Result(
        status=Status(d["status"]),
        objective=d.get("objective"),
        bound=d.get("bound"),
        gap=d.get("gap"),
        terms=dict(d.get("terms", {})),
        method=str(d.get("method", "")),
        time_s=float(d.get("time_s", 0.0)),
        assignments=tuple(
            Assignment(
                community_id=a["community"],
                post_type=a["post_type"],
                slot=int(a["slot"]) + shift,
                cadre_id=a.get("cadre"),
                distance_m=a.get("distance_m"),
                cost=int(a.get("cost", 0)),
                terms=dict(a.get("terms", {})),
                reason=str(a.get("reason", "")),
                locked=bool(a.get("locked", False)),
            )
            for a in d.get("assignments", [])
        ),
        conflicts=tuple(
            Conflict(
                rules=tuple(c.get("rules", ())),
                message=str(c.get("message", "")),
                needed=int(c.get("needed", 0)),
                available=int(c.get("available", 0)),
                communities=tuple(c.get("communities", ())),
                relaxation=str(c.get("relaxation", "")),
            )
            for c in d.get("conflicts", [])
        ),
        unplaced_cadres=tuple(d.get("unplaced_cadres", ())),
        seed=int(d.get("seed", 0)),
        notes=tuple(d.get("notes", ())),
    )
