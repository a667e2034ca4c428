"""What the ``matcher`` command prints: rich tables for people, JSON for scripts (``--json``).

Results and problems go to stdout; progress and errors to stderr (see :mod:`matcher_cli.solving`).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from matcher.analysis.comparison import person, post_words
from matcher.analysis.diff import PlanDiff
from matcher.analysis.explain import PostExplanation
from matcher.analysis.kpi_words import kpi_delta, kpi_name, kpi_text
from matcher.analysis.kpis import KPI_FIELDS
from matcher.engine.result import Result
from matcher.model.io.document import text_width
from matcher.model.io.summary import summary_items, technical_rows
from matcher.model.language import chooser, pick
from matcher.model.messages import Lang
from matcher.model.problems import InputProblem
from matcher.model.round import Round
from matcher_cli.errors import render, worded


def table(*headers: str, title: str = "", lines: bool = False) -> Table:
    """A table whose headers are never cut short: a column is at least as wide as the longest
    word of its header (up to 8 characters), so a narrow terminal wraps headers and folds
    long cells onto more lines instead of dropping characters."""
    t = Table(title=title or None, show_lines=lines)
    for h in headers:
        word = max((text_width(w) for w in h.split()), default=1.0)
        t.add_column(h, min_width=int(min(word, 8)), overflow="fold")
    return t


def print_json(payload: Any) -> None:
    """Pretty JSON on stdout (Chinese text kept readable)."""
    sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")


def print_problems(
    problems: Sequence[InputProblem], as_json: bool, out: Console, lang: str = "zh"
) -> None:
    """Every input problem, as a list or as ``{"valid": false, "problems": [...]}``; in
    Chinese each names its file, row, field and id in Chinese words (:mod:`matcher_cli.errors`)."""
    if as_json:
        print_json({"valid": False, "problems": [worded(p).to_dict() for p in problems]})
        return
    n = len(problems)
    head = pick(
        lang, f"输入文件有 {n} 处问题：", f"{n} problem{'s' if n != 1 else ''} in the input:"
    )
    out.print(f"[bold red]{head}[/]", highlight=False)
    shown: Lang = "en" if lang == "en" else "zh"
    for p in problems:
        out.print(f"  - {render(p, shown)}", markup=False, highlight=False, soft_wrap=True)


def print_no_plan(result: Result, out: Console, lang: str = "zh") -> int:
    """Say why a what-if command has no plan to work on; return exit code 1."""
    if result.conflicts:
        out.print(conflict_table(result, lang))
    else:
        said = pick(lang, "未得出方案：计算在得出方案前已停止", f"no plan: {result.status.value}")
        out.print(said, style="red")
    return 1


def round_table(rnd: Round, title: str, lang: str = "zh") -> Table:
    """A round's size: communities, weak ones, cadres, posts and rules."""
    t = chooser(lang)
    out = Table(title=title)
    out.add_column(t("项目", "item"))
    out.add_column(t("情况", "value"), justify="right")
    full = sum(c.posts.full_time for c in rnd.communities)
    part = sum(c.posts.part_time for c in rnd.communities)
    rules = rnd.rules
    floors, quotas, mixes = len(rules.rank_floors), len(rules.source_quotas), len(rules.skill_mix)
    rows = [
        (t("批次", "round"), rnd.name),
        (
            t("社区", "communities (社区)"),
            t(f"{len(rnd.communities)} 个", str(len(rnd.communities))),
        ),
        (
            t("软弱涣散社区", "weak communities (软弱涣散)"),
            t(
                f"{sum(c.weak for c in rnd.communities)} 个",
                str(sum(c.weak for c in rnd.communities)),
            ),
        ),
        (t("干部", "cadres (干部)"), t(f"{len(rnd.cadres)} 人", str(len(rnd.cadres)))),
        (t("第一书记岗位", "full-time posts (脱产)"), t(f"{full} 个", str(full))),
        (t("兼职委员岗位", "part-time posts (非脱产)"), t(f"{part} 个", str(part))),
        (
            t("职级要求 / 来源比例 / 专长配备", "rank floors / quotas / skill mix"),
            t(f"{floors} 条 / {quotas} 条 / {mixes} 条", f"{floors} / {quotas} / {mixes}"),
        ),
        (
            t("已研究确定 / 不得安排", "locks / forbidden pairs"),
            t(
                f"{len(rules.locks)} 项 / {len(rules.forbidden_pairs)} 项",
                f"{len(rules.locks)} / {len(rules.forbidden_pairs)}",
            ),
        ),
    ]
    for name, value in rows:
        out.add_row(name, str(value))
    return out


