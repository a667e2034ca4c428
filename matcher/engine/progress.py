"""Progress reports and cooperative cancellation, shared by the CLI, the service and sweeps.

The engine calls ``progress(Progress(...))`` at phase changes and when a better plan or bound
is found, and polls ``should_stop()``; when it returns True the engine stops and returns the
best plan found so far (status ``feasible`` or ``unknown``), never raising.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Progress:
    """One progress report. ``fraction`` is a rough 0..1 share of the work done."""

    phase: str
    fraction: float
    message: str = ""
    objective: int | None = None
    bound: float | None = None


ProgressCallback = Callable[[Progress], None]
StopCheck = Callable[[], bool]


def no_progress(_: Progress) -> None:
    """Default callback: report nothing."""


def never_stop() -> bool:
    """Default stop check: run to the end."""
    return False
