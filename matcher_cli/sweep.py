"""``matcher sweep``: a weight sweep (the travel / weak-community trade-off curve) or a dropout
study (how much a plan changes when some cadres withdraw), over :mod:`matcher.analysis.sweeps`.

Rows go to stdout as a table or JSON (``--json``); ``--plot`` draws the curve into a PNG,
written atomically.
"""

from __future__ import annotations

import argparse
from typing import Any

from rich.console import Console

from matcher.analysis.sweeps import dropout_study, weight_sweep
from matcher.model.io import read_round
from matcher.model.io.atomic import atomic_path
from matcher.model.language import pick, resolve
from matcher.model.messages import Text
from matcher.model.round import Round
from matcher_cli.arguments import UsageProblem, add_lang, ints
from matcher_cli.display import print_json, print_no_plan, rows_table
from matcher_cli.mapping import add_mapping_option, mapping_of
from matcher_cli.solving import plan as solve_plan

# column → (Chinese, English) label of tables and plot axes
COLUMN_WORDS: dict[str, tuple[str, str]] = {
    "trial": ("试验", "trial"),
    "withdrawn": ("退出人数", "withdrawn"),
    "status": ("状态", "status"),
    "posts_changed": ("变动岗位数", "posts changed"),
    "moves": ("调整人数", "moves"),
    "newcomers": ("新派人数", "newcomers"),
    "vacancies": ("空缺岗位", "vacancies"),
    "mean_km": ("平均距离(公里)", "mean distance (km)"),
    "objective": ("综合评价值", "objective (points)"),
    "total_km": ("总距离(公里)", "total distance (km)"),
    "weak_mean_rank": ("软弱涣散社区第一书记平均职级", "weak communities' mean rank"),
    "skill_fit_rate": ("专长匹配率", "skill fit rate"),
}


def status_word(status: str, lang: str) -> str:
    """A solve status in words (最优 / optimal …)."""
    words = {"optimal": "最优", "feasible": "可行", "infeasible": "无可行方案", "unknown": "未得出"}
    return status if lang == "en" else words.get(status, status)


def column_word(key: str, lang: str) -> str:
    """A sweep column as people read it (weights keep their own name)."""
    return pick(lang, *COLUMN_WORDS.get(key, (key, key)))


def _plot(
    rows: list[dict[str, Any]], x: str, y: str, label: str, path: str, title: str, lang: str
) -> None:
    """The curve, each point labelled with its ``label`` value, axes named in ``lang``."""
    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    from geodata.map_style import FONT_FAMILY, register_cjk_font

    register_cjk_font()
    with matplotlib.rc_context({"font.family": FONT_FAMILY, "axes.unicode_minus": False}):
        fig = Figure(figsize=(7, 4.5))
        FigureCanvasAgg(fig)
        ax = fig.add_subplot()
        xs, ys = [r[x] for r in rows], [r[y] for r in rows]
        ax.plot(xs, ys, "o-")
        same: dict[tuple[Any, Any], list[str]] = {}  # points that coincide share one label
        for r, px, py in zip(rows, xs, ys, strict=True):
            same.setdefault((px, py), []).append(str(r[label]))
        for (px, py), values in same.items():
            text = f"{column_word(label, lang)}={', '.join(values)}"
            ax.annotate(text, (px, py), xytext=(5, 6), textcoords="offset points", fontsize=8)
        ax.set_xlabel(column_word(x, lang))
        ax.set_ylabel(column_word(y, lang))
        ax.set_title(title)
        ax.grid(alpha=0.3)
        with atomic_path(path) as temp:
            fig.savefig(temp, format="png", dpi=100, bbox_inches="tight")


def _dropout_rows(args: argparse.Namespace, rnd: Round, base: Any) -> list[dict[str, Any]]:
    trials = dropout_study(
        rnd,
        base.pairs,
        base.result,
        fraction=args.dropout,
        trials=args.trials,
        seed=args.seed,
        change=args.change,
        workers=args.workers,
        address=args.ray,
    )
    rows: list[dict[str, Any]] = []
    for t in trials:
        k = t.kpis.to_dict() if t.kpis else {}
        rows.append(
            {
                "trial": t.trial,
                "withdrawn": len(t.withdrawn),
                "status": t.status,
                "posts_changed": t.posts_changed,
                "moves": t.moves,
                "newcomers": t.newcomers,
                "vacancies": t.vacancies,
                "mean_km": k.get("mean_km"),
            }
        )
    return rows


