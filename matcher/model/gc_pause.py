"""Bulk reading without the cyclic garbage collector's pauses.

Reading a province (50,000 rows, ~16 cells each) allocates millions of small objects that live
on (cell texts, dicts, models). Each allocation burst triggers the cyclic collector, which
rescans all surviving objects, again and again: measured, that was half the time of reading
the province workbook. Reading creates no reference cycles, so :func:`collector_paused` turns
the collector off for the duration and restores it after (reference counting still frees
everything as usual). Nested use is harmless: only the outermost call re-enables it.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic collector inside the block, if it was running."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
