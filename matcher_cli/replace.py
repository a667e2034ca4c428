"""``matcher replace``: recalls, promotions, unsuitable cadres, new cadres → the replacement
plan with proven fewest moves and the 调整名单 workbook for approval."""

from __future__ import annotations

import argparse
import json
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from rich.console import Console
from rich.table import Table

from matcher.analysis.comparison import person, post_words
from matcher.engine.result import Result
from matcher.lifecycle.adjustment import Replacement
from matcher.lifecycle.events import Events
from matcher.model.io import read_round, write_plan_json, write_roster_xlsx, write_round_json
from matcher.model.io.adjustments import (
    KIND_ZH,
    LEVEL_ZH,
    names_of,
    reason_words,
    write_adjustments_xlsx,
)
from matcher.model.io.atomic import staged_dir
from matcher.model.io.cadre_file import read_cadres
from matcher.model.io.json_round import load_json
from matcher.model.language import pick, resolve
from matcher.model.messages import Text
from matcher.model.problems import InputProblem, InvalidInput
from matcher.model.resolve import id_by_name
from matcher.model.round import Round
from matcher_cli.arguments import UsageProblem, add_lang
from matcher_cli.display import print_json
from matcher_cli.mapping import add_mapping_option, mapping_of
from matcher_service.results import result_from_dict

OUTPUTS = ("plan.json", "round.json", "replacement.json", "调整名单.xlsx", "roster.xlsx")


def _plan_files(args: argparse.Namespace) -> tuple[Path, Path]:
    plan = Path(args.plan)
    if plan.is_dir():
        plan = plan / "plan.json"
    if not plan.exists():
        raise UsageProblem(
            Text(
                f"找不到方案文件 {plan}（应为求解时写出的 plan.json 或其所在文件夹）",
                f"{plan}: no such plan file (plan.json written by matcher solve)",
            )
        )
    rnd = Path(args.round) if args.round else plan.with_name("round.json")
    if not rnd.exists():
        raise UsageProblem(
            Text(
                f"还需要该方案的轮次文件：请加 --round 指明，或把 round.json 放在 {plan} 旁边"
                "（求解时选择输出轮次文件即会一并写出）",
                f"the plan's round is needed: pass --round ROUND or keep round.json beside {plan} "
                "(matcher solve --format round,json,…)",
            )
        )
    return plan, rnd


def plan_result(path: Path) -> Result:
    """The result kept in a plan.json; a file that is no plan is an input problem."""
    raw = load_json(path)
    try:
        return result_from_dict(raw["result"])
    except (KeyError, TypeError, ValueError) as exc:
        text = Text(
            "不是求解时写出的选派方案文件：缺少或无法读取其中的方案部分",
            f"not a plan written by matcher solve (its result is missing or unreadable: {exc})",
        )
        raise InvalidInput([InputProblem.said(str(path), "result", text)]) from None


def _events(args: argparse.Namespace) -> Events:
    raw: dict[str, Any] = {}
    if args.events:
        loaded = load_json(Path(args.events))
        if not isinstance(loaded, dict):
            raise InvalidInput([InputProblem(args.events, "", "must be a JSON object")])
        raw = loaded
    raw["recall"] = [*raw.get("recall", []), *args.recall]
    raw["promote"] = [*raw.get("promote", []), *args.promote]
    raw["withdraw"] = [*raw.get("withdraw", []), *args.withdraw]
    unsuitable = list(raw.get("unsuitable", []))
    for text in args.unsuitable:
        cadre, _, coms = text.partition(":")
        unsuitable.append({"cadre": cadre, "not_back_to": [c for c in coms.split(",") if c]})
    raw["unsuitable"] = unsuitable
    raw["close_communities"] = [*raw.get("close_communities", []), *args.close]
    reasons = dict(raw.get("reasons", {}))
    for text in args.reason:
        cadre, sep, why = text.partition("=")
        if not sep:
            raise UsageProblem(
                Text(
                    f"--reason 应写成 干部=原因，如 张三=调任，现为“{text}”",
                    f"--reason must be ID=TEXT, got {text!r}",
                )
            )
        reasons[cadre] = why
    raw["reasons"] = reasons
    if args.effective:
        raw["effective"] = args.effective
    source = args.events or "command line"
    try:
        events = Events.model_validate(raw)
    except ValidationError as exc:
        problems = [
            InputProblem(source, ".".join(str(x) for x in e["loc"]), e["msg"]) for e in exc.errors()
        ]
        raise InvalidInput(problems) from None
    if args.add:
        added = read_cadres(args.add, mapping=mapping_of(args))
        events = events.model_copy(update={"add_cadres": [*events.add_cadres, *added]})
    return events


