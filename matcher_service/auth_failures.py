"""Failed authentications: slowed down per presented key and per client, and counted.

A key id that fails ``per_key`` times in a minute, or a client address that fails
``per_client`` times, gets 429 (no hashing, no database) until the minute is over. Every
failure is counted in the ``auth_failures`` table by minute and source (client address and
presented key id) — one row per source and minute, at most ``sources_per_minute`` sources a
minute and the rest under "other" — instead of one audit row per attempt, so an unauthenticated
caller can neither fill the audit log nor grow any table faster than that bound.
"""

from __future__ import annotations

import threading
from datetime import datetime

from matcher_service.rate_limits import OTHER, RateLimiter
from matcher_service.store import Store, now


def key_id_of(presented: str | None) -> str | None:
    """The key id in ``mk_<id>_<secret>``, or None for anything else."""
    parts = (presented or "").split("_", 2)
    return parts[1][:32] if len(parts) == 3 and parts[0] == "mk" else None


class FailedAuth:
    """Limits and counts failed authentications."""

    def __init__(
        self,
        store: Store,
        per_key: int = 10,
        per_client: int = 60,
        sources_per_minute: int = 100,
    ) -> None:
        self.store = store
        self.by_key, self.by_client = RateLimiter(per_key), RateLimiter(per_client)
        self.sources_per_minute = sources_per_minute
        self._minute: datetime | None = None
        self._sources: set[str] = set()
        self._lock = threading.Lock()

    def retry_after(self, key_id: str | None, client: str) -> int | None:
        """Seconds the caller must wait, or None when it may try."""
        waits = [self.by_client.retry_after(client)]
        if key_id is not None:
            waits.append(self.by_key.retry_after(key_id))
        found = [w for w in waits if w is not None]
        return max(found) if found else None

    def failed(self, key_id: str | None, client: str) -> None:
        """Count a failure against the key and the client, and in the store (blocking: run
        it in a thread)."""
        self.by_client.hit(client)
        if key_id is not None:
            self.by_key.hit(key_id)
        minute = now().replace(second=0, microsecond=0)
        source = f"{client} key {key_id or '-'}"[:80]
        with self._lock:
            if minute != self._minute:
                self._minute, self._sources = minute, set()
            if source not in self._sources:
                if len(self._sources) >= self.sources_per_minute:
                    source = OTHER
                else:
                    self._sources.add(source)
        self.store.count_auth_failure(minute, source)
