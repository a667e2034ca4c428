"""Process safety against real uvicorn servers: kill -9 of the server process alone takes its
workers with it and the job ends ``interrupted`` (never a late ``succeeded``); two server
processes on one PostgreSQL database share the queue without stealing each other's jobs."""

from __future__ import annotations

import json
import os
import select
from pathlib import Path

import pytest

from matcher_service.store import Store
from tests.matcher_service.live import LiveServer
from tests.matcher_service.test_api_jobs_live import RUNNER, finished, make_keys, start, wait_for
from tests.matcher_service.test_api_parallel_live import database

FAST = {"MATCHER_WARM_UP": "0", "MATCHER_CLAIM_POLL_S": "0.2"}


def job_row(url: str, job_id: str) -> tuple[int | None, str | None]:
    """(worker pid, owner) of a job: not part of the API, so read from the database."""
    store = Store.connect(url)
    try:
        job = store.get_job(job_id)
        return job.worker_pid, job.owner
    finally:
        store.close()


def exits_within(pid: int, timeout_s: float) -> bool:
    """Does process ``pid`` (not our child) end within ``timeout_s``? Waits on a pidfd."""
    try:
        fd = os.pidfd_open(pid)
    except ProcessLookupError:
        return True
    try:
        ready, _, _ = select.select([fd], [], [], timeout_s)
        return bool(ready)
    finally:
        os.close(fd)


@pytest.mark.slow
def test_kill_9_of_the_server_alone(tmp_path: Path) -> None:
    """The server is killed, its worker mid-solve is not: the worker dies with it, and after a
    restart the job is interrupted with no plan (re-running it: test_api_restart)."""
    with database("sqlite", tmp_path) as url:  # leases on PostgreSQL: the two-server test
        keys = make_keys(url)
        first = LiveServer(url, RUNNER, **FAST).start()
        try:
            with first.client(keys["planner"]) as client:
                job = start(client, "slow")
                wait_for(client, job["id"], lambda j: j["state"] == "running")
            worker, _ = job_row(url, job["id"])
            assert worker is not None
            first.kill_server_only()
            assert exits_within(worker, 10.0), "the worker outlived its server"
        finally:
            first.crash()
        second = LiveServer(url, RUNNER, **FAST).start()
        try:
            with second.client(keys["planner"]) as client:
                after = wait_for(client, job["id"], finished)
                assert after["state"] == "interrupted" and after["plan_id"] is None
                assert client.get(f"/rounds/{job['round_id']}/plans").json()["items"] == []
        finally:
            second.stop()
        lines = [line for line in first.log + second.log if line.strip()]
        # multiprocessing's resource tracker (its own process) warns about the killed
        # server's semaphores through the warnings module, outside any log config
        tracker = [i for i, line in enumerate(lines) if "resource_tracker" in line]
        plain = [
            line
            for i, line in enumerate(lines)
            if not line.startswith("{") and i not in tracker and i - 1 not in tracker
        ]
        assert not plain, plain
        records = [json.loads(line) for line in lines if line.startswith("{")]
        assert any("lease ran out" in r["message"] for r in records)


@pytest.mark.slow
@pytest.mark.postgres
def test_two_servers_share_one_postgres_queue(tmp_path: Path) -> None:
    """A second server starting on the same database leaves the first one's running job
    alone; a job queued at the busy first server is run by the second's idle worker; a cancel
    sent to the second reaches the first's worker; every job runs once."""
    with database("postgres", tmp_path) as url:
        keys = make_keys(url)
        a = LiveServer(url, RUNNER, **FAST).start()
        b: LiveServer | None = None
        try:
            with a.client(keys["planner"]) as ca:
                slow = start(ca, "slow")
                wait_for(ca, slow["id"], lambda j: j["state"] == "running")
                b = LiveServer(url, RUNNER, **FAST).start()
                with b.client(keys["planner"]) as cb:
                    assert cb.get(f"/jobs/{slow['id']}").json()["state"] == "running"
                    quick = start(ca)  # a's only worker is busy: b's must take it
                    done = wait_for(cb, quick["id"], finished)
                    assert done["state"] == "succeeded"
                    assert job_row(url, quick["id"])[1] != job_row(url, slow["id"])[1]
                    more = [start(c) for c in (ca, cb)]
                    states = [wait_for(cb, j["id"], finished)["state"] for j in more]
                    assert states == ["succeeded"] * 2
                    assert cb.delete(f"/jobs/{slow['id']}").status_code == 202
                    stopped = wait_for(ca, slow["id"], finished)
                    assert stopped["state"] == "cancelled" and stopped["plan_id"]
                    for j in [slow, quick, *more]:
                        plans = cb.get(f"/rounds/{j['round_id']}/plans").json()["items"]
                        assert len(plans) == 1, "a job ran twice"
                    assert cb.get("/health").json()["status"] == "ok"
        finally:
            if b is not None:
                b.stop()
            a.stop()
