"""``matcher practice``: mentors (导师帮带), exchange postings (挂职交流) and joint committees
(联合党委) — each solved exactly, written as JSON and an approval workbook.

``matcher practice scenario NAME -o FILE`` writes a seed scenario's input file:
``datong-mentors``, ``shizhong-exchange`` (batch 1; ``--batch 2`` with ``--after`` the first
batch's outcome to leave its hosts out), ``five-precision-mentors``, ``five-precision-committees``.
Exit codes as every command: 0 a plan, 1 no plan (the clash is printed), 2 bad input.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel
from rich.console import Console
from rich.table import Table

from matcher.model.io.atomic import staged_dir, write_text
from matcher.model.messages import Text
from matcher.practices.files import KINDS, read, write_outputs
from matcher.practices.models import CommitteeRound, ExchangeRound, MentorRound
from matcher.practices.outcome import Outcome
from matcher_cli.arguments import UsageProblem
from matcher_cli.display import print_json

SCENARIOS = (
    "datong-mentors",
    "shizhong-exchange",
    "five-precision-mentors",
    "five-precision-committees",
)


def add_parser(sub: Any) -> None:
    p = sub.add_parser("practice", help="mentors, exchange postings, joint committees")
    kinds = p.add_subparsers(dest="practice", required=True)
    for kind, text in (
        ("mentors", "pair mentees with mentors (3–4 each), exactly"),
        ("exchange", "post exchange guests to host communities (optimal or stable)"),
        ("committees", "group neighbouring communities into joint committees of 3–4"),
    ):
        q = kinds.add_parser(kind, help=text)
        q.add_argument("input", help="the practice file (JSON)")
        q.add_argument("-o", "--out", required=True, help="output folder (replaced atomically)")
        q.add_argument("--json", action="store_true", help="print the outcome as JSON")
        q.add_argument(
            "--technical", action="store_true", help="also show ids, points and the proof's notes"
        )
        if kind == "exchange":
            q.add_argument(
                "--mode", choices=("optimal", "stable"), help="overrides the file's mode"
            )
            q.add_argument(
                "--after",
                action="append",
                default=[],
                help="an earlier batch's outcome.json: its guests and hosts are left out",
            )
        q.set_defaults(run=_run, kind=kind)
    s = kinds.add_parser("scenario", help="write a seed scenario's input file")
    s.add_argument("name", choices=SCENARIOS)
    s.add_argument("-o", "--out", required=True, help="the JSON file to write")
    s.add_argument("--seed", type=int, default=None)
    s.add_argument("--batch", type=int, choices=(1, 2), default=1)
    s.add_argument("--after", action="append", default=[], help="earlier batch outcome(s)")
    s.add_argument("--json", action="store_true")
    s.set_defaults(run=_scenario)


def _used(paths: list[str]) -> tuple[list[str], list[str]]:
    guests, hosts = [], []
    for path in paths:
        try:
            raw = json.loads(Path(path).read_text(encoding="utf-8"))
            pairs = raw["pairs"]
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise UsageProblem(
                Text(
                    f"{path} 不是挂职交流的结果文件（outcome.json）",
                    f"{path}: not an exchange outcome.json ({exc})",
                )
            ) from None
        guests += [p["left"] for p in pairs]
        hosts += [p["right"] for p in pairs]
    return guests, hosts


STATUS_ZH = {
    "optimal": "已证明最优",
    "feasible": "可行，尚未证明最优",
    "infeasible": "无可行方案",
    "unknown": "未得出方案",
}
PAIR_HEADS = {"mentors": ("导师", "学员"), "exchange": ("挂职人员", "接收社区")}


def _names(model: BaseModel) -> dict[str, str]:
    """Every person's and community's id → name in a practice's input."""
    if isinstance(model, ExchangeRound):
        return {
            **{g.id: g.name for g in model.guests},
            **{h.community: h.name for h in model.hosts},
        }
    if isinstance(model, CommitteeRound):
        return {c.id: c.name for c in model.communities}
    if isinstance(model, MentorRound):
        return {p.id: p.name for p in (*model.mentors, *model.mentees)}
    return {}


def _table(outcome: Outcome, kind: str, names: dict[str, str], technical: bool) -> Table:
    """The outcome by name (ids and points only with ``technical``, as in outcome.json)."""
    title = f"{outcome.kind}：{STATUS_ZH[outcome.status.value]}"
    table = Table(title=outcome.summary().splitlines()[0] if technical else title)

    def named(i: str) -> str:
        return f"{names.get(i, i)}（{i}）" if technical else names.get(i, i)

    if outcome.groups:
        for col in ("牵头社区", "成员", "最远相距（公里）"):
            table.add_column(col)
        for g in outcome.groups:
            members = "、".join(named(m) for m in g.members)
            table.add_row(named(g.leader), members, f"{g.spread_m / 1000:.2f}")
        return table
    for col in (*PAIR_HEADS.get(kind, ("", "")), "理由", *(("代价",) if technical else ())):
        table.add_column(col)
    for p in outcome.pairs:
        cost = (str(p.cost),) if technical else ()
        table.add_row(named(p.left), named(p.right), p.reason, *cost)
    return table


def _run(args: argparse.Namespace, out: Console, err: Console) -> int:
    from geodata.pipeline import run_practice

    model = read(args.kind, args.input)
    if isinstance(model, ExchangeRound) and args.after:
        guests, hosts = _used(args.after)
        model = model.model_copy(
            update={
                "exclude_guests": [*model.exclude_guests, *guests],
                "exclude_hosts": [*model.exclude_hosts, *hosts],
            }
        )
    outcome = run_practice(model, mode=getattr(args, "mode", None))
    names = {"outcome.json", "outcome.xlsx", "committees.png"}
    with staged_dir(args.out, replaceable=names) as folder:
        write_outputs(model, outcome, folder, "outcome")
        if isinstance(model, CommitteeRound) and outcome.groups:
            from geodata.practice_maps import write_committees_png

            write_committees_png(model, outcome, folder / "committees.png")
    if args.json:
        print_json(outcome.to_dict())
    else:
        out.print(_table(outcome, args.kind, _names(model), args.technical))
        notes = outcome.notes if args.technical else ()  # how it was proven: technical
        for line in [*outcome.conflicts, *notes]:
            out.print(line, markup=False, highlight=False)
    return 0 if outcome.is_feasible() else 1


def _scenario(args: argparse.Namespace, out: Console, err: Console) -> int:
    from geodata.scenarios import practices as sc

    name = args.name
    model: BaseModel
    if name == "datong-mentors":
        model = sc.datong_mentors(3 if args.seed is None else args.seed)
    elif name == "shizhong-exchange":
        _, hosts = _used(args.after)
        model = sc.shizhong_exchange(2 if args.seed is None else args.seed, args.batch, hosts)
    else:
        mentors, committees = sc.five_precision(4 if args.seed is None else args.seed)
        model = mentors if name == "five-precision-mentors" else committees
    text = json.dumps(
        model.model_dump(mode="json", exclude_defaults=False), ensure_ascii=False, indent=1
    )
    write_text(args.out, text + "\n")
    kind = KIND_ZH[KINDS_BY_MODEL[type(model).__name__]]
    err.print(f"已写出 {args.out}（{kind}）", markup=False)
    return 0


KINDS_BY_MODEL = {model.__name__: kind for kind, model in KINDS.items()}
KIND_ZH = {"mentors": "导师帮带", "exchange": "挂职交流", "committees": "联合党委"}