def changes_table(old: Round, rep: Replacement, lang: str = "zh") -> Table:
    """The adjustment list as a table: who (name and title), change, from, to, why."""
    people = {c.id: c for r in (old, rep.round) for c in r.cadres}
    coms = {c.id: c for r in (old, rep.round) for c in r.communities}
    names = names_of(old, rep.round)
    table = Table(title=pick(lang, "调整名单", "Adjustments"))
    heads = (("干部", "cadre"), ("调整", "change"), ("原岗位", "from"), ("新岗位", "to"))
    for zh, en in (*heads, ("原因", "why")):
        table.add_column(pick(lang, zh, en), overflow="fold")

    def post(p: tuple[str, str] | None) -> str:
        return "" if p is None else post_words(coms.get(p[0]), p[1], lang)

    for ch in rep.changes:
        cad = people.get(ch.cadre_id)
        who = person(cad, lang) if cad else ch.cadre_id
        kind = KIND_ZH.get(ch.kind, ch.kind) if lang != "en" else ch.kind
        why = reason_words(ch.reason, names, lang)
        table.add_row(who, kind, post(ch.from_post), post(ch.to_post), why)
    return table


def levels_sentence(rep: Replacement, lang: str = "zh") -> str:
    """空缺岗位 0 个，调动在岗干部 1 人（均已证明为最少）."""
    vac, moves = rep.level("vacancies"), rep.level("moves")
    v = vac.value if vac else 0
    m = moves.value if moves else 0
    proven = all(lv.proven for lv in (vac, moves) if lv is not None)
    tail = (
        pick(lang, "（均已证明为最少）", " (both proven fewest)")
        if proven
        else pick(lang, "（尚未证明为最少）", " (not proven fewest)")
    )
    return (
        pick(
            lang,
            f"空缺岗位 {v} 个，调动在岗干部 {m} 人",
            f"{v} posts vacant, {m} sitting cadres moved",
        )
        + tail
    )


def levels_table(rep: Replacement) -> Table:
    """Status, method and each level with value, bound, proven (the technical view)."""
    table = Table(title=f"{rep.status.value} ({rep.method}, {rep.time_s:.2f} s)")
    for col in ("层级 / level", "取值 / value", "下界 / bound", "已证明 / proven"):
        table.add_column(col)
    for lv in rep.levels:
        table.add_row(
            f"{LEVEL_ZH[lv.name]} / {lv.name}",
            str(lv.value),
            f"{lv.bound:g}",
            "是 / yes" if lv.proven else "否 / no",
        )
    return table


def _by_name(events: Events, rnd: Round, lang: str) -> Events:
    """Cadres named by name in the events become their ids (ambiguous names refused)."""
    cadres = list(rnd.cadres)

    def one(ref: str) -> str:
        try:
            return id_by_name(cadres, ref, "cadres", lang)
        except ValueError as exc:
            raise UsageProblem(str(exc)) from None

    update: dict[str, Any] = {
        k: [one(c) for c in getattr(events, k)] for k in ("recall", "promote", "withdraw")
    }
    update["unsuitable"] = [u.model_copy(update={"cadre": one(u.cadre)}) for u in events.unsuitable]
    update["reasons"] = {one(k): v for k, v in events.reasons.items()}
    return events.model_copy(update=update)


def cmd_replace(args: argparse.Namespace, out: Console, err: Console) -> int:
    from geodata.pipeline import run_replacement

    plan_path, round_path = _plan_files(args)
    old = read_round(round_path, mapping=mapping_of(args))
    lang = resolve(args.lang, old)
    result = plan_result(plan_path)
    events = _by_name(_events(args), old, lang)
    _, rep = run_replacement(old, result, events)
    effective = events.effective or date.today()
    written: list[Path] = []
    if rep.is_feasible():
        target = Path(args.output)
        with staged_dir(target, replaceable=OUTPUTS) as temp:
            write_plan_json(rep.round, rep.result, temp / "plan.json")
            write_round_json(rep.round, temp / "round.json")
            body = json.dumps(rep.to_dict(), ensure_ascii=False, indent=2) + "\n"
            (temp / "replacement.json").write_text(body, encoding="utf-8")
            write_adjustments_xlsx(old, rep, temp / "调整名单.xlsx", effective)
            write_roster_xlsx(rep.round, rep.result, temp / "roster.xlsx")
        written = [target / name for name in OUTPUTS]
    if args.json:
        print_json({**rep.to_dict(), "written": [str(p) for p in written]})
    else:
        if args.technical:
            out.print(levels_table(rep))
            for note in rep.notes:
                out.print(f"note: {note}", markup=False, highlight=False, soft_wrap=True)
        out.print(levels_sentence(rep, lang), markup=False, highlight=False)
        out.print(changes_table(old, rep, lang))
        for path in written:
            done = pick(lang, f"已写入 {path}", f"wrote {path}")
            out.print(done, markup=False, highlight=False, soft_wrap=True)
    return 0 if rep.is_feasible() else 1