def result_table(rnd: Round, res: Result, lang: str = "zh") -> Table:
    """The plan in a department's words, then the solve status (the objective, bound and gap
    are in plan.json and the workbook's 技术信息 sheet)."""
    out = table(
        pick(lang, "项目", "item"),
        pick(lang, "情况", "value"),
        title=pick(lang, "选派方案", "the plan"),
    )
    for item, value in summary_items(rnd, res, lang):
        out.add_row(item, value)
    # the solver's record stays in plan.json and the 技术信息 sheet; here only its verdict
    for item, value in technical_rows(res, lang)[:1]:
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


def kpi_table(payload: dict[str, Any], lang: str = "zh") -> Table:
    """Plan figures with one column per district and one for the whole plan, each with its
    unit (:mod:`matcher.analysis.kpi_words`)."""
    whole = pick(lang, "全部", "whole plan")
    columns = [(d["name"], d) for d in payload["districts"]] + [(whole, payload["kpis"])]
    out = table(
        pick(lang, "指标", "figure"),
        *(name for name, _ in columns),
        title=pick(lang, "方案指标", "Plan figures"),
    )
    for key in shown_kpis(payload["kpis"]):
        out.add_row(kpi_name(key, lang), *(kpi_text(key, d[key], lang, d) for _, d in columns))
    return out


def shown_kpis(*plans: dict[str, Any]) -> list[str]:
    """The figures worth a row: wish figures only where somebody gave wishes."""
    wishes = any(p.get("wish_givers") for p in plans)
    return [
        k
        for k in KPI_FIELDS
        if wishes or not (k.startswith("wish_") or k in ("first_choice_share", "top3_share"))
    ]


def rows_table(rows: list[dict[str, Any]], headers: dict[str, str] | None = None) -> Table:
    """Rows of equal keys as a table (``None`` shown as —); ``headers`` relabels keys."""
    keys = list(rows[0].keys()) if rows else []
    out = table(*((headers or {}).get(k, k) for k in keys))
    for r in rows:
        out.add_row(*("—" if v is None else str(v) for v in r.values()))
    return out


STATUS_WORDS = {
    "excluded": ("被规则排除", "excluded"),
    "locked": ("已锁定", "locked"),
    "holds": ("已任他岗", "holds"),
    "free": ("未安排", "free"),
    "unchanged": ("未变", "unchanged"),
    "moved": ("调整", "moved"),
    "new": ("新派", "new"),
    "vacated": ("变为空缺", "vacated"),
    "added": ("新增岗位", "added"),
    "removed": ("撤销岗位", "removed"),
}


def _word(status: str, lang: str) -> str:
    return pick(lang, *STATUS_WORDS.get(status, (status, status)))


