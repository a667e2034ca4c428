"""The ``matcher`` command: validate, solve, generate and demo assignment rounds.

A thin shell over :mod:`matcher.model.io` (files), :mod:`geodata.pipeline` (solving) and
:mod:`geodata` (scenarios, maps). Exit codes: 0 a plan was found (optimal or feasible), 1 no
plan (the rules conflict, or the run stopped first), 2 bad input (every problem is printed;
``--json`` prints them as JSON), 3 the outputs could not be written (the previous ones are
kept). Outputs are built in a temporary folder beside OUTDIR and renamed into place only when
the run completes. Progress goes to stderr; results and problems to stdout.

Modules: :mod:`matcher_cli.round_commands` (validate, solve, generate, demo),
:mod:`matcher_cli.what_if` (explain, diff), :mod:`matcher_cli.sweep` (sweep),
:mod:`matcher_cli.replace` (replace: mid-term adjustments with fewest moves; rotate),
:mod:`matcher_cli.vet` (vet: the vetting departments' sheets into a round),
:mod:`matcher_cli.mapping` (map: every column's role; the ``--mapping`` option),
:mod:`matcher_cli.practices` (mentors, exchange postings, joint committees),
:mod:`matcher_cli.outputs` (what a solve writes), :mod:`matcher_cli.arguments` (argument types),
:mod:`matcher_cli.display` (tables, JSON), :mod:`matcher_cli.solving` (progress bar, Ctrl-C),
:mod:`matcher_cli.errors` (every problem in Chinese first, argparse's too) and
:mod:`matcher_cli.engine_notes` (the engine's notes in a department's words).
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

from rich.console import Console

from matcher.model.language import parse_lang
from matcher.model.messages import Lang, Text
from matcher.model.problems import InvalidInput
from matcher_cli import mapping, practices, replace, round_commands, sweep, vet, what_if
from matcher_cli.display import print_problems
from matcher_cli.errors import CommandParser, UsageProblem, os_words
from matcher_cli.outputs import OUTPUTS
from matcher_cli.solving import stop_on_interrupt

__all__ = ["OUTPUTS", "main", "parser", "stop_on_interrupt"]


def parser() -> argparse.ArgumentParser:
    """The argument parser (exposed for docs and tests)."""
    top = CommandParser(prog="matcher", description=__doc__.split("\n\n")[0])
    top.add_argument("-v", "--verbose", action="count", default=0, help="log more (-vv: debug)")
    sub = top.add_subparsers(dest="command", required=True)
    round_commands.add_parsers(sub)  # validate, solve, generate, demo
    what_if.add_parsers(sub)  # explain, diff
    sweep.add_parser(sub)
    replace.add_parser(sub)  # replace (mid-term adjustments)
    replace.add_rotate_parser(sub)  # rotate (next round from an approved plan)
    vet.add_parser(sub)  # vet (departments' clearance sheets)
    mapping.add_parser(sub)  # map (every column's role, 列的识别)
    practices.add_parser(sub)  # mentors, exchange postings, joint committees
    return top


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code (see module docstring)."""
    words = list(sys.argv[1:] if argv is None else argv)
    try:
        args = parser().parse_args(words)
    except UsageProblem as exc:  # argparse's complaint, in the language the line asks for
        print_problems([exc.problem()], "--json" in words, Console(), _asked_lang(words))
        return 2
    level = (logging.WARNING, logging.INFO, logging.DEBUG)[min(args.verbose, 2)]
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")
    out, err = Console(), Console(stderr=True)
    lang = getattr(args, "lang", None) or "zh"  # Chinese first unless English is asked for
    try:
        code: int = args.run(args, out, err)
    except InvalidInput as exc:
        print_problems(exc.problems, args.json, out, lang)
        return 2
    except (UsageProblem, FileExistsError, NotADirectoryError) as exc:
        said = exc if isinstance(exc, UsageProblem) else UsageProblem(str(exc))
        print_problems([said.problem()], args.json, out, lang)
        return 2
    except OSError as exc:  # disk full, permission denied: the old outputs are kept
        text = Text(
            f"无法写出结果（{os_words(str(exc))}）{exc.filename or ''}；原有结果保持不变",
            f"error: could not write outputs: {exc}",
        )
        err.print(text.pick(_lang(lang)), markup=False, highlight=False)
        return 3
    return code


def _lang(text: str) -> Lang:
    return "en" if text == "en" else "zh"


def _asked_lang(words: list[str]) -> Lang:
    """The ``--lang`` a command line asks for, read before (or without) parsing it."""
    for i, w in enumerate(words):
        value = w.partition("=")[2] if w.startswith("--lang=") else None
        if w == "--lang" and i + 1 < len(words):
            value = words[i + 1]
        try:
            if value is not None and parse_lang(value) == "en":
                return "en"
        except ValueError:
            continue
    return "zh"
