"""The cyclic garbage collector paused while a round is measured and solved.

A province round is some 700,000 Python objects (pydantic models of 40,000 cadres and
10,000 communities). Each full collection walks all of them (≈ 1 s on a busy core), and the
interpreter starts one whenever enough new containers were allocated — which building pairs,
problem arrays and 30,000 assignments does several times per solve, with no cycle to free:
the arrays are numpy buffers and the round is immutable. Pausing the collector for the solve
removes those walks; reference counting still frees everything that is not a cycle, and the
collector runs again as usual afterwards.

Process-wide (the collector is), so nested and concurrent pauses (service threads) count:
the collector comes back when the last one ends, and only if it was on before the first.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_depth = 0
_was_enabled = False


@contextmanager
def collector_paused() -> Iterator[None]:
    """Run the body with the cyclic garbage collector off (see module docstring)."""
    global _depth, _was_enabled
    with _lock:
        if _depth == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0 and _was_enabled:
                gc.enable()
