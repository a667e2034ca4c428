"""``matcher map``: every column's role in a workbook, for the planner to confirm once; and the
``--mapping`` option every command that reads a round workbook takes.

``matcher map WORKBOOK -o mapping.json`` writes the proposal (per sheet, per column: header,
role, field, confidence, the question where unsure) and prints it as a table;
``--mapping OLD`` lays a confirmed mapping or a template over the proposal (next year's
workbook of the same shape: only new columns are proposed); ``--save-template NAME`` keeps
the result as a named template (``--templates DIR``, else ``$MATCHER_MAPPINGS``, else
``~/.matcher/mappings``). ``--mapping FILE|NAME`` on validate, solve, explain, diff, sweep,
replace and vet reads the round with that mapping.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from matcher.model.io.header_words import field_of
from matcher.model.io.mapping import ROLE_ZH, Mapping
from matcher.model.io.mapping_file import (
    TABLE_ZH,
    column_letter,
    load_mapping,
    mapping_json,
    propose_mapping,
    question,
    template_path,
    write_mapping,
)
from matcher_cli.display import print_json


def add_mapping_option(p: argparse.ArgumentParser) -> None:
    """``--mapping FILE|NAME`` and ``--templates DIR`` on a command that reads a round."""
    p.add_argument(
        "--mapping",
        metavar="FILE|NAME",
        help="column mapping (mapping.json from matcher map, or a saved template's name)",
    )
    p.add_argument("--templates", metavar="DIR", help="folder of saved mapping templates")


def mapping_of(args: argparse.Namespace) -> Mapping | None:
    """The mapping the command line names, if any."""
    text = getattr(args, "mapping", None)
    return load_mapping(text, getattr(args, "templates", None)) if text else None


def _field_words(table: str, key: str | None) -> str:
    """What a column feeds, in the words of the mapping (姓名, 所在区县代码 …)."""
    if key is None:
        return ""
    found = field_of(table, key)
    return found.zh if found is not None else key


def cmd_map(args: argparse.Namespace, out: Console, err: Console) -> int:
    given = mapping_of(args)
    mapping = propose_mapping(args.workbook, given)
    if args.save_template:
        mapping.name = args.save_template
    name = Path(args.workbook).name
    if args.output:
        write_mapping(mapping, name, args.output)
    saved = None
    if args.save_template:
        saved = template_path(args.save_template, args.templates)
        saved.parent.mkdir(parents=True, exist_ok=True)
        write_mapping(mapping, name, saved)
    asks = sum(1 for s in mapping.sheets for c in s.columns if c.unsure)
    if args.json:
        payload: dict[str, Any] = mapping_json(mapping, name)
        payload["questions"] = asks
        print_json(payload)
        return 0
    for sm in mapping.sheets:
        table = Table(
            "列",
            "表头",
            "用途",
            "对应项",
            "把握",
            "问题",
            title=f"{sm.sheet}（{TABLE_ZH[sm.table]}）",
        )
        for c in sm.columns:
            table.add_row(
                column_letter(c.position),
                c.header,
                ROLE_ZH[c.role],
                _field_words(sm.table, c.field) + (f"（{c.unit}）" if c.unit else ""),
                f"{c.confidence:.0%}",
                question(c, sm.table) or "",
            )
        out.print(table)
    lines = [f"{asks} 列需要确认（见“问题”列）" if asks else "每列的用途都有把握"]
    if args.output:
        lines.append(f"已写出 {args.output}：确认或改写后用 --mapping {args.output}")
    if saved is not None:
        lines.append(f"已存为模板“{args.save_template}”：{saved}")
    for line in lines:
        out.print(line, markup=False, highlight=False, soft_wrap=True)
    return 0


def add_parser(sub: Any) -> None:
    """Register ``map`` on the ``matcher`` sub-parser collection."""
    p = sub.add_parser("map", help="propose every column's role in a workbook (列的识别)")
    p.add_argument("workbook", help="an .xlsx workbook or a folder of CSV files")
    p.add_argument("-o", "--output", metavar="mapping.json", help="write the mapping here")
    p.add_argument("--save-template", metavar="NAME", help="keep the mapping as a named template")
    add_mapping_option(p)
    p.add_argument("--json", action="store_true", help="print the mapping as JSON")
    p.set_defaults(run=cmd_map)
