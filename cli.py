"""The ``matcher`` command: validate, solve, generate and demo assignment rounds.

A thin shell over :mod:`matcher.io` (files), :mod:`pipeline` (solving) and :mod:`geodata`
(scenarios, maps). Exit codes: 0 a plan was found (optimal or feasible), 1 no plan (the rules
conflict, or the run stopped first), 2 bad input (every problem is printed; ``--json`` prints
them as JSON), 3 the outputs could not be written (the previous ones are kept). Outputs are
built in a temporary folder beside OUTDIR and renamed into place only when the run completes.
Progress goes to stderr; results and problems to stdout.
"""

from __future__ import annotations

import argparse
import json
import logging
import signal
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from cli_what_if import add_parsers as add_what_if_parsers
from matcher.io import (
    read_round,
    write_plan_json,
    write_roster_csv,
    write_roster_xlsx,
    write_round_csv,
    write_round_json,
    write_round_xlsx,
    write_summary,
)
from matcher.io.atomic import check_replaceable, staged_dir
from matcher.io.summary import label, plan_figures
from matcher.problems import InputProblem, InvalidInput
from matcher.progress import Progress as Report
from matcher.result import Result
from matcher.round import Round

log = logging.getLogger("matcher.cli")

Writer = Callable[[Round, Result, Path], None]


def _geojson(rnd: Round, res: Result, path: Path) -> None:
    from geodata.export import write_geojson

    write_geojson(rnd, res, path)


def _png(rnd: Round, res: Result, path: Path) -> None:
    from geodata.maps import write_png

    write_png(rnd, res, path)


def _html(rnd: Round, res: Result, path: Path) -> None:
    from geodata.maps import write_html

    write_html(rnd, res, path)


# --format name → (file name, writer). Order is the order files are written.
OUTPUTS: dict[str, tuple[str, Writer]] = {
    "round": ("round.json", lambda rnd, _res, path: write_round_json(rnd, path)),
    "json": ("plan.json", write_plan_json),
    "csv": ("roster.csv", write_roster_csv),
    "xlsx": ("roster.xlsx", write_roster_xlsx),
    "md": ("summary.md", write_summary),
    "geojson": ("plan.geojson", _geojson),
    "png": ("map.png", _png),
    "html": ("map.html", _html),
}
NO_PLAN_OUTPUTS = ("round", "json", "md")  # what still makes sense when the rules conflict
OUTPUT_NAMES = {name for name, _ in OUTPUTS.values()}


class UsageProblem(Exception):
    """A command-line mistake found after parsing (e.g. OUTDIR holds foreign files)."""


def _formats(text: str) -> list[str]:
    names = [n.strip().lower() for n in text.split(",") if n.strip()]
    unknown = [n for n in names if n not in OUTPUTS and n != "all"]
    if unknown:
        raise argparse.ArgumentTypeError(
            f"unknown format {', '.join(unknown)}; choose from all, {', '.join(OUTPUTS)}"
        )
    return list(OUTPUTS) if "all" in names else [n for n in OUTPUTS if n in names]


def _positive(text: str) -> float:
    value = float(text)
    if not value > 0:
        raise argparse.ArgumentTypeError(f"must be a positive number of seconds, got {text}")
    return value


def _seed(text: str) -> int:
    value = int(text)
    if not 0 <= value <= 2**31 - 1:
        raise argparse.ArgumentTypeError(f"seed must be between 0 and 2**31-1, got {text}")
    return value


def _print_problems(problems: Sequence[InputProblem], as_json: bool, out: Console) -> None:
    if as_json:
        payload = {"valid": False, "problems": [p.to_dict() for p in problems]}
        sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
        return
    out.print(f"[bold red]{len(problems)} problem(s) in the input:[/]", highlight=False)
    for p in problems:
        out.print(f"  - {p}", markup=False, highlight=False, soft_wrap=True)


def _round_table(rnd: Round, title: str) -> Table:
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


def _result_table(rnd: Round, res: Result) -> Table:
    table = Table(title=f"plan: {res.status.value}")
    table.add_column("figure")
    table.add_column("项目")
    table.add_column("value", justify="right")
    for key, value in plan_figures(rnd, res).items():
        shown = "n/a" if value is None else str(value)
        table.add_row(label(key, "en"), label(key), shown)
    return table


