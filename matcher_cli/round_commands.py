"""``matcher validate``, ``solve``, ``generate`` and ``demo``: rounds in, plans and files out."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from rich.console import Console

from matcher.engine.result import Result
from matcher.model.io import read_round, write_round_csv, write_round_json, write_round_xlsx
from matcher.model.io.atomic import check_replaceable
from matcher.model.io.internal_roster import check_names
from matcher.model.io.summary import plan_figures
from matcher.model.language import pick, resolve
from matcher.model.round import Round
from matcher_cli import validate
from matcher_cli.arguments import UsageProblem, add_lang, engine_seed, positive_seconds
from matcher_cli.display import conflict_table, print_json, result_table, round_table
from matcher_cli.engine_notes import notes_for_planner
from matcher_cli.mapping import add_mapping_option, mapping_of
from matcher_cli.outputs import OUTPUT_NAMES, OUTPUTS, formats, write_outputs
from matcher_cli.solving import solve_with_progress


def finish(rnd: Round, res: Result, args: argparse.Namespace, out: Console) -> int:
    """Write outputs (if a plan or a conflict report exists), print the summary, pick exit code."""
    lang = resolve(args.lang, rnd)
    if res.is_feasible() or res.conflicts:
        private = getattr(args, "include_private", None) or ()
        written = write_outputs(rnd, res, Path(args.output), args.format, lang, private)
    else:
        written = []
    if args.json:
        print_json(
            {
                "figures": plan_figures(rnd, res),
                "conflicts": res.canonical_dict()["conflicts"],
                "written": [str(p) for p in written],
            }
        )
    else:
        out.print(result_table(rnd, res, lang))
        if res.conflicts:
            out.print(conflict_table(res, lang))
        for line in notes_for_planner(res.notes, lang):
            out.print(pick(lang, "说明：", "note: ") + line, markup=False, highlight=False)
        if getattr(args, "technical", False):  # the engine's own words, for engineers
            for note in res.notes:
                out.print(f"note: {note}", markup=False, highlight=False, style="dim")
        for path in written:
            said = pick(lang, f"已写出 {path}", f"wrote {path}")
            out.print(said, markup=False, highlight=False, soft_wrap=True)
    if res.is_feasible():
        return 0
    if not res.conflicts:
        said = pick(
            lang,
            "未得出方案：计算在得出方案前已停止，未写出任何文件",
            "no plan: the run stopped before finding one; nothing written",
        )
        out.print(said, style="red")
    return 1


def cmd_solve(args: argparse.Namespace, out: Console, err: Console) -> int:
    check_replaceable(args.output, OUTPUT_NAMES)
    rnd = read_round(args.round, mapping=mapping_of(args))
    if args.include_private:
        check_names(rnd, args.include_private)  # before solving: a typo costs nothing
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
    return finish(rnd, solve_with_progress(rnd, err), args, out)


def generate_round(name: str, seed: int) -> Round:
    """A seed scenario (geodata.scenarios); an unknown name is a usage problem."""
    from geodata.scenarios import generate

    try:
        return generate(name, seed)
    except ValueError as exc:
        raise UsageProblem(str(exc)) from None


def cmd_generate(args: argparse.Namespace, out: Console, err: Console) -> int:
    rnd = generate_round(args.scenario, args.seed)
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
        lang = "en" if args.headers == "en" else "zh"
        out.print(round_table(rnd, pick(lang, f"已写出 {target}", f"wrote {target}"), lang))
    return 0


def cmd_demo(args: argparse.Namespace, out: Console, err: Console) -> int:
    check_replaceable(args.output, OUTPUT_NAMES)
    rnd = generate_round("jinzhou", 2022)
    if args.time_limit is not None:
        settings = rnd.settings.model_copy(update={"time_limit_s": args.time_limit})
        rnd = rnd.model_copy(update={"settings": settings})
    if not args.json:
        lang = resolve(args.lang, rnd)
        title = pick(
            lang, "示范：锦州“1+2”选派（种子 2022）", "demo: Jinzhou 1+2 round (seed 2022)"
        )
        out.print(round_table(rnd, title, lang))
    return finish(rnd, solve_with_progress(rnd, err), args, out)


def add_parsers(sub: Any) -> None:
    """Register validate, solve, generate and demo on the ``matcher`` sub-parser collection."""
    validate.add_parser(sub)

    p = sub.add_parser("solve", help="solve a round and write the plan into OUTDIR")
    p.add_argument("round", help="round: .json, .xlsx or a folder of CSV files")
    p.add_argument("-o", "--output", required=True, metavar="OUTDIR")
    p.add_argument("--time-limit", type=positive_seconds, metavar="S", help="override seconds")
    p.add_argument("--seed", type=engine_seed, help="override the round's seed")
    p.add_argument("--method", choices=("auto", "flow", "mip", "cpsat"))
    p.add_argument(
        "--format",
        type=formats,
        default=formats("json,csv,xlsx,pdf,md"),
        help=f"comma list of outputs: all or {', '.join(OUTPUTS)} (default json,csv,xlsx,pdf,md)",
    )
    add_lang(p)
    add_mapping_option(p)
    p.add_argument(
        "--include-private",
        nargs="+",
        metavar="COLUMN",
        help="also write 内部名单.xlsx with these private columns (e.g. 联系电话 身份证号)",
    )
    p.add_argument("--json", action="store_true", help="print figures and problems as JSON")
    p.add_argument(
        "--technical", action="store_true", help="also print the engine's notes as it wrote them"
    )
    p.set_defaults(run=cmd_solve)

    p = sub.add_parser("generate", help="write a seed scenario as .json, .xlsx or CSV folder")
    p.add_argument("scenario", help="jinzhou, huangshi, shizhong, datong or province")
    p.add_argument("--seed", type=engine_seed, required=True)
    p.add_argument("-o", "--output", required=True, metavar="FILE")
    p.add_argument("--headers", choices=("zh", "en", "both"), default="zh")
    p.add_argument("--json", action="store_true", help="print problems and the result as JSON")
    p.set_defaults(run=cmd_generate)

    p = sub.add_parser("demo", help="solve the bundled Jinzhou scenario and write every output")
    p.add_argument("-o", "--output", default="out", metavar="OUTDIR")
    p.add_argument("--time-limit", type=positive_seconds, metavar="S")
    p.add_argument("--json", action="store_true", help="print figures as JSON")
    add_lang(p)
    p.set_defaults(run=cmd_demo, format=list(OUTPUTS))
