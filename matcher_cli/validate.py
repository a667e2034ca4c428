"""``matcher validate``: every problem of a round in one pass, grouped, in the user's language.

Errors and warnings from every layer (files, rows, cells, references, rules) come together;
for a round that reads, the points are also checked against the district they claim with the
bundled boundaries (:func:`geodata.joins.check_round_districts`; cities without bundled
boundaries are skipped with a note). Problems are grouped by column and message ("职级 column,
141 rows (3–190): …"); ``--all`` lists each one. ``--lang`` picks Chinese or English
(default: the language of the headers). ``--mark FILE.xlsx`` writes the clerk's own workbook
back with each problem cell highlighted and commented and a sheet listing every problem.
Exit code 2 when there is an error, 0 when there are warnings only.
"""

from __future__ import annotations

import argparse
import re
from collections import defaultdict
from dataclasses import replace
from typing import Any

from rich.console import Console

from matcher.model.io.marked import write_marked_workbook
from matcher.model.io.round_files import RoundReport, read_round_report
from matcher.model.language import round_language
from matcher.model.messages import CATALOGUE, Lang, Text, localise, say
from matcher.model.problem_groups import group
from matcher.model.problems import InputProblem, InvalidInput
from matcher_cli.arguments import add_lang
from matcher_cli.display import print_json, round_table
from matcher_cli.errors import worded
from matcher_cli.mapping import add_mapping_option, mapping_of

_AT = re.compile(r"^(communities|cadres)\[(\d+)\]\.(location|polygon)$")


def district_warnings(report: RoundReport) -> list[InputProblem]:
    """Points outside the district they claim, as warnings located by row where known."""
    from geodata.boundaries import UnknownCityError
    from geodata.joins import check_round_districts

    rnd = report.round
    cities: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    for i, com in enumerate(rnd.communities):
        cities[com.district.code[:4] + "00"]["communities"].append(i)
    for i, cad in enumerate(rnd.cadres):
        cities[cad.home_district[:4] + "00"]["cadres"].append(i)
    out: list[InputProblem] = []
    for city, members in sorted(cities.items()):
        part = rnd.model_copy(
            update={
                "communities": [rnd.communities[i] for i in members["communities"]],
                "cadres": [rnd.cadres[i] for i in members["cadres"]],
            }
        )
        try:
            found = check_round_districts(part, city, source="round")
        except UnknownCityError:
            text = Text(
                f"城市 {city} 没有内置区县边界，未核对坐标是否落在所填区县内",
                f"no bundled district boundaries for city {city}: points not checked "
                "against their districts",
            )
            out.append(InputProblem.said("round", "", text, severity="warning"))
            continue
        for p in found:
            m = _AT.match(p.where)
            if m is None:
                out.append(replace(p, severity="warning"))
                continue
            index = members[m.group(1)][int(m.group(2))]
            rows = report.rows.get(m.group(1))
            source, where = (
                (rows[index][0], f"row {rows[index][1]}")
                if rows
                else ("round", f"{m.group(1)}[{index}].{m.group(3)}")
            )
            zh = localise(p.message, "zh")
            out.append(
                InputProblem(source, where, p.message, p.id, p.field, severity="warning", zh=zh)
            )
    return out


def print_grouped(
    problems: list[InputProblem], head: str, lang: Lang, every: bool, out: Console
) -> None:
    """``head``, then the problems grouped by column and message (each one with ``every``)."""
    out.print(head, markup=False, highlight=False)
    problems = [worded(p) for p in problems]  # older readers' English said in Chinese too
    if every:
        lines = [p.render(lang) for p in problems]
    else:
        lines = [g.render(lang) for g in group(problems, lang)]
    for line in lines:
        out.print(f"  - {line}", markup=False, highlight=False, soft_wrap=True)


def cmd_validate(args: argparse.Namespace, out: Console, err: Console) -> int:
    report: RoundReport | None = None
    try:
        report = read_round_report(args.round, mapping=mapping_of(args))
        errors, warnings, lang = [], list(report.warnings), report.lang
        if str(args.round).lower().endswith(".json"):  # JSON keys say nothing of the language
            lang = round_language(report.round)
        if not args.no_districts:
            warnings += district_warnings(report)
    except InvalidInput as exc:
        errors, warnings, lang = exc.problems, exc.warnings, exc.lang or "zh"
    lang = args.lang or lang
    marked = None
    if args.mark:
        marked = write_marked_workbook(args.round, [*errors, *warnings], args.mark, lang)
    if args.json:
        payload: dict[str, Any] = {
            "valid": not errors,
            "problems": [p.to_dict() for p in errors],
            "warnings": [p.to_dict() for p in warnings],
        }
        if marked is not None:
            payload["marked"] = {"path": str(args.mark), "cells": marked}
        print_json(payload)
        return 2 if errors else 0
    if errors:
        head = CATALOGUE["problems"].pick(lang).format(n=len(errors))
        print_grouped(errors, f"{head}", lang, args.all, out)
    if warnings:
        head = CATALOGUE["warnings"].pick(lang).format(n=len(warnings))
        print_grouped(warnings, head, lang, args.all, out)
    if report is not None and not errors:
        out.print(round_table(report.round, say("valid", source=args.round).pick(lang), lang))
    if marked is not None:
        text = Text(
            f"已标注 {marked} 个单元格：{args.mark}", f"marked {marked} cell(s): {args.mark}"
        )
        out.print(text.pick(lang), markup=False, highlight=False, soft_wrap=True)
    return 2 if errors else 0


def add_parser(sub: Any) -> None:
    """Register ``validate`` on the ``matcher`` sub-parser collection."""
    p = sub.add_parser("validate", help="check a round file and report every problem")
    p.add_argument("round", help="round: .json, .xlsx or a folder of CSV files")
    p.add_argument("--json", action="store_true", help="print problems and warnings as JSON")
    add_lang(p)  # default here: the language of the headers
    p.add_argument("--all", action="store_true", help="list every problem, not grouped")
    p.add_argument("--mark", metavar="FILE.xlsx", help="write the input back with problems marked")
    p.add_argument(
        "--no-districts", action="store_true", help="skip the check of points against districts"
    )
    add_mapping_option(p)
    p.set_defaults(run=cmd_validate)
