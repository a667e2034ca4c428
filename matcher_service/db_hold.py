"""A server's hold on its database, so a restore can tell that the database is in use.

Every server process takes a *shared* hold at start and keeps it until it stops; a restore
takes the *exclusive* hold without waiting and refuses when it cannot (a server is up), then
keeps it while it writes, so a server starting meanwhile waits for the restore to finish
instead of serving half-restored data. Several servers on one database share the hold.

On SQLite the hold is an ``flock`` on ``<database>.lock`` beside the file (the kernel drops it
when the process dies, so a crash never leaves a stale hold); on PostgreSQL it is a session
advisory lock named after the schema in use, held on a connection of its own (dropped when
that connection closes or its process dies).
"""

from __future__ import annotations

import fcntl
import os
from typing import IO, Any

from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from matcher_service.settings import ServiceSettings

_PG_KEY = "hashtext('matcher-serving:' || current_schema())"


class DatabaseInUse(RuntimeError):
    """A server holds the database (a restore must wait until it is stopped)."""


class Hold:
    """A held claim on one database (shared by servers, exclusive for a restore)."""

    def __init__(self, url: str, exclusive: bool) -> None:
        self.url, self.exclusive = url, exclusive
        self._file: IO[bytes] | None = None
        self._conn: Any = None
        self._engine: Any = None
        path = ServiceSettings(database_url=url).sqlite_path()
        if path is not None:
            self._hold_file(path.with_name(path.name + ".lock"))
        elif url.startswith("postgresql"):
            self._hold_advisory()

    def _hold_file(self, lock: Any) -> None:
        lock.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o600)
        self._file = os.fdopen(fd, "r+b")
        try:
            if self.exclusive:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            else:
                fcntl.flock(fd, fcntl.LOCK_SH)  # waits while a restore runs
        except BlockingIOError:
            self.release()
            raise DatabaseInUse(str(lock)) from None

    def _hold_advisory(self) -> None:
        self._engine = create_engine(self.url, poolclass=NullPool)
        conn = self._engine.connect().execution_options(isolation_level="AUTOCOMMIT")
        self._conn = conn
        if self.exclusive:
            if not conn.execute(text(f"SELECT pg_try_advisory_lock({_PG_KEY})")).scalar():
                self.release()
                raise DatabaseInUse("a server holds the PostgreSQL schema")
        else:
            conn.execute(text(f"SELECT pg_advisory_lock_shared({_PG_KEY})"))

    def release(self) -> None:
        """Give the hold up (closing the file or connection drops the lock)."""
        if self._file is not None:
            self._file.close()
            self._file = None
        if self._conn is not None:
            self._conn.close()
            self._conn = None
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None

    def __enter__(self) -> Hold:
        return self

    def __exit__(self, *_: object) -> None:
        self.release()


def serving(url: str) -> Hold:
    """A server's shared hold (waits while a restore holds the database)."""
    return Hold(url, exclusive=False)


def offline(url: str) -> Hold:
    """The exclusive hold for a restore; :class:`DatabaseInUse` while any server is up."""
    return Hold(url, exclusive=True)
