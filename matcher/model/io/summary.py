"""Plan figures and the Markdown summary a planner reads first.

Figures are aggregates only (counts, kilometres, points): the summary never lists cadre
names, so it can circulate more widely than the roster.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from matcher.engine.result import Result
from matcher.model.round import Round

# key → (Chinese label, English label)
LABELS: dict[str, tuple[str, str]] = {
    "round": ("轮次", "round"),
    "status": ("求解状态", "status"),
    "method": ("算法", "method"),
    "objective": ("目标值(分)", "objective (points)"),
    "bound": ("下界", "bound"),
    "gap": ("相对差距", "relative gap"),
    "seed": ("随机种子", "seed"),
    "time_s": ("用时(秒)", "time (s)"),
    "communities": ("社区数", "communities"),
    "cadres": ("干部数", "cadres"),
    "posts": ("岗位数", "posts"),
    "filled": ("已配岗位", "filled"),
    "vacant": ("空缺岗位", "vacant"),
    "locked": ("锁定岗位", "locked"),
    "full_time_city": ("脱产:市直", "full-time from city"),
    "full_time_county": ("脱产:县区", "full-time from county"),
    "full_time_street": ("脱产:街道", "full-time from street"),
    "mean_km": ("平均距离(公里)", "mean distance (km)"),
    "max_km": ("最远距离(公里)", "max distance (km)"),
    "unplaced": ("未派干部", "cadres not placed"),
}


def plan_figures(round: Round, result: Result) -> dict[str, Any]:
    """The headline figures of a plan, keyed as in :data:`LABELS` plus ``term:<name>``."""
    levels = {c.id: c.level.value for c in round.cadres}
    filled = [a for a in result.assignments if not a.vacant]
    by_level = Counter(
        levels.get(a.cadre_id or "", "") for a in filled if a.post_type == "full-time"
    )
    km = [a.distance_m / 1000 for a in filled if a.distance_m is not None]
    figures: dict[str, Any] = {
        "round": round.name,
        "status": result.status.value,
        "method": result.method,
        "objective": result.objective,
        "bound": result.bound,
        "gap": result.gap,
        "seed": result.seed,
        "time_s": round_(result.time_s, 2),
        "communities": len(round.communities),
        "cadres": len(round.cadres),
        "posts": len(result.assignments),
        "filled": len(filled),
        "vacant": len(result.assignments) - len(filled),
        "locked": sum(1 for a in result.assignments if a.locked),
        "full_time_city": by_level["city"],
        "full_time_county": by_level["county"],
        "full_time_street": by_level["street"],
        "mean_km": round_(sum(km) / len(km), 2) if km else None,
        "max_km": round_(max(km), 2) if km else None,
        "unplaced": len(result.unplaced_cadres),
    }
    for name, value in sorted(result.terms.items()):
        figures[f"term:{name}"] = value
    return figures


def round_(value: float, digits: int) -> float:
    """Round half to even, as a plain float (``round`` is shadowed by the round argument)."""
    return float(f"{value:.{digits}f}")


def label(key: str, headers: str = "zh") -> str:
    """The label of a figure key in Chinese or English."""
    if key.startswith("term:"):
        name = key[5:]
        return f"目标分项:{name}" if headers != "en" else f"objective term: {name}"
    zh, en = LABELS[key]
    return en if headers == "en" else zh


def summary_rows(round: Round, result: Result, headers: str = "zh") -> list[list[Any]]:
    """Figures as two-column rows (label, value), header first."""
    head = ["item", "value"] if headers == "en" else ["项目", "数值"]
    figures = plan_figures(round, result)
    return [head] + [[label(k, headers), "" if v is None else v] for k, v in figures.items()]


def summary_markdown(round: Round, result: Result) -> str:
    """A Markdown summary: headline figures, objective terms, conflicts, vacancies, notes."""
    figures = plan_figures(round, result)
    lines = [f"# Plan summary: {round.name}", "", "| figure | 项目 | value |", "|---|---|---|"]
    for key, value in figures.items():
        if not key.startswith("term:"):
            shown = "n/a" if value is None else value
            lines.append(f"| {label(key, 'en')} | {label(key)} | {shown} |")
    terms = [(k[5:], v) for k, v in figures.items() if k.startswith("term:")]
    if terms:
        lines += ["", "## Objective terms (points)", "", "| term | points |", "|---|---|"]
        lines += [f"| {name} | {value} |" for name, value in terms]
    if result.conflicts:
        lines += ["", "## Conflicts: why no plan keeps every rule", ""]
        for c in result.conflicts:
            lines.append(
                f"- **{', '.join(c.rules)}**: {c.message} "
                f"(needed {c.needed}, available {c.available}, short by {c.shortfall})"
            )
            if c.relaxation:
                lines.append(f"  - to fix: {c.relaxation}")
    vacant = [a for a in result.assignments if a.vacant]
    if vacant:
        lines += ["", "## Vacant posts", ""]
        lines += [f"- {a.community_id} {a.post_type} #{a.slot + 1}" for a in vacant]
    if result.notes:
        lines += ["", "## Notes", ""]
        lines += [f"- {note}" for note in result.notes]
    return "\n".join(lines) + "\n"
