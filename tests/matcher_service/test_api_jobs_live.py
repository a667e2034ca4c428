"""Solve jobs end to end against a real uvicorn with a worker process: progress as server-sent
events, plans in every format, explanations, cancel keeping the best plan, time limits,
failures, a worker killed mid-solve."""

from __future__ import annotations

import csv
import io
import json
import os
import signal
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import openpyxl
import pytest

from matcher.model.validate import validate_round
from matcher_service.auth import Role, create_key
from matcher_service.migrate import upgrade
from matcher_service.store import Store
from tests.matcher_service.conftest import tiny
from tests.matcher_service.live import LiveServer
from tests.matcher_service.solve_doubles import greedy

RUNNER = "tests.matcher_service.solve_doubles:by_description"
Job = dict[str, Any]


def make_keys(url: str) -> dict[str, str]:
    store = Store.connect(url)
    upgrade(store.engine)
    keys = {r.value: create_key(store, f"live {r.value}", r) for r in Role}
    store.close()
    return keys


@dataclass
class Live:
    server: LiveServer
    client: httpx.Client
    db_url: str


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    url = f"sqlite:///{tmp_path_factory.mktemp('live')}/live.sqlite3"
    keys = make_keys(url)
    server = LiveServer(url, RUNNER).start()
    try:
        with server.client(keys["planner"]) as client:
            yield Live(server, client, url)
    finally:
        server.stop()


def events(client: httpx.Client, job_id: str) -> Iterator[tuple[str, Job]]:
    """The job's server-sent events as (event, job) pairs."""
    with client.stream("GET", f"/jobs/{job_id}/events") as r:
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/event-stream")
        event = ""
        for line in r.iter_lines():
            if line.startswith("event: "):
                event = line[len("event: ") :]
            elif line.startswith("data: "):
                yield event, json.loads(line[len("data: ") :])


def wait_for(client: httpx.Client, job_id: str, done: Callable[[Job], bool]) -> Job:
    """Follow the event stream until ``done(job)``; the stream ends when the job does."""
    last: Job = {}
    for _, job in events(client, job_id):
        last = job
        if done(job):
            return job
    return last


def finished(job: Job) -> bool:
    return job["state"] not in ("queued", "running")


def start(client: httpx.Client, description: str = "", **params: Any) -> Job:
    raw = {**tiny(), "description": description}
    rid = client.post("/rounds", json=raw).json()["id"]
    r = client.post(f"/rounds/{rid}/solve", params=params)
    assert r.status_code == 202 and r.headers["location"] == f"/jobs/{r.json()['id']}"
    return r.json()  # type: ignore[no-any-return]


def test_solve_streams_progress_and_stores_the_plan(live: Live) -> None:
    """202 → events until `end` → succeeded, with the plan the runner made."""
    client = live.client
    job = start(client)
    seen = list(events(client, job["id"]))
    assert seen[-1][0] == "end" and seen[-1][1]["state"] == "succeeded"
    assert all(name in ("job", "end") for name, _ in seen)
    done = client.get(f"/jobs/{job['id']}").json()
    assert done["progress"]["fraction"] == 1.0 and done["plan_id"]
    plan = client.get(f"/plans/{done['plan_id']}").json()
    expected = greedy(validate_round(tiny())).canonical_dict()
    assert plan["result"]["assignments"] == expected["assignments"]
    assert plan["round_id"] == job["round_id"] and plan["status"] == "feasible"
    listed = client.get(f"/rounds/{job['round_id']}/plans").json()["items"]
    assert [p["id"] for p in listed] == [done["plan_id"]]


