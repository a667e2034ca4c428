"""The what-if commands of ``matcher``: explain, diff, sweep.

Thin shells over :mod:`matcher.explain`, :mod:`matcher.diff`, :mod:`matcher.scenario` and
:mod:`matcher.sweeps`; :mod:`cli` registers them (same exit codes: 0 done, 1 no plan, 2 bad
input). Results go to stdout as tables, or as JSON with ``--json``; ``-o`` files are written
atomically.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from matcher.diff import diff_plans
from matcher.explain import Explainer
from matcher.io import read_round
from matcher.io.atomic import atomic_path, write_text
from matcher.kpis import KPI_FIELDS, district_kpis, plan_kpis
from matcher.problems import InputProblem, InvalidInput
from matcher.round import Round
from matcher.scenario import Scenario, apply_scenario, carry_pairs
from matcher.sweeps import dropout_study, weight_sweep


def _usage(message: str) -> Exception:
    """A command-line mistake, reported like any bad input (exit code 2)."""
    return InvalidInput([InputProblem("command line", "", message)])


def _plan(rnd: Round, pairs: Any = None) -> Any:
    from pipeline import run_round  # heavy (geodata, OR-Tools): only when solving

    return run_round(rnd, pairs=pairs)


def _json(payload: Any) -> None:
    sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")


def _no_plan(plan: Any, out: Console) -> int:
    out.print(f"no plan: {plan.result.status.value}", style="red")
    for c in plan.result.conflicts:
        out.print(f"conflict: {c.message}", markup=False, highlight=False)
    return 1


def _post_ref(text: str) -> tuple[str, str, int]:
    parts = text.split("/")
    if len(parts) not in (2, 3) or parts[1] not in ("full-time", "part-time"):
        raise argparse.ArgumentTypeError(
            f"post must be COMMUNITY/full-time or COMMUNITY/part-time[/SLOT], got {text!r}"
        )
    return parts[0], parts[1], int(parts[2]) if len(parts) == 3 else 0


def cmd_explain(args: argparse.Namespace, out: Console, err: Console) -> int:
    rnd = read_round(args.round)
    plan = _plan(rnd)
    if not plan.result.is_feasible():
        return _no_plan(plan, out)
    ex = Explainer(rnd, plan.pairs, plan.problem, plan.result)
    posts: list[Any] = []
    cadres: list[Any] = []
    try:
        if args.post:
            community, ptype, slot = args.post
            posts.append(ex.post(community, ptype, slot, k=args.k, exact=args.exact))
        if args.cadre:
            held = [a for a in plan.result.assignments if a.cadre_id == args.cadre]
            if held:
                a = held[0]
                posts.append(
                    ex.post(a.community_id, a.post_type, a.slot, k=args.k, exact=args.exact)
                )
            elif args.cadre in rnd.cadre_index():
                cadres.append(ex.cadre(args.cadre))
            else:
                raise _usage(f"cadre {args.cadre!r} is not in the round")
    except KeyError as exc:
        raise _usage(str(exc).strip("'\"")) from None
    if not args.post and not args.cadre:
        posts = [
            ex.post(a.community_id, a.post_type, a.slot, k=args.k) for a in plan.result.vacancies
        ]
        cadres = ex.unplaced()
    payload = {
        "posts": [p.to_dict() for p in posts],
        "unplaced": [c.to_dict() for c in cadres],
        "kpis": plan_kpis(rnd, plan.result).to_dict(),
        "districts": [
            {"code": d.code, "name": d.name, **d.kpis.to_dict()}
            for d in district_kpis(rnd, plan.result)
        ],
    }
    if args.output:
        every = {
            **payload,
            "posts": [p.to_dict() for p in ex.plan(k=args.k)],
            "unplaced": [c.to_dict() for c in ex.unplaced()],
        }
        write_text(args.output, json.dumps(every, ensure_ascii=False, indent=1) + "\n")
    if args.json:
        _json(payload)
        return 0
    for p in posts:
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
    for c in cadres:
        out.print(f"[bold]{c.cadre_id}[/] has no post: ", end="")
        out.print(c.why, markup=False, highlight=False, soft_wrap=True)
    if not posts and not cadres:
        out.print("every post is filled and every cadre placed")
    if not args.post and not args.cadre:
        out.print(_kpi_table(payload))
    if args.output:
        out.print(f"wrote {args.output}", markup=False, highlight=False)
    return 0


def _kpi_table(payload: dict[str, Any]) -> Table:
    """KPIs with one column per district and one for the whole plan."""
    columns = [(d["name"], d) for d in payload["districts"]] + [("plan", payload["kpis"])]
    table = Table("KPI", *(name for name, _ in columns), title="KPIs")
    for key in KPI_FIELDS:
        cells = ("n/a" if d[key] is None else f"{d[key]:g}" for _, d in columns)
        table.add_row(key, *cells)
    return table


def cmd_diff(args: argparse.Namespace, out: Console, err: Console) -> int:
    a = read_round(args.round)
    plan_a = _plan(a)
    if args.scenario:
        try:
            scenario = Scenario.model_validate_json(Path(args.scenario).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise InvalidInput([InputProblem(str(args.scenario), "", str(exc))]) from None
        b = apply_scenario(a, scenario)
        pairs = None if scenario.add_cadres else carry_pairs(a, plan_a.pairs, b)
    elif args.other:
        b, pairs = read_round(args.other), None
    else:
        raise _usage("give a second round or --scenario FILE")
    plan_b = _plan(b, pairs)
    for plan in (plan_a, plan_b):
        if not plan.result.is_feasible():
            return _no_plan(plan, out)
    d = diff_plans(a, plan_a.result, b, plan_b.result)
    if args.output:
        write_text(args.output, json.dumps(d.to_dict(), ensure_ascii=False, indent=1) + "\n")
    if args.json:
        _json(d.to_dict())
        return 0
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
    for p in d.changed()[: args.limit]:
        changed.add_row(
            p.community_id,
            p.post_type,
            p.status,
            p.before or "—",
            p.after or "—",
            p.moved_from or "",
        )
    out.print(changed)
    if len(d.changed()) > args.limit:
        out.print(f"… {len(d.changed()) - args.limit} more (use --limit or --json)")
    return 0


def _ints(text: str) -> list[int]:
    try:
        return [int(v) for v in text.split(",") if v.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected comma-separated integers, got {text!r}"
        ) from None


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


def _sweep_rows(
    args: argparse.Namespace, rnd: Round, base: Any
) -> tuple[list[dict[str, Any]], str, str, str]:
    """Rows of the sweep table, and the x / y columns and title of its plot."""
    rows: list[dict[str, Any]] = []
    if args.dropout is not None:
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
        return rows, "trial", "posts_changed", f"{args.dropout:.0%} withdraw: posts that change"
    if not args.weight or not args.values:
        raise _usage("give --weight NAME --values A,B,… or --dropout FRACTION")
    points = weight_sweep(
        rnd, base.pairs, args.weight, args.values, workers=args.workers, address=args.ray
    )
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
    return rows, "total_km", "weak_mean_rank", f"trade-off as {args.weight} varies"


def cmd_sweep(args: argparse.Namespace, out: Console, err: Console) -> int:
    rnd = read_round(args.round)
    base = _plan(rnd)
    if not base.result.is_feasible():
        return _no_plan(base, out)
    try:
        rows, x, y, title = _sweep_rows(args, rnd, base)
    except ValueError as exc:  # unknown weight, fraction outside (0, 1), …
        raise _usage(str(exc)) from None
    if args.plot:
        _plot([r for r in rows if r.get(y) is not None], x, y, args.plot, title)
    if args.json:
        _json(rows)
        return 0
    table = Table(*rows[0].keys()) if rows else Table()
    for r in rows:
        table.add_row(*("n/a" if v is None else str(v) for v in r.values()))
    out.print(table)
    if args.plot:
        out.print(f"wrote {args.plot}", markup=False, highlight=False)
    return 0


def add_parsers(sub: Any) -> None:
    """Register explain, diff and sweep on the ``matcher`` sub-parser collection."""
    p = sub.add_parser("explain", help="solve a round and say why each post went as it did")
    p.add_argument("round", help="round: .json, .xlsx or a folder of CSV files")
    p.add_argument("--post", type=_post_ref, metavar="COMMUNITY/TYPE[/SLOT]")
    p.add_argument("--cadre", metavar="ID", help="explain this cadre's post, or why it has none")
    p.add_argument("--exact", action="store_true", help="re-solve once per alternative (exact)")
    p.add_argument("-k", type=int, default=3, help="alternatives per post (default 3)")
    p.add_argument("-o", "--output", metavar="FILE", help="write every post's explanation (JSON)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=cmd_explain)

    p = sub.add_parser("diff", help="solve two rounds (or a round and a scenario) and compare")
    p.add_argument("round", help="the base round")
    p.add_argument("other", nargs="?", help="the second round")
    p.add_argument("--scenario", metavar="FILE", help="scenario JSON applied to the base round")
    p.add_argument("--limit", type=int, default=30, help="changed posts shown (default 30)")
    p.add_argument("-o", "--output", metavar="FILE", help="write the diff as JSON")
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=cmd_diff)

    p = sub.add_parser("sweep", help="weight sweep (trade-off curve) or dropout study")
    p.add_argument("round")
    p.add_argument("--weight", help="a weight name, e.g. weak_priority")
    p.add_argument("--values", type=_ints, help="comma-separated values, e.g. 0,50,100,400")
    p.add_argument("--dropout", type=float, metavar="FRACTION", help="e.g. 0.05 = 5 %% withdraw")
    p.add_argument("--trials", type=int, default=5)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--change", type=int, default=1000, help="change weight of the re-plan")
    p.add_argument("--workers", type=int, default=2, help="local processes (default 2)")
    p.add_argument("--ray", metavar="ADDRESS", help="run on this Ray cluster instead")
    p.add_argument("--plot", metavar="PNG", help="draw the curve into this PNG")
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=cmd_sweep)
