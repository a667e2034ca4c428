"""Compare two plans: which posts kept their cadre, which got a moved or new one, KPI deltas.

Posts are compared per (community, post type): posts of one type in one community are
interchangeable, so a cadre who stays in the group counts as unchanged whatever its slot.
The rest are paired in cadre-id order and labelled:

- ``unchanged``: same cadre (or vacant in both plans);
- ``moved``: the new holder held another post in the first plan;
- ``new``: the new holder had no post in the first plan;
- ``vacated``: filled before, vacant now;
- ``added`` / ``removed``: the post exists in one plan only.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass
from typing import Any

from matcher.analysis.kpis import KPI_FIELDS, plan_kpis
from matcher.engine.result import Result
from matcher.model.round import Round

STATUSES: tuple[str, ...] = ("unchanged", "moved", "new", "vacated", "added", "removed")


@dataclass(frozen=True, slots=True)
class PostChange:
    """One post in the two plans; ``moved_from`` is the new holder's post in the first plan."""

    community_id: str
    post_type: str
    status: str
    before: str | None
    after: str | None
    moved_from: str | None = None


@dataclass(frozen=True, slots=True)
class KpiDelta:
    """A KPI in both plans and the change (None when either side is n/a)."""

    name: str
    before: float | None
    after: float | None
    delta: float | None


@dataclass(frozen=True, slots=True)
class PlanDiff:
    """Every post compared, cadres who lost their post, and KPI deltas."""

    posts: tuple[PostChange, ...]
    dropped: tuple[str, ...]
    kpis: tuple[KpiDelta, ...]

    def counts(self) -> dict[str, int]:
        """Posts per status (every status listed, zeros included)."""
        c = Counter(p.status for p in self.posts)
        return {s: c[s] for s in STATUSES}

    def changed(self) -> list[PostChange]:
        """Posts whose holder differs."""
        return [p for p in self.posts if p.status != "unchanged"]

    def table(self) -> list[dict[str, Any]]:
        """Changed posts as rows (for a DataFrame, CSV or the CLI)."""
        return [asdict(p) for p in self.changed()]

    def to_dict(self) -> dict[str, Any]:
        """Plain dict (JSON-ready)."""
        return {
            "counts": self.counts(),
            "changed": self.table(),
            "dropped": list(self.dropped),
            "kpis": [asdict(k) for k in self.kpis],
        }


def _groups(result: Result) -> dict[tuple[str, str], list[str | None]]:
    out: dict[tuple[str, str], list[str | None]] = {}
    for a in result.assignments:
        out.setdefault((a.community_id, a.post_type), []).append(a.cadre_id)
    return out


def _key(cadre: str | None) -> tuple[int, str]:
    return (1, "") if cadre is None else (0, cadre)


def diff_plans(round_a: Round, result_a: Result, round_b: Round, result_b: Result) -> PlanDiff:
    """Compare plan A (before) with plan B (after); see the module docstring for statuses."""
    before, after = _groups(result_a), _groups(result_b)
    where_a = {
        a.cadre_id: f"{a.community_id}/{a.post_type}"
        for a in result_a.assignments
        if a.cadre_id is not None
    }
    placed_b = {a.cadre_id for a in result_b.assignments if a.cadre_id is not None}
    posts: list[PostChange] = []
    for key in sorted(set(before) | set(after)):
        com, ptype = key
        old, new = before.get(key, []), after.get(key, [])
        kept = sorted(set(old) & set(new) - {None}, key=_key)
        for cad in kept:
            posts.append(PostChange(com, ptype, "unchanged", cad, cad))
        rest_old = sorted([c for c in old if c not in kept], key=_key)
        rest_new = sorted([c for c in new if c not in kept], key=_key)
        for i in range(max(len(rest_old), len(rest_new))):
            b = rest_old[i] if i < len(rest_old) else None
            a = rest_new[i] if i < len(rest_new) else None
            if i >= len(rest_old):
                status = "added"
            elif i >= len(rest_new):
                status = "removed"
            elif a is None:
                status = "unchanged" if b is None else "vacated"
            else:
                status = "moved" if a in where_a else "new"
            moved_from = where_a.get(a) if a is not None else None
            posts.append(PostChange(com, ptype, status, b, a, moved_from))
    dropped = tuple(sorted(c for c in where_a if c not in placed_b))
    ka, kb = plan_kpis(round_a, result_a).to_dict(), plan_kpis(round_b, result_b).to_dict()
    deltas = []
    for name in KPI_FIELDS:
        x, y = ka[name], kb[name]
        delta = None if x is None or y is None else round(float(y) - float(x), 4)
        deltas.append(KpiDelta(name, x, y, delta))
    return PlanDiff(tuple(posts), dropped, tuple(deltas))


__all__ = ["STATUSES", "KpiDelta", "PlanDiff", "PostChange", "diff_plans"]