def test_plan_exports_and_explanation(live: Live) -> None:
    """The plan downloads as plan JSON, roster CSV and XLSX, GeoJSON; a post explains itself."""
    client = live.client
    job = wait_for(client, start(client)["id"], finished)
    pid = job["plan_id"]
    as_json = client.get(f"/plans/{pid}/export/json")
    assert as_json.status_code == 200
    assert json.loads(as_json.content)["result"]["assignments"]
    as_csv = client.get(f"/plans/{pid}/export/csv")
    rows = list(csv.reader(io.StringIO(as_csv.content.decode("utf-8-sig"))))
    assert len(rows) == 1 + 5  # header + one row per post of the tiny round
    book = openpyxl.load_workbook(io.BytesIO(client.get(f"/plans/{pid}/export/xlsx").content))
    assert book.worksheets[0].max_row == 3 + 5 + 3  # title, subtitle, header, posts, 落款, date
    geo = client.get(f"/plans/{pid}/export/geojson")
    assert geo.headers["content-type"] == "application/geo+json"
    assert geo.json()["type"] == "FeatureCollection"
    why = client.get(f"/plans/{pid}/posts/GT01/full-time/1").json()
    post = greedy(validate_round(tiny())).assignments[0]
    assert (why["community"], why["cadre"], why["cost"]) == ("GT01", post.cadre_id, post.cost)
    assert why["terms"] == {"distance": post.cost} and why["distance_m"] == post.distance_m
    assert client.get(f"/plans/{pid}/posts/GT01/full-time/5").status_code == 404
    assert client.get(f"/plans/{pid}/export/pdf").content[:5] == b"%PDF-"
    assert client.get(f"/plans/{pid}/export/docx").status_code == 422


def test_cancel_keeps_the_best_plan(live: Live) -> None:
    """DELETE on a running job stops it; the job is cancelled and keeps the plan found."""
    client = live.client
    job = start(client, "slow")
    wait_for(client, job["id"], lambda j: j["state"] == "running")
    r = client.delete(f"/jobs/{job['id']}")
    assert r.status_code == 202 and r.json()["cancel_requested"]
    done = wait_for(client, job["id"], finished)
    assert done["state"] == "cancelled" and done["plan_id"]
    assert client.get(f"/plans/{done['plan_id']}").json()["result"]["assignments"]
    assert client.delete(f"/jobs/{job['id']}").status_code == 409


def test_time_limit_stops_the_job_with_its_plan(live: Live) -> None:
    """A job past its time limit is stopped, marked timed_out, and keeps its plan."""
    client = live.client
    done = wait_for(client, start(client, "slow", time_limit_s=0.5)["id"], finished)
    assert done["state"] == "timed_out" and done["plan_id"] and done["time_limit_s"] == 0.5


def test_failed_job_reports_and_worker_lives_on(live: Live) -> None:
    """A runner that raises gives a failed job with the error; the next job still succeeds."""
    client = live.client
    failed = wait_for(client, start(client, "fail")["id"], finished)
    assert failed["state"] == "failed" and "engine exploded" in failed["error"]
    assert failed["plan_id"] is None
    rerun = client.post(f"/jobs/{failed['id']}/rerun")
    assert rerun.status_code == 202 and rerun.json()["rerun_of"] == failed["id"]
    assert wait_for(client, start(client)["id"], finished)["state"] == "succeeded"


def test_killed_worker_interrupts_its_job(live: Live) -> None:
    """A worker killed mid-solve: its job becomes interrupted, a new worker takes the re-run."""
    client = live.client
    job = start(client, "slow")
    running = wait_for(client, job["id"], lambda j: j["state"] == "running")
    assert running["state"] == "running"
    os.kill(_worker_pid(live.db_url, job["id"]), signal.SIGKILL)
    done = wait_for(client, job["id"], finished)
    assert done["state"] == "interrupted" and "re-run" in done["error"]
    again = client.post(f"/jobs/{job['id']}/rerun", params={"time_limit_s": 0.3}).json()
    assert wait_for(client, again["id"], finished)["state"] == "timed_out"
    health = client.get("/health").json()
    assert health["workers"] == {"configured": 1, "alive": 1, "busy": 0}
    assert health["queue"] == {"queued": 0, "running": 0}


def _worker_pid(db_url: str, job_id: str) -> int:
    """The worker running a job: not part of the API, so read from the database the test owns."""
    store = Store.connect(db_url)
    pid = store.get_job(job_id).worker_pid
    store.close()
    assert pid is not None
    return pid