def add_parser(sub: Any) -> None:
    """Register ``replace`` on the ``matcher`` sub-parser collection."""
    p = sub.add_parser(
        "replace", help="refill posts after recalls etc. moving the fewest sitting cadres"
    )
    p.add_argument("plan", metavar="PLAN", help="plan.json (or the folder holding it)")
    p.add_argument("--round", help="the plan's round (default: round.json beside the plan)")
    p.add_argument("--recall", nargs="+", default=[], metavar="ID|NAME", help="召回")
    p.add_argument("--promote", nargs="+", default=[], metavar="ID|NAME", help="提拔")
    p.add_argument("--withdraw", nargs="+", default=[], metavar="ID|NAME", help="退出")
    unsuitable = "人岗不适: leaves the post, never back to it nor to the listed communities"
    p.add_argument("--unsuitable", nargs="+", default=[], metavar="ID[:COM,…]", help=unsuitable)
    p.add_argument("--reason", nargs="+", default=[], metavar="ID=TEXT", help="why, per cadre")
    p.add_argument("--add", metavar="CADRES", help="new cadres: .xlsx, .csv or .json")
    p.add_argument("--close", nargs="+", default=[], metavar="COM", help="communities closed")
    p.add_argument("--events", metavar="EVENTS.json", help="all events as one JSON file")
    p.add_argument("--effective", type=date.fromisoformat, help="date the changes take effect")
    p.add_argument("-o", "--output", required=True, metavar="OUTDIR")
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    add_mapping_option(p)  # for --add and a round workbook
    p.add_argument(
        "--technical", action="store_true", help="also show the levels' bounds and the notes"
    )
    add_lang(p)
    p.set_defaults(run=cmd_replace)


def cmd_rotate(args: argparse.Namespace, out: Console, err: Console) -> int:
    from matcher.lifecycle.terms import next_round, postings_from_plan
    from matcher.model.io import write_round_csv, write_round_xlsx

    plan_path, round_path = _plan_files(args)
    rnd = read_round(round_path)
    result = plan_result(plan_path)
    postings = postings_from_plan(rnd, result, args.start)
    released = {p.cadre_id: [p.community_id] for p in postings if p.term_end < args.release_before}
    nxt = next_round(
        rnd,
        postings,
        args.release_before,
        not_back=released if args.not_back else None,
        continuity=released if args.continuity else None,
    )
    target = Path(args.output)
    suffix = target.suffix.lower()
    if suffix == ".json":
        write_round_json(nxt, target)
    elif suffix == ".xlsx":
        write_round_xlsx(nxt, target)
    else:
        write_round_csv(nxt, target)
    sitting = sum(1 for c in nxt.cadres if c.current_post is not None)
    summary = {"written": str(target), "sitting": sitting, "released": len(released)}
    if args.json:
        print_json(summary)
    else:
        said = pick(
            resolve(args.lang, rnd),
            f"在岗 {sitting} 人保留现岗位，任期届满释放 {len(released)} 人；已写出 {target}",
            f"{sitting} keep their posts, {len(released)} released; wrote {target}",
        )
        out.print(said, markup=False, highlight=False)
    return 0


def add_rotate_parser(sub: Any) -> None:
    """Register ``rotate``: the next round from an approved plan."""
    p = sub.add_parser("rotate", help="start the next round from an approved plan (轮换)")
    p.add_argument("plan", metavar="PLAN", help="plan.json (or the folder holding it)")
    p.add_argument("--round", help="the plan's round (default: round.json beside the plan)")
    p.add_argument("--start", type=date.fromisoformat, required=True, help="postings began")
    p.add_argument(
        "--release-before", type=date.fromisoformat, required=True,
        help="terms ending before this date are released for rotation",
    )  # fmt: skip
    p.add_argument("--not-back", action="store_true", help="released cadres never return there")
    p.add_argument("--continuity", action="store_true", help="released cadres prefer it (soft)")
    p.add_argument("-o", "--output", required=True, metavar="ROUND", help=".json, .xlsx or folder")
    p.add_argument("--json", action="store_true", help="print the summary as JSON")
    add_lang(p)
    p.set_defaults(run=cmd_rotate)
