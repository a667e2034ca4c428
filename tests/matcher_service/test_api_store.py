"""The store on SQLite and on PostgreSQL: versions kept, job lifecycle, plans, recovery."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from matcher_service.migrate import upgrade
from matcher_service.store import AuditEntry, NotFound, QueueFull, Store, now
from matcher_service.tables import Base


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


def test_migrations_match_the_tables(store: Store) -> None:
    """After `alembic upgrade head` the database has exactly the tables the models declare."""
    with store.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []


def test_upgrade_twice_is_harmless(store: Store) -> None:
    """Migrating an up-to-date database changes nothing (the app migrates at every start)."""
    upgrade(store.engine)
    assert store.list_rounds() == []


def test_round_updates_keep_every_version(store: Store) -> None:
    """An update adds a version; the old body stays readable."""
    info = store.create_round("a", '{"v": 1}', (1, 2), "alice")
    store.update_round(info.id, "b", '{"v": 2}', (3, 4), "bob")
    now_ = store.get_round(info.id)
    assert (now_.version, now_.name, now_.body, now_.communities) == (2, "b", '{"v": 2}', 3)
    assert store.get_round(info.id, 1).body == '{"v": 1}'
    assert [r.id for r in store.list_rounds()] == [info.id]
    with pytest.raises(NotFound):
        store.get_round("r_missing")
    with pytest.raises(NotFound):
        store.update_round("r_missing", "x", "{}", (0, 0), "bob")


def test_job_lifecycle_writes_plan_with_final_state(store: Store) -> None:
    """queued → running → succeeded; the plan and the job's final state land together."""
    info = store.create_round("a", "{}", (0, 0), "alice")
    job = store.create_job(info.id, "alice", 60.0, queue_limit=5)
    assert job.state == "queued" and job.round_version == 1
    token = store.claim_job(job.id, 1234)
    assert token
    assert not store.claim_job(job.id, 999)  # a job runs once
    store.report_progress(job.id, token, "search", 0.5, "half", 42, 40.0)
    mid = store.get_job(job.id)
    assert (mid.phase, mid.fraction, mid.objective, mid.bound) == ("search", 0.5, 42, 40.0)
    plan_id = store.finish_job(job.id, token, "succeeded", {"status": "optimal", "objective": 7})
    done = store.get_job(job.id)
    assert done.state == "succeeded" and done.plan_id == plan_id and done.finished_at
    plan = store.get_plan(plan_id or "")
    assert (plan.status, plan.objective, plan.round_id) == ("optimal", 7, info.id)
    assert [p.id for p in store.list_plans(info.id)] == [plan_id]


def test_queue_limit_binds_and_does_not(store: Store) -> None:
    """Queued jobs beyond the limit are refused; running ones do not count."""
    info = store.create_round("a", "{}", (0, 0), "alice")
    first = store.create_job(info.id, "alice", 60.0, queue_limit=1)
    with pytest.raises(QueueFull):
        store.create_job(info.id, "alice", 60.0, queue_limit=1)
    store.claim_job(first.id, 1)
    assert store.create_job(info.id, "alice", 60.0, queue_limit=1).state == "queued"


def test_cancel_queued_is_immediate_running_is_flagged(store: Store) -> None:
    """A queued job is cancelled at once; a running one gets the flag its worker polls."""
    info = store.create_round("a", "{}", (0, 0), "alice")
    queued = store.create_job(info.id, "alice", 60.0, queue_limit=5)
    running = store.create_job(info.id, "alice", 60.0, queue_limit=5)
    store.claim_job(running.id, 1)
    assert store.request_cancel(queued.id).state == "cancelled"
    assert not store.claim_job(queued.id, 1)
    flagged = store.request_cancel(running.id)
    assert flagged.state == "running" and flagged.cancel_requested
    assert store.cancel_requested(running.id)


def test_recover_marks_running_interrupted_and_keeps_queued(store: Store) -> None:
    """After a restart, running jobs whose lease ran out become interrupted; a job with a live
    lease (another instance's) is left running; queued ones are handed out again."""
    info = store.create_round("a", "{}", (0, 0), "alice")
    running = store.create_job(info.id, "alice", 60.0, queue_limit=5)
    live = store.create_job(info.id, "alice", 60.0, queue_limit=5)
    queued = store.create_job(info.id, "alice", 60.0, queue_limit=5)
    store.claim_job(running.id, 1, "old-instance", lease_s=0.0)
    store.claim_job(live.id, 2, "other-instance", lease_s=60.0)
    interrupted, waiting = store.recover()
    assert interrupted == [running.id] and waiting == [queued.id]
    assert store.get_job(live.id).state == "running"
    job = store.get_job(running.id)
    assert job.state == "interrupted" and "re-run" in (job.error or "")
    assert store.get_round(info.id).version == 1


def test_audit_rows_filter_by_round(store: Store) -> None:
    """Audit rows come back newest first and can be filtered by round."""
    for rid in ("r_1", "r_2", None):
        store.add_audit(AuditEntry(0, now(), "alice", "k", "planner", "x", "GET", "/p", rid, 200))
    assert [e.round_id for e in store.list_audit()] == [None, "r_2", "r_1"]
    assert [e.round_id for e in store.list_audit(round_id="r_1")] == ["r_1"]
