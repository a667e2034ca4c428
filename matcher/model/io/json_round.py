"""The JSON round file: read (with located syntax errors) and write (atomically)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from matcher.model.io.atomic import write_text
from matcher.model.problems import InputProblem, InvalidInput
from matcher.model.round import Round
from matcher.model.validate import Origin, validate_round_report


def load_json(path: Path) -> Any:
    """Parse a JSON file; unreadable files and syntax errors become :class:`InvalidInput`."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        problem = InputProblem(str(path), "", f"cannot read file: {exc.strerror}")
        raise InvalidInput([problem]) from None
    return parse_json(data, str(path))


def parse_json(data: bytes, source: str) -> Any:
    """Parse JSON text; every failure is an :class:`InvalidInput` naming ``source`` and, for a
    syntax error, its line and column. Nesting deeper than the parser's stack and integers
    longer than Python converts (4,300 digits) are refused the same way, never raised raw."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidInput(
            [InputProblem(source, f"byte {exc.start}", "not UTF-8 text (JSON must be UTF-8)")]
        ) from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        where = f"line {exc.lineno}, column {exc.colno}"
        raise InvalidInput([InputProblem(source, where, f"invalid JSON: {exc.msg}")]) from None
    except RecursionError:
        problem = InputProblem(source, "", "invalid JSON: nested too deep")
        raise InvalidInput([problem]) from None
    except ValueError as exc:  # e.g. an integer of more than 4,300 digits
        raise InvalidInput([InputProblem(source, "", f"invalid JSON: {exc}")]) from None


def read_round_json(path: str | Path) -> Round:
    """Read and validate a JSON round file (shape: ``docs/round.md``)."""
    return read_round_json_report(path)[0]


def read_round_json_report(path: str | Path) -> tuple[Round, list[InputProblem]]:
    """As :func:`read_round_json`, and the warnings."""
    path = Path(path)
    return validate_round_report(load_json(path), Origin(str(path)))


def round_json(round: Round) -> str:
    """The canonical JSON text of a round (UTF-8, Chinese kept readable, 2-space indent)."""
    return json.dumps(round.model_dump(mode="json"), ensure_ascii=False, indent=2) + "\n"


def write_round_json(round: Round, path: str | Path) -> None:
    """Write a round as a JSON round file, atomically."""
    write_text(path, round_json(round))
