"""Argument types of the ``matcher`` command, and the error for mistakes found after parsing."""

from __future__ import annotations

import argparse


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
    """``COMMUNITY/full-time`` or ``COMMUNITY/part-time[/SLOT]`` → (community, type, slot)."""
    parts = text.split("/")
    if len(parts) not in (2, 3) or parts[1] not in ("full-time", "part-time"):
        raise argparse.ArgumentTypeError(
            f"post must be COMMUNITY/full-time or COMMUNITY/part-time[/SLOT], got {text!r}"
        )
    return parts[0], parts[1], int(parts[2]) if len(parts) == 3 else 0


def ints(text: str) -> list[int]:
    """Comma-separated integers, e.g. ``0,50,100``."""
    try:
        return [int(v) for v in text.split(",") if v.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected comma-separated integers, got {text!r}"
        ) from None
