"""Rate limits kept in memory: failed authentications per presented key and per client, and
solves per key. Fixed one-minute windows, bounded memory: at most ``max_keys`` counters; when
they are all taken by the current window, further keys share one "other" counter (so a caller
inventing keys slows only the inventors, never grows memory). Per server process: several
processes each keep their own counts."""

from __future__ import annotations

import math
import threading
import time

OTHER = "other"


class RateLimiter:
    """At most ``limit`` events per ``window_s`` seconds per key."""

    def __init__(self, limit: int, window_s: float = 60.0, max_keys: int = 10_000) -> None:
        self.limit, self.window_s, self.max_keys = limit, window_s, max_keys
        self._counts: dict[str, tuple[int, int]] = {}  # key -> (window number, events)
        self._lock = threading.Lock()

    def _window(self) -> int:
        return math.floor(time.monotonic() / self.window_s)

    def _key(self, key: str, window: int) -> str:
        if key in self._counts or len(self._counts) < self.max_keys:
            return key
        self._counts = {k: v for k, v in self._counts.items() if v[0] == window}
        return key if len(self._counts) < self.max_keys else OTHER

    def retry_after(self, key: str) -> int | None:
        """Seconds until ``key`` may act again, or None when it is within its limit."""
        window = self._window()
        with self._lock:
            seen = self._counts.get(key)
            if seen is None and len(self._counts) >= self.max_keys:
                seen = self._counts.get(OTHER)
        if seen is None or seen[0] != window or seen[1] < self.limit:
            return None
        return max(1, math.ceil((window + 1) * self.window_s - time.monotonic()))

    def hit(self, key: str) -> None:
        """Count one event for ``key``."""
        window = self._window()
        with self._lock:
            k = self._key(key, window)
            w, n = self._counts.get(k, (window, 0))
            self._counts[k] = (window, n + 1 if w == window else 1)
