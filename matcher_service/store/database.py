"""One database: its engine and transactions, which each part of the store builds on."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Self

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from matcher_service.tables import make_engine


class Database:
    """An engine and its sessions. Safe to use from threads; each process makes its own."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        # A local SQLite file answers a keyed read in tens of microseconds, less than a hop to a
        # thread costs; callers may run such reads on the event loop (see
        # matcher_service.deps.quick).
        self.local = engine.dialect.name == "sqlite"
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    @classmethod
    def connect(cls, url: str) -> Self:
        return cls(make_engine(url))

    def close(self) -> None:
        self.engine.dispose()

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session inside one transaction (committed on leaving, rolled back on error)."""
        with self._sessions.begin() as s:
            yield s


def changed(res: Any) -> bool:
    """Did an UPDATE touch a row? (``execute`` is typed as returning a plain Result.)"""
    return bool(res.rowcount)
