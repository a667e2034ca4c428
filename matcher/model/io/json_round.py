"""The JSON round file: read (with located syntax errors) and write (atomically)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from matcher.model.io.atomic import write_text
from matcher.model.io.json_text import dumps_indented
from matcher.model.problems import InputProblem, InvalidInput
from matcher.model.round import Round
from matcher.model.text import json_source_clean
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
    return _parse_text(_decode(data, source), source)


def _decode(data: bytes, source: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidInput(
            [InputProblem(source, f"byte {exc.start}", "not UTF-8 text (JSON must be UTF-8)")]
        ) from None


def _parse_text(text: str, source: str) -> Any:
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
    try:
        data = path.read_bytes()
    except OSError as exc:
        problem = InputProblem(str(path), "", f"cannot read file: {exc.strerror}")
        raise InvalidInput([problem]) from None
    text = _decode(data, str(path))
    del data
    raw = _parse_text(text, str(path))
    clean = json_source_clean(text)  # then no string can hold a control character
    del text  # tens of MB at province scale: not kept through validation
    return validate_round_report(raw, Origin(str(path)), text_checked=clean)


def round_json(round: Round) -> str:
    """The canonical JSON text of a round (UTF-8, Chinese kept readable, 2-space indent)."""
    return dumps_indented(round.model_dump(mode="json")) + "\n"


def write_round_json(round: Round, path: str | Path) -> None:
    """Write a round as a JSON round file, atomically."""
    write_text(path, round_json(round))
