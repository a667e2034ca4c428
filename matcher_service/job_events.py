"""Wake-ups for job event streams: "job X changed" notes from the workers reach the streams
waiting on X at once, so a stream need not poll the database often to notice a finish.

Notes arrive on a thread (the pool's relay); waiters live on the event loop. A note is only a
hint — the stream always re-reads the job row, and still polls now and then for jobs run by
another service process.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from contextlib import contextmanager, suppress


class JobEvents:
    """Per-job asyncio events, set from any thread by :meth:`notify`."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop
        self._waiting: dict[str, set[asyncio.Event]] = {}

    def notify(self, job_id: str) -> None:
        """Thread-safe: wake every stream following ``job_id``."""
        self._loop.call_soon_threadsafe(self._set, job_id)

    def _set(self, job_id: str) -> None:
        for event in self._waiting.get(job_id, ()):
            event.set()

    @contextmanager
    def subscribe(self, job_id: str) -> Iterator[asyncio.Event]:
        """An event set whenever ``job_id`` changes (clear it after each wake-up)."""
        event = asyncio.Event()
        self._waiting.setdefault(job_id, set()).add(event)
        try:
            yield event
        finally:
            waiting = self._waiting.get(job_id)
            if waiting is not None:
                waiting.discard(event)
                if not waiting:
                    del self._waiting[job_id]


async def changed(event: asyncio.Event, timeout_s: float) -> None:
    """Wait until ``event`` is set or ``timeout_s`` passed, then clear it."""
    with suppress(TimeoutError):
        await asyncio.wait_for(event.wait(), timeout_s)
    event.clear()
