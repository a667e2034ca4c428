"""``matcher explain`` and ``matcher diff``: why each post went as it did, and what changes.

Thin shells over :mod:`matcher.analysis.explain`, :mod:`matcher.analysis.diff` and
:mod:`matcher.analysis.scenario` (same exit codes as every command: 0 done, 1 no plan, 2 bad input).
Results go to stdout as tables, or as JSON with ``--json``; ``-o`` files are written atomically.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from rich.console import Console
from rich.markup import escape

from matcher.analysis.diff import diff_plans
from matcher.analysis.explain import CadreExplanation, Explainer, PostExplanation
from matcher.analysis.kpis import district_kpis, plan_kpis
from matcher.analysis.round_changes import round_changes
from matcher.analysis.scenario import Scenario, apply_scenario, carry_pairs
from matcher.model.io import read_round
from matcher.model.io.atomic import write_text
from matcher.model.language import pick, resolve
from matcher.model.messages import Text
from matcher.model.problems import InputProblem, InvalidInput
from matcher.model.resolve import id_by_name
from matcher_cli.arguments import UsageProblem, add_lang, post_ref
from matcher_cli.display import kpi_table, print_diff, print_json, print_no_plan, print_post
from matcher_cli.errors import validation_problems
from matcher_cli.mapping import add_mapping_option, mapping_of
from matcher_cli.solving import plan as solve_plan


def _asked(
    ex: Explainer, args: argparse.Namespace
) -> tuple[list[PostExplanation], list[CadreExplanation]]:
    """The posts and unplaced cadres ``--post`` / ``--cadre`` ask about (default: the gaps)."""
    posts: list[PostExplanation] = []
    cadres: list[CadreExplanation] = []
    rnd, lang = ex.round, ex.lang
    try:
        if args.post:
            name, ptype, slot = args.post
            community = id_by_name(list(rnd.communities), name, "communities", lang)
            posts.append(ex.post(community, ptype, slot, k=args.k, exact=args.exact))
        if args.cadre:
            cadre = id_by_name(list(rnd.cadres), args.cadre, "cadres", lang)
            held = [a for a in ex.result.assignments if a.cadre_id == cadre]
            if held:
                a = held[0]
                posts.append(
                    ex.post(a.community_id, a.post_type, a.slot, k=args.k, exact=args.exact)
                )
            else:
                cadres.append(ex.cadre(cadre))
    except ValueError as exc:
        raise UsageProblem(str(exc)) from None
    except KeyError as exc:
        raise UsageProblem(str(exc).strip("'\"")) from None
    if not args.post and not args.cadre:
        posts = [
            ex.post(a.community_id, a.post_type, a.slot, k=args.k) for a in ex.result.vacancies
        ]
        cadres = ex.unplaced()
    return posts, cadres


def cmd_explain(args: argparse.Namespace, out: Console, err: Console) -> int:
    rnd = read_round(args.round, mapping=mapping_of(args))
    plan = solve_plan(rnd)
    if not plan.result.is_feasible():
        return print_no_plan(plan.result, out, resolve(args.lang, rnd))
    lang = resolve(args.lang, rnd)
    ex = Explainer(rnd, plan.pairs, plan.problem, plan.result, lang=lang)
    posts, cadres = _asked(ex, args)
    payload = {
        "posts": [p.to_dict() for p in posts],
        "unplaced": [c.to_dict() for c in cadres],
        "kpis": plan_kpis(rnd, plan.result).to_dict(),
        "districts": [d.to_dict() for d in district_kpis(rnd, plan.result)],
    }
    if args.output:
        every = {
            **payload,
            "posts": [p.to_dict() for p in ex.plan(k=args.k)],
            "unplaced": [c.to_dict() for c in ex.unplaced()],
        }
        write_text(args.output, json.dumps(every, ensure_ascii=False, indent=1) + "\n")
    if args.json:
        print_json(payload)
        return 0
    for p in posts:
        print_post(p, out, lang, args.technical)
    for c in cadres:
        who = (
            pick(lang, f"{c.name}（{c.title}）", f"{c.name} ({c.title})") if c.name else c.cadre_id
        )
        out.print(f"[bold]{escape(who)}[/]{pick(lang, ' 未安排：', ' has no post: ')}", end="")
        out.print(c.why, markup=False, highlight=False, soft_wrap=True)
    if not posts and not cadres:
        out.print(
            pick(lang, "岗位全部配齐，干部全部安排", "every post is filled and every cadre placed")
        )
    if not args.post and not args.cadre:
        out.print(kpi_table(payload, lang))
    if args.output:
        out.print(pick(lang, f"已写入 {args.output}", f"wrote {args.output}"), markup=False)
    return 0


def cmd_diff(args: argparse.Namespace, out: Console, err: Console) -> int:
    mapping = mapping_of(args)
    a = read_round(args.round, mapping=mapping)
    plan_a = solve_plan(a)
    if args.scenario:
        try:
            scenario = Scenario.model_validate_json(Path(args.scenario).read_text(encoding="utf-8"))
        except OSError as exc:
            raise InvalidInput(
                [InputProblem(str(args.scenario), "", f"cannot read file: {exc}")]
            ) from None
        except ValidationError as exc:
            raise InvalidInput(validation_problems(str(args.scenario), exc)) from None
        b = apply_scenario(a, scenario)
        pairs = None if scenario.add_cadres else carry_pairs(a, plan_a.pairs, b)
    elif args.other:
        b, pairs = read_round(args.other, mapping=mapping), None
    else:
        raise UsageProblem(
            Text(
                "请给出第二个轮次文件，或用 --scenario 指明调整方案文件",
                "give a second round or --scenario FILE",
            )
        )
    plan_b = solve_plan(b, pairs)
    for plan in (plan_a, plan_b):
        if not plan.result.is_feasible():
            return print_no_plan(plan.result, out, resolve(args.lang, a))
    d = diff_plans(a, plan_a.result, b, plan_b.result)
    lang = resolve(args.lang, a)
    changes = round_changes(a, b, lang)
    payload = {"round_changes": changes, **d.to_dict()}
    if args.output:
        write_text(args.output, json.dumps(payload, ensure_ascii=False, indent=1) + "\n")
    if args.json:
        print_json(payload)
        return 0
    print_diff(d, args.limit, out, (a, b), changes, lang)
    return 0


def add_parsers(sub: Any) -> None:
    """Register explain and diff on the ``matcher`` sub-parser collection."""
    p = sub.add_parser("explain", help="solve a round and say why each post went as it did")
    p.add_argument("round", help="round: .json, .xlsx or a folder of CSV files")
    p.add_argument(
        "--post",
        type=post_ref,
        metavar="COMMUNITY/TYPE[/N]",
        help="community id or name; TYPE 第一书记/兼职委员 (full-time/part-time); N from 1",
    )
    p.add_argument(
        "--cadre", metavar="ID|NAME", help="explain this cadre's post, or why it has none"
    )
    p.add_argument(
        "--technical", action="store_true", help="also show the objective's view (points)"
    )
    p.add_argument("--exact", action="store_true", help="re-solve once per alternative (exact)")
    p.add_argument("-k", type=int, default=3, help="alternatives per post (default 3)")
    p.add_argument("-o", "--output", metavar="FILE", help="write every post's explanation (JSON)")
    p.add_argument("--json", action="store_true")
    add_lang(p)
    add_mapping_option(p)
    p.set_defaults(run=cmd_explain)

    p = sub.add_parser("diff", help="solve two rounds (or a round and a scenario) and compare")
    p.add_argument("round", help="the base round")
    p.add_argument("other", nargs="?", help="the second round")
    p.add_argument("--scenario", metavar="FILE", help="scenario JSON applied to the base round")
    p.add_argument("--limit", type=int, default=30, help="changed posts shown (default 30)")
    p.add_argument("-o", "--output", metavar="FILE", help="write the diff as JSON")
    p.add_argument("--json", action="store_true")
    add_lang(p)
    add_mapping_option(p)
    p.set_defaults(run=cmd_diff)
