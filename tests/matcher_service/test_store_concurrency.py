"""Parallel writers on the store, on SQLite and on PostgreSQL: version numbers never collide,
a stale If-Match is refused, the queue bound holds under a race, and a change's audit row lands
in the change's transaction (or not at all); claims take each job once and an orphan's fenced
writes are refused."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from matcher_service.migrate import upgrade
from matcher_service.store import AuditEntry, LeaseLost, QueueFull, Stale, Store, now


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


def test_an_orphans_writes_after_interruption_are_refused(store: Store) -> None:
    """Once a job is declared interrupted (lease ran out), its old worker can neither report,
    renew, nor write a plan: the job keeps its one true state."""
    rid = store.create_round("a", "{}", (0, 0), "alice").id
    job = store.create_job(rid, "alice", 60.0, 5)
    token = store.claim_job(job.id, 1, "dead-instance", lease_s=0.0)
    assert token and store.expire_leases() == [job.id]
    assert not store.report_progress(job.id, token, "search", 0.9, "", 1, 1.0)
    assert not store.renew_lease(job.id, token, 30.0)
    with pytest.raises(LeaseLost):
        store.finish_job(job.id, token, "succeeded", {"status": "optimal", "objective": 1})
    after = store.get_job(job.id)
    assert (after.state, after.plan_id, store.list_plans(rid)) == ("interrupted", None, [])


def test_a_renewed_lease_is_not_expired_and_a_wrong_token_writes_nothing(store: Store) -> None:
    """A job whose worker renews its lease is never expired; a write with another token (a
    previous holder) is refused while the holder's own lands."""
    rid = store.create_round("a", "{}", (0, 0), "alice").id
    job = store.create_job(rid, "alice", 60.0, 5)
    token = store.claim_job(job.id, 1, "me", lease_s=0.0)
    assert token and store.renew_lease(job.id, token, 60.0)
    assert store.expire_leases() == []
    with pytest.raises(LeaseLost):
        store.finish_job(job.id, "not-the-token", "failed", None, "x")
    assert store.finish_job(job.id, token, "succeeded", {"status": "feasible"})
    assert store.get_job(job.id).state == "succeeded"


def test_parallel_claims_take_each_job_once(store: Store) -> None:
    """Ten queued jobs, twenty claimers at once (as workers of several servers): every job is
    claimed exactly once, oldest first for each claimer."""
    rid = store.create_round("a", "{}", (0, 0), "alice").id
    made = {store.create_job(rid, "alice", 60.0, 20).id for _ in range(10)}
    out = parallel(20, lambda i: store.claim_next(f"instance-{i % 2}", 100 + i, 30.0))
    claimed = [j.id for j in out if j is not None and not isinstance(j, Exception)]
    assert not [o for o in out if isinstance(o, Exception)]
    assert sorted(claimed) == sorted(made)
    assert store.claim_next("late", 1, 30.0) is None
