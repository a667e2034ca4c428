"""Failed authentications: counted in the database, limited per client and per client + key id.

Only failures are limited; a valid key always passes (:mod:`matcher_service.auth` checks every
key cheaply before looking at any count), so an attacker's failures can never lock out the
holder of the key, nor anyone else behind the same address or proxy.

Every failure is one upsert in the ``auth_failures`` table, one row per minute and source
(``"<client> key <key id>"``, or ``"<client> key -"`` without a well-formed key). The counts
are shared by every server process, since they live in the database. Limits look at the current
and the previous minute: a source (client + key id) may fail ``per_key`` times, a client
``per_client`` times over all its key ids; past a limit the answer is 429 with Retry-After and
the attempt is no longer written (so a flood costs one read per attempt, not one write).

The table stays bounded: at most ``sources_per_minute`` sources a minute (counted in the
database, so across processes), the rest under ``"other"`` (whose count is limited like one
client's), and rows older than ``keep_days`` are deleted.
"""

from __future__ import annotations

import math
import threading
from datetime import datetime, timedelta

from matcher_service.rate_limits import OTHER
from matcher_service.store import Store, now


def key_id_of(presented: str | None) -> str | None:
    """The key id in ``mk_<id>_<secret>``, or None for anything else."""
    parts = (presented or "").split("_", 2)
    return parts[1][:32] if len(parts) == 3 and parts[0] == "mk" else None


def source_of(key_id: str | None, client: str) -> str:
    """The row a failure is counted in: the client address and the key id it presented."""
    return f"{client[:45]} key {key_id or '-'}"[:80]


class FailedAuth:
    """Counts failed authentications in the store and says when a caller must wait."""

    def __init__(
        self,
        store: Store,
        per_key: int = 10,
        per_client: int = 60,
        sources_per_minute: int = 100,
        keep_days: int = 7,
    ) -> None:
        self.store = store
        self.per_key, self.per_client = per_key, per_client
        self.sources_per_minute, self.keep_days = sources_per_minute, keep_days
        self._pruned: datetime | None = None
        self._lock = threading.Lock()

    def retry_after(
        self, key_id: str | None, client: str, at: datetime | None = None
    ) -> int | None:
        """Seconds until this client (with this key id) may fail again, or None (a read)."""
        t = at or now()
        minute = t.replace(second=0, microsecond=0)
        source = source_of(key_id, client)
        counts = self.store.auth_failure_counts(minute - timedelta(minutes=1), source, client)
        now_only = self.store.auth_failure_counts(minute, source, client)
        over = [
            (counts[i] >= limit, now_only[i] >= limit)
            for i, limit in enumerate((self.per_key, self.per_client, self.per_client))
        ]
        if not any(window for window, _ in over):
            return None
        # the previous minute leaves the window at the next boundary; the current one later
        into = (t - minute).total_seconds()
        wait = 120 - into if any(current for _, current in over) else 60 - into
        return max(1, math.ceil(wait))

    def failed(self, key_id: str | None, client: str) -> int | None:
        """Count one failure unless the caller is over a limit already; return the seconds
        it must wait (over a limit) or None (blocking: run it in a thread)."""
        t = now()
        wait = self.retry_after(key_id, client, t)
        if wait is not None:
            return wait
        minute = t.replace(second=0, microsecond=0)
        self.store.count_auth_failure(minute, source_of(key_id, client), self.sources_per_minute)
        self._prune(minute)
        return None

    def _prune(self, minute: datetime) -> None:
        """Delete rows older than ``keep_days``, at most once a minute per process."""
        with self._lock:
            if self._pruned == minute:
                return
            self._pruned = minute
        self.store.prune_auth_failures(minute - timedelta(days=self.keep_days))


__all__ = ["OTHER", "FailedAuth", "key_id_of", "source_of"]
