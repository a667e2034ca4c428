"""An in-memory LRU of response bodies that can never change: a plan, a round version's
canonical JSON, a finished job. Readers get the bytes without a database read or any JSON
work; the bound is on bytes held, so a few large rounds cannot exhaust memory.

Only immutable things go in, so there is nothing to invalidate on a change: a round update
makes a new version (a new key), and a job is cached only once it is finished. Erasing a
round drops everything of it here (:meth:`BodyCache.drop_round`); other server processes
serve a cached body only after one keyed read finds its round still stored
(:func:`matcher_service.deps.read_plan`), so an erasure anywhere is a 404 everywhere at once.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable
from dataclasses import dataclass


@dataclass(frozen=True)
class Cached:
    """A stored body, the round it belongs to (the audit log names it), its ETag, and for a
    round version its (communities, cadres) counts."""

    body: bytes
    round_id: str
    etag: str
    counts: tuple[int, int] = (0, 0)


class BodyCache:
    """Thread-safe, least-recently-used first out once ``max_bytes`` are held."""

    def __init__(self, max_bytes: int = 64 * 1024 * 1024) -> None:
        self.max_bytes = max_bytes
        self._items: OrderedDict[Hashable, Cached] = OrderedDict()
        self._held = 0
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> Cached | None:
        with self._lock:
            hit = self._items.get(key)
            if hit is not None:
                self._items.move_to_end(key)
            return hit

    def put(self, key: Hashable, item: Cached) -> Cached:
        """Keep ``item`` (unless it alone exceeds the bound); return it."""
        if len(item.body) > self.max_bytes:
            return item
        with self._lock:
            old = self._items.pop(key, None)
            if old is not None:
                self._held -= len(old.body)
            self._items[key] = item
            self._held += len(item.body)
            while self._held > self.max_bytes:
                _, dropped = self._items.popitem(last=False)
                self._held -= len(dropped.body)
        return item

    def drop_round(self, round_id: str) -> None:
        """Forget every body of ``round_id`` (its versions, jobs and plans)."""
        with self._lock:
            for key in [k for k, v in self._items.items() if v.round_id == round_id]:
                self._held -= len(self._items.pop(key).body)

    def __len__(self) -> int:
        with self._lock:
            return len(self._items)