def _conflict_table(res: Result) -> Table:
    table = Table(title="conflicts: these rules cannot all hold", show_lines=True)
    for head in ("rules", "what", "needed", "available", "to fix"):
        table.add_column(head)
    for c in res.conflicts:
        table.add_row(", ".join(c.rules), c.message, str(c.needed), str(c.available), c.relaxation)
    return table


@contextmanager
def _stop_on_interrupt() -> Iterator[Callable[[], bool]]:
    """First Ctrl-C asks the engine to stop and return its best plan; a second one aborts."""
    stop = threading.Event()
    if threading.current_thread() is not threading.main_thread():
        yield stop.is_set
        return

    def handler(signum: int, frame: object) -> None:
        if stop.is_set():
            raise KeyboardInterrupt
        stop.set()
        log.warning("stopping: the best plan found so far will be kept (Ctrl-C again to abort)")

    previous = signal.signal(signal.SIGINT, handler)
    try:
        yield stop.is_set
    finally:
        signal.signal(signal.SIGINT, previous)


def _solve(rnd: Round, err: Console) -> Result:
    from pipeline import run_round  # heavy (geodata, OR-Tools): only when solving

    columns = (TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn())
    with Progress(*columns, console=err, transient=True) as bar, _stop_on_interrupt() as stop:
        task = bar.add_task("starting", total=100)

        def report(p: Report) -> None:
            text = f"{p.phase}: {p.message}" if p.message else p.phase
            if p.objective is not None:
                text += f" (objective {p.objective})"
            bar.update(task, description=text, completed=round(100 * p.fraction))
            log.info("%s", text)

        return run_round(rnd, progress=report, should_stop=stop).result


def _write_outputs(rnd: Round, res: Result, outdir: Path, formats: Sequence[str]) -> list[Path]:
    """Write the chosen outputs into a staged folder, then rename it to ``outdir``."""
    if not res.is_feasible():
        formats = [f for f in formats if f in NO_PLAN_OUTPUTS]
    written: list[Path] = []
    with staged_dir(outdir, replaceable=OUTPUT_NAMES) as temp:
        for fmt in formats:
            name, writer = OUTPUTS[fmt]
            try:
                writer(rnd, res, temp / name)
            except ImportError as exc:  # a geodata writer not installed in this build
                log.warning("skipped %s: %s", name, exc)
                continue
            written.append(outdir / name)
    return written


def _finish(rnd: Round, res: Result, args: argparse.Namespace, out: Console) -> int:
    """Write outputs (if a plan or a conflict report exists), print the summary, pick exit code."""
    if res.is_feasible() or res.conflicts:
        written = _write_outputs(rnd, res, Path(args.output), args.format)
    else:
        written = []
    if args.json:
        payload: dict[str, Any] = {
            "figures": plan_figures(rnd, res),
            "conflicts": res.canonical_dict()["conflicts"],
            "written": [str(p) for p in written],
        }
        sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
    else:
        out.print(_result_table(rnd, res))
        if res.conflicts:
            out.print(_conflict_table(res))
        for note in res.notes:
            out.print(f"note: {note}", markup=False, highlight=False)
        for path in written:
            out.print(f"wrote {path}", markup=False, highlight=False, soft_wrap=True)
    if res.is_feasible():
        return 0
    if not res.conflicts:
        out.print("no plan: the run stopped before finding one; nothing written", style="red")
    return 1


def cmd_validate(args: argparse.Namespace, out: Console, err: Console) -> int:
    rnd = read_round(args.round)
    if args.json:
        sys.stdout.write(json.dumps({"valid": True, "problems": []}) + "\n")
    else:
        out.print(_round_table(rnd, f"{args.round}: valid"))
    return 0


def cmd_solve(args: argparse.Namespace, out: Console, err: Console) -> int:
    check_replaceable(args.output, OUTPUT_NAMES)
    rnd = read_round(args.round)
    changes: dict[str, Any] = {}
    if args.time_limit is not None:
        changes["time_limit_s"] = args.time_limit
    if args.seed is not None:
        changes["seed"] = args.seed
    if args.method is not None:
        changes["method"] = args.method
    if changes:
        settings = type(rnd.settings).model_validate({**rnd.settings.model_dump(), **changes})
        rnd = rnd.model_copy(update={"settings": settings})
    return _finish(rnd, _solve(rnd, err), args, out)


def _generate(name: str, seed: int) -> Round:
    from geodata.scenarios import generate

    try:
        return generate(name, seed)
    except ValueError as exc:
        raise UsageProblem(str(exc)) from None


