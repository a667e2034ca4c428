"""One database: its engine and transactions, which each part of the store builds on."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Self

from sqlalchemy import Engine, text
from sqlalchemy.orm import Session, sessionmaker

from matcher_service.store.round_heads import RoundHeads
from matcher_service.tables import make_engine

QUEUE_LOCK = 0x6D61_7463_6871  # advisory lock around "count queued jobs, then add one"


class Database:
    """An engine and its sessions. Safe to use from threads; each process makes its own."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        # A local SQLite file answers a keyed read in tens of microseconds, less than a hop to a
        # thread costs; callers may run such reads on the event loop (see
        # matcher_service.deps.quick).
        self.local = engine.dialect.name == "sqlite"
        # PostgreSQL: the per-request round-head read runs on the event loop, batched (a
        # thread hop cost 80 % of it under load; see matcher_service.store.round_heads).
        self.heads = RoundHeads(engine) if engine.dialect.name == "postgresql" else None
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    @classmethod
    def connect(cls, url: str) -> Self:
        return cls(make_engine(url))

    def close(self) -> None:
        if self.heads is not None:
            self.heads.close()
        self.engine.dispose()

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session inside one transaction (committed on leaving, rolled back on error)."""
        with self._sessions.begin() as s:
            yield s

    @contextmanager
    def writing(self, lock: int | None = None) -> Iterator[Session]:
        """A session for a read-then-write transaction that must not race another writer.

        SQLite ignores ``SELECT … FOR UPDATE``; a deferred transaction that reads and then
        writes either loses to a concurrent writer (SQLITE_BUSY) or decides on a stale read.
        ``BEGIN IMMEDIATE`` takes the write lock first, so writers queue (busy timeout) and
        each sees the last one's commit. On PostgreSQL callers lock rows ``FOR UPDATE``, or
        name a ``lock`` (a transaction-scoped advisory lock) when a decision depends on rows
        that do not exist yet, such as a count of queued jobs.
        """
        with self._sessions.begin() as s:
            if self.local:
                s.execute(text("BEGIN IMMEDIATE"))
            elif lock is not None and self.engine.dialect.name == "postgresql":
                s.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": lock})
            yield s


def changed(res: Any) -> bool:
    """Did an UPDATE touch a row? (``execute`` is typed as returning a plain Result.)"""
    return bool(res.rowcount)
