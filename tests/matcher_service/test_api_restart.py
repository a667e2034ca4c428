"""Restart: the service (server and worker) killed mid-solve and started again — the job is
marked interrupted, the round is intact, and the job can be re-run. Also the queue bound."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.matcher_service.conftest import running, sqlite_settings, tiny
from tests.matcher_service.live import LiveServer
from tests.matcher_service.test_api_jobs_live import RUNNER, finished, make_keys, start, wait_for


@pytest.mark.slow
def test_crash_mid_solve_then_restart(tmp_path: Path) -> None:
    """After a crash the running job is interrupted, nothing stored is lost, re-run succeeds."""
    url = f"sqlite:///{tmp_path}/restart.sqlite3"
    keys = make_keys(url)
    first = LiveServer(url, RUNNER).start()
    try:
        with first.client(keys["planner"]) as client:
            done = wait_for(client, start(client)["id"], finished)
            job = start(client, "slow")
            wait_for(client, job["id"], lambda j: j["state"] == "running")
            before = client.get(f"/rounds/{job['round_id']}").json()
    finally:
        first.crash()

    second = LiveServer(url, RUNNER).start()
    try:
        with second.client(keys["planner"]) as client:
            after = wait_for(client, job["id"], finished)  # once its lease runs out
            assert after["state"] == "interrupted" and after["plan_id"] is None
            assert client.get(f"/rounds/{job['round_id']}").json() == before
            assert client.get(f"/plans/{done['plan_id']}").status_code == 200
            again = client.post(f"/jobs/{job['id']}/rerun", params={"time_limit_s": 0.3})
            assert again.status_code == 202
            final = wait_for(client, again.json()["id"], finished)
            assert final["state"] == "timed_out" and final["plan_id"]
            assert final["round_version"] == job["round_version"]
    finally:
        second.stop()


def test_queue_is_bounded_429(tmp_path: Path) -> None:
    """Once `queue_limit` jobs wait, one more solve is 429 with Retry-After; cancelling frees
    a place."""
    with running(sqlite_settings(tmp_path, workers=0, queue_limit=2)) as api:
        rid = api.create()["id"]
        h = api.h("planner")
        first = api.client.post(f"/rounds/{rid}/solve", headers=h)
        assert api.client.post(f"/rounds/{rid}/solve", headers=h).status_code == 202
        full = api.client.post(f"/rounds/{rid}/solve", headers=h)
        assert full.status_code == 429 and full.headers["retry-after"]
        assert full.headers["content-type"] == "application/problem+json"
        cancelled = api.client.delete(f"/jobs/{first.json()['id']}", headers=h)
        assert cancelled.status_code == 200 and cancelled.json()["state"] == "cancelled"
        assert api.client.post(f"/rounds/{rid}/solve", headers=h).status_code == 202


def test_queued_jobs_survive_a_restart(tmp_path: Path) -> None:
    """Jobs still queued when the service stops are queued again at the next start."""
    settings = sqlite_settings(tmp_path, workers=0)
    with running(settings) as api:
        rid = api.create(tiny())["id"]
        job = api.client.post(f"/rounds/{rid}/solve", headers=api.h("planner")).json()
    with running(settings) as api:
        again = api.client.get(f"/jobs/{job['id']}", headers=api.h("viewer")).json()
        assert again["state"] == "queued"