def cmd_generate(args: argparse.Namespace, out: Console, err: Console) -> int:
    rnd = _generate(args.scenario, args.seed)
    target = Path(args.output)
    suffix = target.suffix.lower()
    if suffix == ".json":
        write_round_json(rnd, target)
    elif suffix == ".xlsx":
        write_round_xlsx(rnd, target, headers=args.headers)
    else:
        write_round_csv(rnd, target, headers=args.headers)
    if args.json:
        sys.stdout.write(json.dumps({"written": str(target)}, ensure_ascii=False) + "\n")
    else:
        out.print(_round_table(rnd, f"wrote {target}"))
    return 0


def cmd_demo(args: argparse.Namespace, out: Console, err: Console) -> int:
    check_replaceable(args.output, OUTPUT_NAMES)
    rnd = _generate("jinzhou", 2022)
    if args.time_limit is not None:
        settings = rnd.settings.model_copy(update={"time_limit_s": args.time_limit})
        rnd = rnd.model_copy(update={"settings": settings})
    if not args.json:
        out.print(_round_table(rnd, "demo: Jinzhou 1+2 round (seed 2022)"))
    return _finish(rnd, _solve(rnd, err), args, out)


def parser() -> argparse.ArgumentParser:
    """The argument parser (exposed for docs and tests)."""
    top = argparse.ArgumentParser(prog="matcher", description=__doc__.split("\n\n")[0])
    top.add_argument("-v", "--verbose", action="count", default=0, help="log more (-vv: debug)")
    sub = top.add_subparsers(dest="command", required=True)

    p = sub.add_parser("validate", help="check a round file and report every problem")
    p.add_argument("round", help="round: .json, .xlsx or a folder of CSV files")
    p.add_argument("--json", action="store_true", help="print problems as JSON")
    p.set_defaults(run=cmd_validate)

    p = sub.add_parser("solve", help="solve a round and write the plan into OUTDIR")
    p.add_argument("round", help="round: .json, .xlsx or a folder of CSV files")
    p.add_argument("-o", "--output", required=True, metavar="OUTDIR")
    p.add_argument("--time-limit", type=_positive, metavar="S", help="override seconds")
    p.add_argument("--seed", type=_seed, help="override the round's seed")
    p.add_argument("--method", choices=("auto", "flow", "mip", "cpsat"))
    p.add_argument(
        "--format",
        type=_formats,
        default=_formats("json,csv,xlsx,md"),
        help=f"comma list of outputs: all or {', '.join(OUTPUTS)} (default json,csv,xlsx,md)",
    )
    p.add_argument("--json", action="store_true", help="print figures and problems as JSON")
    p.set_defaults(run=cmd_solve)

    p = sub.add_parser("generate", help="write a seed scenario as .json, .xlsx or CSV folder")
    p.add_argument("scenario", help="jinzhou, huangshi, shizhong, datong or province")
    p.add_argument("--seed", type=_seed, required=True)
    p.add_argument("-o", "--output", required=True, metavar="FILE")
    p.add_argument("--headers", choices=("zh", "en", "both"), default="zh")
    p.add_argument("--json", action="store_true", help="print problems and the result as JSON")
    p.set_defaults(run=cmd_generate)

    p = sub.add_parser("demo", help="solve the bundled Jinzhou scenario and write every output")
    p.add_argument("-o", "--output", default="out", metavar="OUTDIR")
    p.add_argument("--time-limit", type=_positive, metavar="S")
    p.add_argument("--json", action="store_true", help="print figures as JSON")
    p.set_defaults(run=cmd_demo, format=list(OUTPUTS))
    add_what_if_parsers(sub)  # explain, diff, sweep
    return top


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code (see module docstring)."""
    args = parser().parse_args(argv)
    level = (logging.WARNING, logging.INFO, logging.DEBUG)[min(args.verbose, 2)]
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")
    out, err = Console(), Console(stderr=True)
    try:
        code: int = args.run(args, out, err)
    except InvalidInput as exc:
        _print_problems(exc.problems, args.json, out)
        return 2
    except (UsageProblem, FileExistsError, NotADirectoryError) as exc:
        _print_problems([InputProblem("command line", "", str(exc))], args.json, out)
        return 2
    except OSError as exc:  # disk full, permission denied: the old outputs are kept
        err.print(f"error: could not write outputs: {exc}", markup=False, highlight=False)
        return 3
    return code


if __name__ == "__main__":
    sys.exit(main())
