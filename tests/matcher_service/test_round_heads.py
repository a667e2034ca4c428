"""Round heads read on the event loop in batches (PostgreSQL): concurrent reads share a query,
a read never answers from a query sent before it arrived, and a failing connection falls
back to the pooled read."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest

from matcher_service.migrate import upgrade
from matcher_service.store import NotFound, Store

pg = pytest.mark.postgres


@pytest.fixture
def store(pg_schema_url: str) -> Iterator[Store]:
    s = Store.connect(pg_schema_url)
    upgrade(s.engine)
    yield s
    s.close()


def _round(store: Store, name: str = "轮次") -> str:
    return store.create_round(name, '{"name":"x"}', (1, 1), "test").id


@pg
def test_concurrent_reads_share_queries(store: Store) -> None:
    """Fifty reads of two rounds at once cost far fewer queries than fifty, and each gets its
    own round's head; an unknown round is NotFound."""
    a, b = _round(store, "甲"), _round(store, "乙")
    assert store.heads is not None

    async def main() -> list[str]:
        heads = await asyncio.gather(*(store.head_now(a if i % 2 else b) for i in range(50)))
        with pytest.raises(NotFound):
            await store.head_now("r_missing")
        return [h.name for h in heads]

    names = asyncio.run(main())
    assert names == ["甲" if i % 2 else "乙" for i in range(50)]
    assert 1 <= store.heads.queries < 50


@pg
def test_one_read_per_request_when_they_do_not_overlap(store: Store) -> None:
    """Reads one after another each send their own query (nothing is answered from memory)."""
    rid = _round(store)
    assert store.heads is not None

    async def main() -> None:
        for _ in range(5):
            await store.head_now(rid)

    asyncio.run(main())
    assert store.heads.queries == 5


@pg
def test_a_read_after_a_change_sees_it(store: Store) -> None:
    """A read that starts after an update or an erasure committed (here: while an earlier
    batch is in flight) sees the new version, then NotFound."""
    rid = _round(store)

    async def main() -> tuple[int, int, bool]:
        loop = asyncio.get_running_loop()
        first = asyncio.ensure_future(store.head_now(rid))
        await asyncio.sleep(0)  # its query is on its way
        await loop.run_in_executor(None, store.update_round, rid, "新", "{}", (1, 1), "t")
        second = await store.head_now(rid)
        await loop.run_in_executor(None, store.delete_round, rid)
        try:
            await store.head_now(rid)
        except NotFound:
            gone = True
        else:
            gone = False
        return (await first).version, second.version, gone

    before, after, gone = asyncio.run(main())
    assert before in (1, 2) and after == 2 and gone


@pg
def test_an_older_version_is_checked_through_the_pool(store: Store) -> None:
    """Asking for an older version confirms it exists; a version never stored is NotFound."""
    rid = _round(store)
    store.update_round(rid, "二", "{}", (1, 1), "t")

    async def main() -> int:
        head = await store.head_now(rid, 1)
        with pytest.raises(NotFound):
            await store.head_now(rid, 7)
        return head.version

    assert asyncio.run(main()) == 1


@pg
def test_a_broken_connection_falls_back_to_the_pool(store: Store) -> None:
    """When the loop's connection cannot be made, the read still answers, through the pool,
    and an erased round is still NotFound; the loop path pauses instead of failing again."""
    rid = _round(store)
    assert store.heads is not None
    store.heads._params = {**store.heads._params, "port": 1}  # nothing listens there

    async def main() -> str:
        head = await store.head_now(rid)
        await asyncio.get_running_loop().run_in_executor(None, store.delete_round, rid)
        with pytest.raises(NotFound):
            await store.head_now(rid)
        return head.name

    assert asyncio.run(main()) == "轮次"
    assert store.heads.queries == 0 and not store.heads.enabled  # paused after the failure


def test_sqlite_reads_inline(tmp_path: Path) -> None:
    """A local SQLite file has no batched reader: its reads are inline and still exact."""
    s = Store.connect(f"sqlite:///{tmp_path}/m.sqlite3")
    upgrade(s.engine)
    try:
        assert s.heads is None
        rid = _round(s)
        assert asyncio.run(s.head_now(rid)).version == 1
        s.delete_round(rid)
        with pytest.raises(NotFound):
            asyncio.run(s.exists_now(rid))
    finally:
        s.close()
