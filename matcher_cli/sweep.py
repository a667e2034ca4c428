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
from matcher.model.round import Round
from matcher_cli.arguments import UsageProblem, ints
from matcher_cli.display import print_json, print_no_plan, rows_table
from matcher_cli.solving import plan as solve_plan


def _plot(rows: list[dict[str, Any]], x: str, y: str, path: str, title: str) -> None:
    from matplotlib.figure import Figure

    fig = Figure(figsize=(6, 4))
    ax = fig.add_subplot()
    ax.plot([r[x] for r in rows], [r[y] for r in rows], "o-")
    ax.set_xlabel(x)
    ax.set_ylabel(y)
    ax.set_title(title)
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
    args: argparse.Namespace, rnd: Round, base: Any
) -> tuple[list[dict[str, Any]], str, str, str]:
    """Rows of the sweep table, and the x / y columns and title of its plot."""
    if args.dropout is not None:
        title = f"{args.dropout:.0%} withdraw: posts that change"
        return _dropout_rows(args, rnd, base), "trial", "posts_changed", title
    if not args.weight or not args.values:
        raise UsageProblem("give --weight NAME --values A,B,… or --dropout FRACTION")
    title = f"trade-off as {args.weight} varies"
    return _weight_rows(args, rnd, base), "total_km", "weak_mean_rank", title


def cmd_sweep(args: argparse.Namespace, out: Console, err: Console) -> int:
    rnd = read_round(args.round)
    base = solve_plan(rnd)
    if not base.result.is_feasible():
        return print_no_plan(base.result, out)
    try:
        rows, x, y, title = _sweep_rows(args, rnd, base)
    except ValueError as exc:  # unknown weight, fraction outside (0, 1), …
        raise UsageProblem(str(exc)) from None
    if args.plot:
        _plot([r for r in rows if r.get(y) is not None], x, y, args.plot, title)
    if args.json:
        print_json(rows)
        return 0
    out.print(rows_table(rows))
    if args.plot:
        out.print(f"wrote {args.plot}", markup=False, highlight=False)
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
    p.set_defaults(run=cmd_sweep)
