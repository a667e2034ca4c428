"""Running the engine from the command line: a progress bar on stderr, and Ctrl-C that asks
the engine to stop and keep its best plan (a second Ctrl-C aborts)."""

from __future__ import annotations

import logging
import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from matcher.engine.progress import Progress as Report
from matcher.engine.result import Result
from matcher.model.round import Round

log = logging.getLogger("matcher.cli")


@contextmanager
def stop_on_interrupt() -> Iterator[Callable[[], bool]]:
    """First Ctrl-C asks the engine to stop and return its best plan; a second one aborts."""
    stop = threading.Event()
    if threading.current_thread() is not threading.main_thread():
        yield stop.is_set
        return

    def handler(signum: int, frame: object) -> None:
        if stop.is_set():
            raise KeyboardInterrupt
        stop.set()
        log.warning("stopping: the best plan found so far will be kept (Ctrl-C again to abort)")

    previous = signal.signal(signal.SIGINT, handler)
    try:
        yield stop.is_set
    finally:
        signal.signal(signal.SIGINT, previous)


def solve_with_progress(rnd: Round, err: Console) -> Result:
    """Solve ``rnd`` showing the engine's progress on ``err``; Ctrl-C keeps the best plan."""
    from geodata.pipeline import run_round  # heavy (geodata, OR-Tools): only when solving

    columns = (TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn())
    with Progress(*columns, console=err, transient=True) as bar, stop_on_interrupt() as stop:
        task = bar.add_task("starting", total=100)

        def report(p: Report) -> None:
            text = f"{p.phase}: {p.message}" if p.message else p.phase
            if p.objective is not None:
                text += f" (objective {p.objective})"
            bar.update(task, description=text, completed=round(100 * p.fraction))
            log.info("%s", text)

        return run_round(rnd, progress=report, should_stop=stop).result


def plan(rnd: Round, pairs: Any = None) -> Any:
    """The whole geodata.pipeline.Plan of ``rnd`` (round, pairs, problem, result), quietly."""
    from geodata.pipeline import run_round  # heavy (geodata, OR-Tools): only when solving

    return run_round(rnd, pairs=pairs)
