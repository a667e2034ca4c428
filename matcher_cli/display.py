"""What the ``matcher`` command prints: rich tables for people, JSON for scripts (``--json``).

Results and problems go to stdout; progress and errors to stderr (see :mod:`matcher_cli.solving`).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from typing import Any

from rich.console import Console
from rich.table import Table

from matcher.analysis.diff import PlanDiff
from matcher.analysis.explain import PostExplanation
from matcher.analysis.kpis import KPI_FIELDS
from matcher.engine.result import Result
from matcher.model.io.document import text_width
from matcher.model.io.summary import summary_items, technical_rows
from matcher.model.language import pick
from matcher.model.problems import InputProblem
from matcher.model.round import Round


def table(*headers: str, title: str = "", lines: bool = False) -> Table:
    """A table whose headers are never cut: each column is at least as wide as its header,
    and long cells fold onto more lines instead."""
    t = Table(title=title or None, show_lines=lines)
    for h in headers:
        t.add_column(h, min_width=int(text_width(h)), overflow="fold")
    return t


def print_json(payload: Any) -> None:
    """Pretty JSON on stdout (Chinese text kept readable)."""
    sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")


def print_problems(problems: Sequence[InputProblem], as_json: bool, out: Console) -> None:
    """Every input problem, as a list or as ``{"valid": false, "problems": [...]}``."""
    if as_json:
        print_json({"valid": False, "problems": [p.to_dict() for p in problems]})
        return
    out.print(f"[bold red]{len(problems)} problem(s) in the input:[/]", highlight=False)
    for p in problems:
        out.print(f"  - {p}", markup=False, highlight=False, soft_wrap=True)


def print_no_plan(result: Result, out: Console) -> int:
    """Say why a what-if command has no plan to work on; return exit code 1."""
    out.print(f"no plan: {result.status.value}", style="red")
    for c in result.conflicts:
        out.print(f"conflict: {c.message}", markup=False, highlight=False)
    return 1


def round_table(rnd: Round, title: str) -> Table:
    """A round's size: communities, weak ones, cadres, posts and rules."""
    table = Table(title=title)
    table.add_column("item")
    table.add_column("value", justify="right")
    full = sum(c.posts.full_time for c in rnd.communities)
    part = sum(c.posts.part_time for c in rnd.communities)
    rules = rnd.rules
    floors, quotas, mixes = len(rules.rank_floors), len(rules.source_quotas), len(rules.skill_mix)
    rows = [
        ("round", rnd.name),
        ("communities (社区)", len(rnd.communities)),
        ("weak communities (软弱涣散)", sum(c.weak for c in rnd.communities)),
        ("cadres (干部)", len(rnd.cadres)),
        ("full-time posts (脱产)", full),
        ("part-time posts (非脱产)", part),
        ("rank floors / quotas / skill mix", f"{floors} / {quotas} / {mixes}"),
        ("locks / forbidden pairs", f"{len(rules.locks)} / {len(rules.forbidden_pairs)}"),
    ]
    for name, value in rows:
        table.add_row(name, str(value))
    return table


def result_table(rnd: Round, res: Result, lang: str = "zh") -> Table:
    """The plan in a department's words, then the solver's record (status, objective …)."""
    out = table(
        pick(lang, "项目", "item"),
        pick(lang, "情况", "value"),
        title=pick(lang, "选派方案", "the plan"),
    )
    for item, value in summary_items(rnd, res, lang):
        out.add_row(item, value)
    for item, value in technical_rows(res, lang)[:6]:
        out.add_row(item, "—" if value == "" else str(value), style="dim")
    return out


def conflict_table(res: Result, lang: str = "zh") -> Table:
    """Rules that cannot all hold, with what each needs and how to relax it."""
    out = table(
        *(
            pick(lang, zh, en)
            for zh, en in (
                ("规则", "rules"),
                ("说明", "what"),
                ("需要", "needed"),
                ("可用", "available"),
                ("调整建议", "to fix"),
            )
        ),
        title=pick(
            lang, "规则冲突：以下规则无法同时满足", "conflicts: these rules cannot all hold"
        ),
        lines=True,
    )
    for c in res.conflicts:
        out.add_row(", ".join(c.rules), c.message, str(c.needed), str(c.available), c.relaxation)
    return out


def kpi_table(payload: dict[str, Any]) -> Table:
    """KPIs with one column per district and one for the whole plan."""
    columns = [(d["name"], d) for d in payload["districts"]] + [("plan", payload["kpis"])]
    table = Table("KPI", *(name for name, _ in columns), title="KPIs")
    for key in KPI_FIELDS:
        cells = ("n/a" if d[key] is None else f"{d[key]:g}" for _, d in columns)
        table.add_row(key, *cells)
    return table


def rows_table(rows: list[dict[str, Any]]) -> Table:
    """Rows of equal keys as a table (``None`` shown as n/a)."""
    table = Table(*rows[0].keys()) if rows else Table()
    for r in rows:
        table.add_row(*("n/a" if v is None else str(v) for v in r.values()))
    return table


def print_post(p: PostExplanation, out: Console) -> None:
    """A post's explanation and its best alternatives."""
    who = p.cadre_id or "vacant"
    out.print(f"[bold]{p.community_id}/{p.post_type} #{p.slot}: {who}[/]")
    out.print(p.why, markup=False, highlight=False, soft_wrap=True)
    table = Table("cadre", "cost Δ", "km", "status", "move cost", "why")
    for alt in p.alternatives:
        move = "" if alt.move_cost is None else f"{alt.move_cost:+d} ({alt.move_cost_kind})"
        table.add_row(
            alt.cadre_id,
            f"{alt.cost_difference:+d}",
            f"{alt.distance_m / 1000:.1f}",
            alt.status,
            move,
            alt.why,
        )
    out.print(table)


def print_diff(d: PlanDiff, limit: int, out: Console) -> None:
    """A plan diff: counts, KPI deltas, the first ``limit`` changes."""
    counts = Table("status", "posts", title="posts")
    for status, n in d.counts().items():
        counts.add_row(status, str(n))
    out.print(counts)
    kpis = Table("KPI", "before", "after", "Δ", title="KPI deltas")
    for k in d.kpis:
        kpis.add_row(
            k.name, *("n/a" if v is None else f"{v:g}" for v in (k.before, k.after, k.delta))
        )
    out.print(kpis)
    changed = Table(
        "community", "type", "status", "before", "after", "moved from", title="changed posts"
    )
    for p in d.changed()[:limit]:
        changed.add_row(
            p.community_id,
            p.post_type,
            p.status,
            p.before or "—",
            p.after or "—",
            p.moved_from or "",
        )
    out.print(changed)
    if len(d.changed()) > limit:
        out.print(f"… {len(d.changed()) - limit} more (use --limit or --json)")
