"""Validated rounds kept by version, so replacing or approving a plan does not parse its
round again: a Datong round takes ≈ 0.3–0.5 s to validate from JSON, a province one seconds.

A round version never changes (an update makes a new version) and :class:`Round` is frozen,
so a parsed version can be shared by every request. Before any hit the caller reads the
round's head from the database (:func:`matcher_service.deps.parsed_round`): an erased round
is a 404 there and is never served from here; erasing also drops its entries
(:meth:`ParsedRounds.drop_round`). Bounded by count: a province round is ≈ 0.3 GB of objects.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

from matcher.model.round import Round


class ParsedRounds:
    """Thread-safe LRU of ``(round id, version) → Round``."""

    def __init__(self, max_items: int = 4) -> None:
        self.max_items = max_items
        self._items: OrderedDict[tuple[str, int], Round] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, round_id: str, version: int) -> Round | None:
        with self._lock:
            hit = self._items.get((round_id, version))
            if hit is not None:
                self._items.move_to_end((round_id, version))
            return hit

    def put(self, round_id: str, version: int, rnd: Round) -> Round:
        with self._lock:
            self._items[(round_id, version)] = rnd
            self._items.move_to_end((round_id, version))
            while len(self._items) > self.max_items:
                self._items.popitem(last=False)
        return rnd

    def drop_round(self, round_id: str) -> None:
        """Forget every version of ``round_id``."""
        with self._lock:
            for key in [k for k in self._items if k[0] == round_id]:
                del self._items[key]

    def __len__(self) -> int:
        with self._lock:
            return len(self._items)
