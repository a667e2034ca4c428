"""Parallel writers on the store, on SQLite and on PostgreSQL: version numbers never collide,
a stale If-Match is refused, the queue bound holds under a race, and a change's audit row lands
in the change's transaction (or not at all)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from matcher_service.migrate import upgrade
from matcher_service.store import AuditEntry, QueueFull, Stale, Store, now


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path}/store.sqlite3"
    else:
        url = request.getfixturevalue("pg_schema_url")
    s = Store.connect(url)
    upgrade(s.engine)
    yield s
    s.close()


def parallel(n: int, fn: Callable[[int], Any]) -> list[Any]:
    """Run ``fn(0..n-1)`` on ``n`` threads at once; each outcome is a value or the exception."""

    def guarded(i: int) -> Any:
        try:
            return fn(i)
        except Exception as exc:
            return exc

    with ThreadPoolExecutor(n) as ex:
        return list(ex.map(guarded, range(n)))


def entry(action: str) -> AuditEntry:
    return AuditEntry(0, now(), "alice", "k1", "planner", action, "PUT", "/rounds/{id}", None, 200)


def test_parallel_updates_get_distinct_versions(store: Store) -> None:
    """20 blind updates at once: all succeed, versions 2..21, each body kept once."""
    rid = store.create_round("a", '{"v": 0}', (0, 0), "alice").id
    out = parallel(20, lambda i: store.update_round(rid, "a", f'{{"v": {i + 1}}}', (0, 0), "b"))
    assert not [o for o in out if isinstance(o, Exception)]
    assert sorted(o.version for o in out) == list(range(2, 22))
    bodies = {store.get_round(rid, v).body for v in range(2, 22)}
    assert bodies == {f'{{"v": {i}}}' for i in range(1, 21)}


def test_if_match_lets_exactly_one_of_the_racers_win(store: Store) -> None:
    """Eight writers that all read version 1: one writes version 2, seven are Stale."""
    rid = store.create_round("a", "{}", (0, 0), "alice").id
    out = parallel(8, lambda i: store.update_round(rid, "a", "{}", (0, 0), "b", {1}))
    assert sum(not isinstance(o, Exception) for o in out) == 1
    assert all(o.current == 2 for o in out if isinstance(o, Stale))
    assert store.get_round(rid).version == 2


def test_if_match_binds_and_does_not(store: Store) -> None:
    """A current expected version writes; a stale one is refused and stores nothing."""
    rid = store.create_round("a", "{}", (0, 0), "alice").id
    assert store.update_round(rid, "b", "{}", (0, 0), "bob", {1}).version == 2
    with pytest.raises(Stale) as refused:
        store.update_round(rid, "c", "{}", (0, 0), "bob", {1}, audit=entry("rounds.update"))
    assert refused.value.current == 2 and store.get_round(rid).name == "b"
    assert store.list_audit() == []  # the refused change left no audit row of its own


def test_parallel_solves_stop_at_the_queue_bound(store: Store) -> None:
    """40 jobs queued at once with a limit of 16: exactly 16 accepted, 24 QueueFull."""
    rid = store.create_round("a", "{}", (0, 0), "alice").id
    out = parallel(40, lambda i: store.create_job(rid, "alice", 60.0, queue_limit=16))
    assert sum(isinstance(o, QueueFull) for o in out) == 24
    assert len(store.list_jobs(states=("queued",))) == 16


def test_a_changes_audit_row_is_written_with_it(store: Store) -> None:
    """Creating a round, updating it, queueing and cancelling a job each write their audit
    row in their own transaction; a created round's row names the new round."""
    info = store.create_round("a", "{}", (0, 0), "alice", audit=entry("rounds.create"))
    store.update_round(info.id, "a", "{}", (0, 0), "alice", audit=entry("rounds.update"))
    job = store.create_job(info.id, "alice", 60.0, 5, audit=entry("jobs.start"))
    store.request_cancel(job.id, audit=entry("jobs.cancel"))
    rows = store.list_audit()
    assert [r.action for r in rows] == [
        "jobs.cancel",
        "jobs.start",
        "rounds.update",
        "rounds.create",
    ]
    assert rows[-1].round_id == info.id and rows[0].status == 200  # a queued job: cancelled now