def _weight_rows(args: argparse.Namespace, rnd: Round, base: Any) -> list[dict[str, Any]]:
    points = weight_sweep(
        rnd, base.pairs, args.weight, args.values, workers=args.workers, address=args.ray
    )
    rows: list[dict[str, Any]] = []
    for p in points:
        k = p.kpis.to_dict() if p.kpis else {}
        rows.append(
            {
                args.weight: p.value,
                "status": p.status,
                "objective": p.objective,
                "total_km": k.get("total_km"),
                "weak_mean_rank": k.get("weak_mean_rank"),
                "skill_fit_rate": k.get("skill_fit_rate"),
                "vacancies": k.get("vacancies"),
            }
        )
    return rows


def _sweep_rows(
    args: argparse.Namespace, rnd: Round, base: Any, lang: str
) -> tuple[list[dict[str, Any]], str, str, str, str]:
    """Rows of the sweep table, and the x / y / point-label columns and title of its plot."""
    if args.dropout is not None:
        title = pick(
            lang,
            f"{args.dropout:.0%}的干部退出后需变动的岗位",
            f"{args.dropout:.0%} withdraw: posts that change",
        )
        return _dropout_rows(args, rnd, base), "trial", "posts_changed", "withdrawn", title
    if not args.weight or not args.values:
        raise UsageProblem(
            Text(
                "请用 --weight 权重名 --values 取值1,取值2,… 做权重比较，"
                "或用 --dropout 比例 做退出测算",
                "give --weight NAME --values A,B,… or --dropout FRACTION",
            )
        )
    title = pick(lang, f"权重 {args.weight} 取不同值时的取舍", f"trade-off as {args.weight} varies")
    rows = _weight_rows(args, rnd, base)
    return rows, "total_km", "weak_mean_rank", args.weight, title


def cmd_sweep(args: argparse.Namespace, out: Console, err: Console) -> int:
    rnd = read_round(args.round, mapping=mapping_of(args))
    base = solve_plan(rnd)
    if not base.result.is_feasible():
        return print_no_plan(base.result, out, resolve(args.lang, rnd))
    lang = resolve(args.lang, rnd)
    try:
        rows, x, y, label, title = _sweep_rows(args, rnd, base, lang)
    except ValueError as exc:  # unknown weight, fraction outside (0, 1), …
        raise UsageProblem(str(exc)) from None
    if args.plot:
        drawn = [r for r in rows if r.get(y) is not None and r.get(x) is not None]
        _plot(drawn, x, y, label, args.plot, title, lang)
    if args.json:
        print_json(rows)
        return 0
    shown = [{**r, "status": status_word(r["status"], lang)} if "status" in r else r for r in rows]
    out.print(rows_table(shown, {k: column_word(k, lang) for k in (rows[0] if rows else {})}))
    if args.plot:
        out.print(
            pick(lang, f"已写出 {args.plot}", f"wrote {args.plot}"), markup=False, highlight=False
        )
    return 0


def add_parser(sub: Any) -> None:
    """Register sweep on the ``matcher`` sub-parser collection."""
    p = sub.add_parser("sweep", help="weight sweep (trade-off curve) or dropout study")
    p.add_argument("round")
    p.add_argument("--weight", help="a weight name, e.g. weak_priority")
    p.add_argument("--values", type=ints, help="comma-separated values, e.g. 0,50,100,400")
    p.add_argument("--dropout", type=float, metavar="FRACTION", help="e.g. 0.05 = 5 %% withdraw")
    p.add_argument("--trials", type=int, default=5)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--change", type=int, default=1000, help="change weight of the re-plan")
    p.add_argument("--workers", type=int, default=2, help="local processes (default 2)")
    p.add_argument("--ray", metavar="ADDRESS", help="run on this Ray cluster instead")
    p.add_argument("--plot", metavar="PNG", help="draw the curve into this PNG")
    p.add_argument("--json", action="store_true")
    add_lang(p)
    add_mapping_option(p)
    p.set_defaults(run=cmd_sweep)
