"""Text a round may hold: no control characters, no lone surrogates, no non-characters.

A NUL cannot be stored in PostgreSQL, control characters cannot be written to an XLSX roster,
and a lone surrogate cannot be encoded as UTF-8 at all; SQLite would take some of them and fail
later, on export. So they are refused at the boundary, the same way for every source and
database, with the path of each string that holds one (tab, line feed and carriage return are
ordinary text and stay).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# The same characters as json.dumps(..., ensure_ascii=False) writes them: escaped control
# characters (\u00XX, \b, \f) after an even number of backslashes, raw surrogates/non-characters.
# A cheap first look (starts with a literal, so it runs at memory speed): the exact pattern
# below can only match where this one does.
_MAYBE_IN_JSON = re.compile(r"\\(?:u00[01]|[bf])|[\ud800-\udfff\ufffe\uffff]")
_IN_JSON = re.compile(r"(?<!\\)(?:\\\\)*\\(?:u00[01][0-9a-fA-F]|b|f)|[\ud800-\udfff\ufffe\uffff]")


# In the source text of a JSON file, how a forbidden character can arrive: as an escape
# (\u0000–\u001f, \b, \f, a surrogate \ud800–\udfff, \ufffe, \uffff; an escaped backslash
# before "b" or "u00.." matches too, and only costs the full check), or raw as U+FFFE/U+FFFF.
# Raw control characters are refused by the JSON parser itself, and raw surrogates cannot come
# out of a strict UTF-8 decoding.
_ESCAPE_IN_SOURCE = re.compile(
    r"\\(?:u(?:00[01][0-9a-fA-F]|[dD][89a-fA-F][0-9a-fA-F]{2}|[fF]{3}[eEfF])|[bf])"
)


def json_source_clean(text: str) -> bool:
    """True when ``text``, JSON decoded strictly from UTF-8 and accepted by ``json.loads``,
    cannot hold a forbidden character in any string or key once parsed: then
    :func:`forbidden_text` has nothing to find and the round's reader skips it (a scan of the
    text is far cheaper than serialising the parsed round again)."""
    if "\ufffe" in text or "\uffff" in text:
        return False
    return "\\" not in text or _ESCAPE_IN_SOURCE.search(text) is None


def describe(text: str) -> str:
    """What is wrong with ``text``, naming the first forbidden character and its position."""
    m = FORBIDDEN.search(text)
    if m is None:
        return ""
    return (
        f"contains the control character U+{ord(m.group()):04X} at position {m.start() + 1}; "
        "remove it (only tab and line breaks are allowed in text)"
    )


def forbidden_text(raw: Any) -> Iterator[tuple[list[str | int], str]]:
    """``(path, reason)`` for every string (value or key) in ``raw`` holding a forbidden
    character; one fast scan of the serialised data first, the walk only when it finds one."""
    try:
        dumped = json.dumps(raw, ensure_ascii=False, default=str)
    except (TypeError, ValueError, RecursionError):
        dumped = "\\b"  # cannot tell quickly: walk
    if _MAYBE_IN_JSON.search(dumped) is None or _IN_JSON.search(dumped) is None:
        return
    yield from _walk(raw, [])


def _walk(value: Any, path: list[str | int]) -> Iterator[tuple[list[str | int], str]]:
    if isinstance(value, str):
        if FORBIDDEN.search(value):
            yield path, describe(value)
    elif isinstance(value, dict):
        for key, item in value.items():
            if isinstance(key, str) and FORBIDDEN.search(key):
                yield [*path, key], "the field name " + describe(key)
            yield from _walk(item, [*path, str(key)])
    elif isinstance(value, list | tuple):
        for i, item in enumerate(value):
            yield from _walk(item, [*path, i])


def clean(text: str) -> str:
    """``text`` without forbidden characters (for writing text stored before they were
    refused: an export must never fail on it)."""
    return FORBIDDEN.sub("", text)
