"""Argument types of the ``matcher`` command, and the error for mistakes found after parsing."""

from __future__ import annotations

import argparse
import unicodedata

from matcher.engine.result import FIRST_SLOT, check_slot
from matcher.model.io.cells import parse_enum
from matcher.model.language import parse_lang


class UsageProblem(Exception):
    """A command-line mistake found after parsing (e.g. OUTDIR holds foreign files): exit 2."""


def positive_seconds(text: str) -> float:
    """A time limit: a positive number of seconds."""
    value = float(text)
    if not value > 0:
        raise argparse.ArgumentTypeError(f"must be a positive number of seconds, got {text}")
    return value


def engine_seed(text: str) -> int:
    """A seed the engines accept (0 … 2**31-1)."""
    value = int(text)
    if not 0 <= value <= 2**31 - 1:
        raise argparse.ArgumentTypeError(f"seed must be between 0 and 2**31-1, got {text}")
    return value


def post_ref(text: str) -> tuple[str, str, int]:
    """``COMMUNITY/full-time`` or ``COMMUNITY/part-time[/SLOT]`` → (community, type, slot);
    SLOT counts from 1 as in the roster (default 1); 0, the old numbering, is refused. The
    type may be written as clerks write it (脱产, 非脱产, 专职, 兼职), in full-width too."""
    parts = unicodedata.normalize("NFKC", text).split("/")
    if len(parts) in (2, 3):
        parts[1] = parse_enum("post_type", parts[1])
    if len(parts) not in (2, 3) or parts[1] not in ("full-time", "part-time"):
        raise argparse.ArgumentTypeError(
            f"post must be COMMUNITY/full-time or COMMUNITY/part-time[/SLOT], got {text!r}"
        )
    if len(parts) == 2:
        return parts[0], parts[1], FIRST_SLOT
    try:
        slot = int(parts[2])
        check_slot(slot)
    except ValueError as exc:
        why = str(exc) if parts[2].strip().lstrip("-").isdigit() else f"{parts[2]!r} is no number"
        raise argparse.ArgumentTypeError(f"post {text!r}: {why}") from None
    return parts[0], parts[1], slot


def ints(text: str) -> list[int]:
    """Comma-separated integers, e.g. ``0,50,100``."""
    try:
        return [int(v) for v in unicodedata.normalize("NFKC", text).split(",") if v.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected comma-separated integers, got {text!r}"
        ) from None


def language(text: str) -> str:
    """``--lang``: zh (中文) or en."""
    try:
        found = parse_lang(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    if found is None:
        raise argparse.ArgumentTypeError("expected zh or en")
    return found


def add_lang(parser: argparse.ArgumentParser) -> None:
    """The ``--lang zh|en`` option (default: the round's own language)."""
    parser.add_argument(
        "--lang",
        type=language,
        default=None,
        metavar="zh|en",
        help="language of outputs and tables (default: the round's language)",
    )
