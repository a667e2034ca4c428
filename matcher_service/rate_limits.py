"""Rate limits kept in memory: solves per key (failed authentications are counted in the
database instead, shared by every process: :mod:`matcher_service.auth_failures`). A sliding
window: at most ``limit`` events in any ``window_s`` seconds (a fixed
window would let a caller double its tries across a boundary, and made the limit's tests depend
on where the clock stood). Bounded memory: each key keeps at most ``limit`` timestamps, and at
most ``max_keys`` keys are kept; when they are all active, further keys share one "other" log
(so a caller inventing keys slows only the inventors, never grows memory). Per server process:
several processes each keep their own counts."""

from __future__ import annotations

import math
import threading
import time
from collections import deque

OTHER = "other"


class RateLimiter:
    """At most ``limit`` events per ``window_s`` seconds per key (sliding window)."""

    def __init__(self, limit: int, window_s: float = 60.0, max_keys: int = 10_000) -> None:
        self.limit, self.window_s, self.max_keys = limit, window_s, max_keys
        self._events: dict[str, deque[float]] = {}  # key -> its latest event times, oldest first
        self._lock = threading.Lock()

    def _live(self, log: deque[float], now: float) -> bool:
        return bool(log) and now - log[-1] < self.window_s

    def _key(self, key: str, now: float) -> str:
        if key in self._events or len(self._events) < self.max_keys:
            return key
        self._events = {k: v for k, v in self._events.items() if self._live(v, now)}
        return key if len(self._events) < self.max_keys else OTHER

    def retry_after(self, key: str) -> int | None:
        """Seconds until ``key`` may act again, or None when it is within its limit."""
        now = time.monotonic()
        with self._lock:
            log = self._events.get(key)
            if log is None and len(self._events) >= self.max_keys:
                log = self._events.get(OTHER)
            if log is None or len(log) < self.limit:
                return None
            age = now - log[0]  # the oldest of the last ``limit`` events
        if age >= self.window_s:
            return None
        return max(1, math.ceil(self.window_s - age))

    def hit(self, key: str) -> None:
        """Count one event for ``key``."""
        now = time.monotonic()
        with self._lock:
            k = self._key(key, now)
            log = self._events.get(k)
            if log is None:
                log = self._events[k] = deque(maxlen=max(1, self.limit))
            log.append(now)
