"""``matcher vet``: record the vetting departments' answers (资格联审) in a round from their own
sheets — one CSV or XLSX per department, rows found by 干部编号 or by 姓名 + 单位 + 出生年份.

Every row that names nobody, several people, or contradicts another row is reported (exit 2)
and nothing is written; otherwise the round is written with the answers, and the table shows
per department how many were cleared, refused or pending and who still lacks a required
clearance.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from matcher.model.io import read_round, write_round_json
from matcher.model.io.clearance_sheet import apply_clearances, match_sheet, read_sheet
from matcher.model.language import pick
from matcher.model.messages import CATALOGUE, Lang, Text
from matcher.model.problems import InputProblem, InvalidInput
from matcher.model.round import Round
from matcher.model.standing import clearance_words
from matcher.model.vetting import department_key, department_words
from matcher_cli.arguments import UsageProblem, add_lang
from matcher_cli.display import print_json
from matcher_cli.mapping import add_mapping_option, mapping_of
from matcher_cli.validate import print_grouped


def _sheets(pairs: list[str]) -> list[tuple[str, Path]]:
    out = []
    for text in pairs:
        dept, sep, file = text.partition("=")
        if not sep or not dept.strip() or not file.strip():
            raise UsageProblem(
                Text(
                    f"--sheet 应写成 部门=文件，如 纪检监察=jw.xlsx，现为“{text}”",
                    f"--sheet must be DEPARTMENT=FILE, got {text!r}",
                )
            )
        out.append((department_key(dept), Path(file)))
    return out


def _required(rnd: Round, sheets: list[tuple[str, Path]], add: bool) -> Round:
    """The round, refusing a department it does not ask for a clearance (as the service's
    403 does) unless ``add`` (``--add-required``) puts it on the round's required list."""
    need = rnd.rules.clearances.required
    extra = list(dict.fromkeys(d for d, _ in sheets if d not in need))
    if not extra:
        return rnd
    if not add:
        asked = "、".join(department_words(d) for d in need) or "无"
        names = "、".join(department_words(d) for d in extra)
        raise UsageProblem(
            Text(
                f"本轮不需要{names}审查（本轮要求的联审部门：{asked}）；"
                "如确需加入，请加 --add-required",
                f"this round does not ask {', '.join(extra)} for a clearance (required: "
                f"{', '.join(need) or 'none'}); pass --add-required to add it",
            )
        )
    clearances = rnd.rules.clearances.model_copy(update={"required": [*need, *extra]})
    rules = rnd.rules.model_copy(update={"clearances": clearances})
    return rnd.model_copy(update={"rules": rules})


def cmd_vet(args: argparse.Namespace, out: Console, err: Console) -> int:
    sheets = _sheets(args.sheet)
    rnd = _required(read_round(args.round, mapping=mapping_of(args)), sheets, args.add_required)
    problems: list[InputProblem] = []
    answers = []
    counts: dict[str, dict[str, int]] = {}
    for dept, path in sheets:
        try:
            data = path.read_bytes()
        except OSError as exc:
            problems.append(InputProblem(str(path), "", f"cannot read file: {exc.strerror}"))
            continue
        try:
            got = match_sheet(read_sheet(str(path), data), dept, rnd.cadres)
        except InvalidInput as exc:
            problems += exc.problems
            continue
        answers += got
        tally = counts.setdefault(dept, {"cleared": 0, "refused": 0, "pending": 0})
        for _, c in got:
            tally[c.status.value] += 1
    if problems:
        if args.json:
            raise InvalidInput(problems)
        lang: Lang = "en" if args.lang == "en" else "zh"
        head = CATALOGUE["problems"].pick(lang).format(n=len(problems))
        print_grouped(problems, head, lang, args.all, out)
        out.print(pick(lang, "未写出任何文件", "nothing was written"), markup=False)
        return 2
    vetted = apply_clearances(rnd, answers)
    write_round_json(vetted, args.output)
    lacking = {c.id: w for c in vetted.cadres if (w := clearance_words(vetted, c))}
    report: dict[str, Any] = {"departments": counts, "lacking": lacking, "round": args.output}
    if args.json:
        print_json(report)
        return 0
    lang = args.lang or "zh"
    heads = (
        ("部门", "通过", "不通过", "待审")
        if lang == "zh"
        else ("department", "cleared", "refused", "pending")
    )
    table = Table(*heads)
    for dept, t in counts.items():
        table.add_row(
            department_words(dept), *(str(t[k]) for k in ("cleared", "refused", "pending"))
        )
    out.print(table)
    out.print(
        pick(
            lang,
            f"{len(lacking)} 名干部资格联审未全部通过；已写出 {args.output}",
            f"{len(lacking)} cadre(s) lack a required clearance; wrote {args.output}",
        ),
        markup=False,
        highlight=False,
    )
    return 0


def add_parser(sub: Any) -> None:
    """Register ``vet`` on the ``matcher`` sub-parser collection."""
    p = sub.add_parser("vet", help="record vetting departments' answers from their own sheets")
    p.add_argument("round", metavar="ROUND", help="round: .json, .xlsx or a CSV folder")
    p.add_argument(
        "--sheet",
        nargs="+",
        required=True,
        metavar="DEPT=FILE",
        help="a department's sheet, e.g. 纪检监察=jw.xlsx 信访=xf.csv",
    )
    p.add_argument("-o", "--output", required=True, metavar="ROUND.json")
    p.add_argument(
        "--add-required",
        action="store_true",
        help="add a sheet's department to the round's required clearances (otherwise a "
        "department the round does not require is refused, exit 2)",
    )
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    p.add_argument("--all", action="store_true", help="list every problem, not grouped")
    add_lang(p)
    add_mapping_option(p)
    p.set_defaults(run=cmd_vet)
