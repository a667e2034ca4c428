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
:mod:`matcher_cli.display` (tables, JSON) and :mod:`matcher_cli.solving` (progress bar, Ctrl-C).
"""

from __future__ import annotations

import argparse
import logging
from collections.abc import Sequence

from rich.console import Console

from matcher.model.problems import InputProblem, InvalidInput
from matcher_cli import mapping, practices, replace, round_commands, sweep, vet, what_if
from matcher_cli.arguments import UsageProblem
from matcher_cli.display import print_problems
from matcher_cli.outputs import OUTPUTS
from matcher_cli.solving import stop_on_interrupt

__all__ = ["OUTPUTS", "main", "parser", "stop_on_interrupt"]


def parser() -> argparse.ArgumentParser:
    """The argument parser (exposed for docs and tests)."""
    top = argparse.ArgumentParser(prog="matcher", description=__doc__.split("\n\n")[0])
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
    args = parser().parse_args(argv)
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
        where = "命令行" if lang != "en" else "command line"
        print_problems([InputProblem(where, "", str(exc))], args.json, out, lang)
        return 2
    except OSError as exc:  # disk full, permission denied: the old outputs are kept
        err.print(f"error: could not write outputs: {exc}", markup=False, highlight=False)
        return 3
    return code