def print_post(p: PostExplanation, out: Console, lang: str = "zh", technical: bool = False) -> None:
    """A post's explanation and its best alternatives, people and places named; points and
    cost terms only with ``technical``."""
    who = f"{p.cadre_name}（{p.cadre_title}）" if p.cadre_name else pick(lang, "空缺", "vacant")
    if lang == "en" and p.cadre_name:
        who = f"{p.cadre_name} ({p.cadre_title})"
    out.print(
        f"[bold]{escape(p.community_name)} {escape(p.post)}: {escape(who)}[/]", highlight=False
    )
    out.print(p.why, markup=False, highlight=False, soft_wrap=True)
    if technical:
        ref = f"--post {p.community_id}/{p.post_type}/{p.slot}"
        out.print(f"{ref}  {p.technical}", markup=False, highlight=False, style="dim")
    heads = [
        ("干部", "cadre"),
        ("距离(公里)", "distance (km)"),
        ("状态", "status"),
        ("说明", "why"),
    ]
    if technical:
        heads += [("分差", "cost Δ"), ("调整代价", "move cost")]
    alts = table(
        *(pick(lang, zh, en) for zh, en in heads), title=pick(lang, "其他人选", "alternatives")
    )
    for alt in p.alternatives:
        name = f"{alt.name}（{alt.title}）" if lang != "en" else f"{alt.name} ({alt.title})"
        row = [name, f"{alt.distance_m / 1000:.1f}", _word(alt.status, lang), alt.why]
        if technical:
            move = "" if alt.move_cost is None else f"{alt.move_cost:+d} ({alt.move_cost_kind})"
            row += [f"{alt.cost_difference:+d}", move]
        alts.add_row(*row)
    out.print(alts)


def print_diff(
    d: PlanDiff,
    limit: int,
    out: Console,
    rounds: tuple[Round, Round] | None = None,
    changes: Sequence[str] = (),
    lang: str = "zh",
) -> None:
    """A plan diff: what differs between the rounds (in words), counts, KPI deltas, and the
    first ``limit`` changed posts with communities and cadres named."""
    t = chooser(lang)
    out.print(f"[bold]{t('两轮的不同', 'What differs between the rounds')}[/]")
    for line in changes or [t("两轮输入相同", "the rounds are the same")]:
        out.print(f"- {line}", markup=False, highlight=False, soft_wrap=True)
    counts = table(t("状态", "status"), t("岗位数", "posts"), title=t("岗位", "posts"))
    for status, n in d.counts().items():
        counts.add_row(_word(status, lang), str(n))
    out.print(counts)
    kpis = table(t("指标", "figure"), t("变化", "change"), title=t("指标变化", "Figures"))
    wishes = any(k.name == "wish_givers" and (k.before or k.after) for k in d.kpis)
    for k in d.kpis:
        if not wishes and k.name in ("first_choice_share", "top3_share"):
            continue
        if not wishes and k.name.startswith("wish_"):
            continue
        kpis.add_row(kpi_name(k.name, lang), kpi_delta(k.name, k.before, k.after, lang))
    out.print(kpis)
    names: dict[str, str] = {}
    for rnd in rounds or ():
        names.update({c.id: c.name for c in rnd.communities})
        names.update({c.id: person(c, lang) for c in rnd.cadres})
    changed = table(
        *(
            t(zh, en)
            for zh, en in (
                ("社区", "community"),
                ("岗位", "type"),
                ("状态", "status"),
                ("之前", "before"),
                ("之后", "after"),
                ("原岗位", "moved from"),
            )
        ),
        title=t("有变化的岗位", "changed posts"),
    )
    for p in d.changed()[:limit]:
        moved = p.moved_from or ""
        if moved:
            com, _, kind = moved.partition("/")
            moved = f"{names.get(com, com)} {post_words(None, kind, lang)}"
        changed.add_row(
            names.get(p.community_id, p.community_id),
            post_words(None, p.post_type, lang),
            _word(p.status, lang),
            names.get(p.before or "", p.before or "—"),
            names.get(p.after or "", p.after or "—"),
            moved,
        )
    out.print(changed)
    if len(d.changed()) > limit:
        more = len(d.changed()) - limit
        out.print(
            t(
                f"……另有{more}处（用 --limit 或 --json 查看）",
                f"… {more} more (use --limit or --json)",
            )
        )
