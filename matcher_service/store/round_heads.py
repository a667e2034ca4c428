"""Round heads read on the event loop, one query per batch of concurrent requests (PostgreSQL).

Every read of a round (or of a job or plan served from memory) first asks the database whether
the round still exists and which version is current, so a round erased or changed through any
server process is never served stale. On PostgreSQL that one keyed read cost 40–230 ms under
50 concurrent readers although the query itself takes well under a millisecond: measured in
the server, 80 % of it was the hop to a thread-pool thread and back (queueing for one of 40
threads, then each thread waiting for the interpreter lock on every step: pool checkout,
``pool_pre_ping``, the query, the rollback on return), see ``benchmarks/results.md``.

Here the read never leaves the event loop: one asynchronous psycopg connection per process,
autocommit, one prepared statement. Requests that arrive while a query is in flight wait for
the next one, which then asks for all of their round ids at once (``id = ANY(...)``). A
request is answered only by a query *sent after it arrived*, so it sees every change committed
before it arrived, exactly as its own query would: an erasure through another process is a
404 here at once. Any failure of this path (connection lost, server restarted) makes the
caller fall back to the ordinary pooled read, so it can only be faster, never less correct.
"""

from __future__ import annotations

import asyncio
import os
import time
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Engine

Row = tuple[str, str, int, datetime, datetime, str]  # id, name, version, created, updated, by

_QUERY = (
    "SELECT id, name, version, created_at, updated_at, created_by FROM rounds WHERE id = ANY(%s)"
)
#: ``threads`` turns this path off (benchmarks compare it with the pooled read in one run).
SWITCH = "MATCHER_ROUND_HEADS"
#: Queries in flight at once: a request arriving while all are busy waits for the first to
#: finish, so it waits for about 1 + 1/(2·n) query times instead of 1.5 with one connection.
CONNECTIONS = 4
#: After a failure, reads go through the pool for this long before the loop path is tried
#: again (a server that refuses it, e.g. behind a pooler without prepared statements, costs
#: one failed attempt per pause, not one per request).
PAUSE_S = 5.0


@dataclass
class _OnLoop:
    """One event loop's connections and the batch that waits for the next free one."""

    loop: asyncio.AbstractEventLoop
    idle: list[Any] = field(default_factory=list)  # psycopg.AsyncConnection, made on demand
    free: int = 0  # connections not running a query (made or not yet)
    waiting: dict[str, list[asyncio.Future[Row | None]]] = field(default_factory=dict)
    tasks: set[asyncio.Task[None]] = field(default_factory=set)


class RoundHeads:
    """Batched round-head reads on the running event loop (PostgreSQL only)."""

    def __init__(self, engine: Engine, connections: int = CONNECTIONS) -> None:
        _, params = engine.dialect.create_connect_args(engine.url)
        params.pop("context", None)  # SQLAlchemy's adapters, for its own connections
        self._params = params
        self.connections = connections
        self._state: _OnLoop | None = None
        self.queries = 0  # how many queries were sent (tests count batches)
        self.on = os.environ.get(SWITCH, "loop") != "threads"
        self._paused_until = 0.0

    @property
    def enabled(self) -> bool:
        """Is the loop path to be tried (switched on, and not paused after a failure)?"""
        return self.on and time.monotonic() >= self._paused_until

    async def read(self, round_id: str) -> Row | None:
        """The round's row, or None when it is not stored; raises on any database failure
        (the caller then reads through the pool)."""
        loop = asyncio.get_running_loop()
        state = self._state
        if state is None or state.loop is not loop:
            self._drop(state)
            state = self._state = _OnLoop(loop, free=self.connections)
        fut: asyncio.Future[Row | None] = loop.create_future()
        state.waiting.setdefault(round_id, []).append(fut)
        self._dispatch(state)
        return await fut

    def _dispatch(self, state: _OnLoop) -> None:
        """Send the waiting batch on a free connection, if there is one. The batch is taken
        *before* its query is sent, so each query starts after every request it answers
        arrived; requests arriving meanwhile form the next batch."""
        while state.waiting and state.free > 0:
            state.free -= 1
            batch, state.waiting = state.waiting, {}
            task = state.loop.create_task(self._run(state, batch))
            state.tasks.add(task)
            task.add_done_callback(state.tasks.discard)

    async def _run(
        self, state: _OnLoop, batch: dict[str, list[asyncio.Future[Row | None]]]
    ) -> None:
        conn = state.idle.pop() if state.idle else None
        try:
            conn, rows = await self._query(conn, list(batch))
        except Exception as exc:  # the callers fall back to the pooled read
            _shut(conn)
            conn = None
            self._paused_until = time.monotonic() + PAUSE_S
            for futs in batch.values():
                for f in futs:
                    if not f.done():
                        f.set_exception(exc)
        else:
            for rid, futs in batch.items():
                for f in futs:
                    if not f.done():
                        f.set_result(rows.get(rid))
        finally:
            if conn is not None:
                state.idle.append(conn)
            state.free += 1
            self._dispatch(state)

    async def _query(self, conn: Any, ids: list[str]) -> tuple[Any, dict[str, Row]]:
        import psycopg

        if conn is None or conn.closed:
            conn = await psycopg.AsyncConnection.connect(**self._params, autocommit=True)
        try:
            cur = await conn.execute(_QUERY, (ids,), prepare=True)
            found = await cur.fetchall()
        except Exception:
            _shut(conn)
            raise
        self.queries += 1
        return conn, {r[0]: r for r in found}

    def _drop(self, state: _OnLoop | None) -> None:
        if state is not None:
            for conn in state.idle:
                _shut(conn)
            state.idle.clear()

    def close(self) -> None:
        """Close the connections (from any thread: their sockets are simply shut)."""
        self._drop(self._state)
        self._state = None


def _shut(conn: Any) -> None:
    """Close a psycopg connection without awaiting (a dropped or failed one)."""
    if conn is not None and not conn.closed:
        conn.pgconn.finish()
