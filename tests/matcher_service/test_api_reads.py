"""Fast reads: immutable bodies (round versions, plans, finished jobs) served from memory with
ETags and 304s, never stale; job-change notes waking event streams; worker warm-up; timing."""

from __future__ import annotations

import asyncio
import json
import logging
import threading
from typing import Any

import pytest

from matcher.model.round import Round
from matcher_service.body_cache import BodyCache, Cached
from matcher_service.job_events import JobEvents, changed
from matcher_service.jobs import run_job, warm_up
from matcher_service.store import Store
from tests.matcher_service.conftest import Api, tiny
from tests.matcher_service.solve_doubles import Solved, failing_run, greedy, greedy_run


def _queued_job(api: Api) -> tuple[str, str]:
    rid = api.create()["id"]
    job = api.client.post(f"/rounds/{rid}/solve", headers=api.h("planner"))
    assert job.status_code == 202, job.text
    return rid, str(job.json()["id"])


def test_round_etag_gives_304_until_a_new_version(api: Api) -> None:
    """A round's ETag is its version: 304 while current, the new body once it is updated."""
    made = api.create()
    url, h = f"/rounds/{made['id']}", api.h("viewer")
    first = api.client.get(url, headers=h)
    assert first.headers["etag"] == '"1"' and first.json() == made
    same = api.client.get(url, headers={**h, "If-None-Match": '"1"'})
    assert same.status_code == 304 and same.content == b""
    raw = tiny()
    raw["name"] = "tiny, renamed again"
    assert api.client.put(url, json=raw, headers=api.h("planner")).status_code == 200
    after = api.client.get(url, headers={**h, "If-None-Match": '"1"'})
    assert after.status_code == 200 and after.headers["etag"] == '"2"'
    assert after.json()["round"]["name"] == "tiny, renamed again"
    assert after.json()["communities"] == 3 and after.json()["cadres"] == 6
    old = api.client.get(f"{url}?version=1", headers=h).json()
    assert old["round"]["name"] == tiny()["name"] and old["version"] == 1
    assert api.client.get(f"{url}?version=9", headers=h).status_code == 404


def test_round_read_after_restart_comes_from_the_database(api: Api) -> None:
    """With nothing in memory the body is read from the store, counts included."""
    made = api.create()
    api.app.state.cache = BodyCache()
    got = api.client.get(f"/rounds/{made['id']}", headers=api.h("viewer"))
    assert got.status_code == 200 and got.json() == made


def test_finished_job_and_plan_are_cached_with_etags(api: Api) -> None:
    """A queued job's ETag changes when it finishes (not cached while active); the finished
    job and its plan answer 304 to their ETags and match the store."""
    rid, job_id = _queued_job(api)
    h = api.h("viewer")
    queued = api.client.get(f"/jobs/{job_id}", headers=h)
    assert queued.json()["state"] == "queued"
    store: Store = api.app.state.store
    assert run_job(store, greedy_run, job_id) == "succeeded"
    done = api.client.get(f"/jobs/{job_id}", headers={**h, "If-None-Match": queued.headers["etag"]})
    assert done.status_code == 200 and done.json()["state"] == "succeeded"
    assert done.headers["etag"] != queued.headers["etag"]
    again = api.client.get(f"/jobs/{job_id}", headers={**h, "If-None-Match": done.headers["etag"]})
    assert again.status_code == 304
    plan_id = done.json()["plan_id"]
    plan = api.client.get(f"/plans/{plan_id}", headers=h)
    assert plan.headers["etag"] == f'"{plan_id}"'
    assert plan.json()["result"] == json.loads(store.get_plan(plan_id).result)
    assert plan.json()["round_id"] == rid
    tagged = {**h, "If-None-Match": f'W/"x", "{plan_id}"'}
    assert api.client.get(f"/plans/{plan_id}", headers=tagged).status_code == 304
    assert api.client.get(f"/plans/{plan_id}", headers={**h, "If-None-Match": '"x"'}).json()


def test_cached_reads_are_still_audited_with_their_round(api: Api) -> None:
    """Reads answered from memory still write an audit row naming the round."""
    rid, job_id = _queued_job(api)
    run_job(api.app.state.store, greedy_run, job_id)
    plan_id = api.client.get(f"/jobs/{job_id}", headers=api.h("viewer")).json()["plan_id"]
    for _ in range(2):
        assert api.client.get(f"/plans/{plan_id}", headers=api.h("viewer")).status_code == 200
    rows = api.client.get(f"/audit?round_id={rid}", headers=api.h("admin")).json()["items"]
    assert [r["action"] for r in rows].count("plans.get") == 2


def test_responses_carry_server_timing(api: Api) -> None:
    """Every response says how long the service took (Server-Timing: app;dur=ms)."""
    r = api.client.get("/version")
    name, dur = r.headers["server-timing"].split(";dur=")
    assert name == "app" and float(dur) >= 0


def test_body_cache_keeps_within_its_byte_bound() -> None:
    """The least recently used body goes first; a body larger than the bound is not kept."""
    cache = BodyCache(max_bytes=10)
    for key in "abc":
        cache.put(key, Cached(b"xxxx", "r", '"e"'))
    assert cache.get("a") is None and cache.get("b") is not None and len(cache) == 2
    cache.put("d", Cached(b"yyyy", "r", '"e"'))  # "c" is now the oldest ("b" was just read)
    assert cache.get("c") is None and cache.get("b") is not None
    cache.put("big", Cached(b"z" * 11, "r", '"e"'))
    assert cache.get("big") is None and len(cache) == 2


def test_a_note_from_another_thread_wakes_the_stream() -> None:
    """notify(job) from a thread sets the waiting stream's event; other jobs' notes do not."""

    async def main() -> tuple[bool, bool]:
        hub = JobEvents(asyncio.get_running_loop())
        with hub.subscribe("j_1") as wake, hub.subscribe("j_2") as other:
            threading.Thread(target=hub.notify, args=("j_1",)).start()
            await asyncio.wait_for(changed(wake, 60.0), 10.0)  # fails if never woken
            await asyncio.sleep(0)
            return wake.is_set(), other.is_set()

    assert asyncio.run(main()) == (False, False)  # cleared after waking; j_2 never set


def test_warm_up_solves_the_bundled_round_and_survives_failure(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Warm-up hands the runner a validated round and a stop signal; a failing runner only
    logs a warning (with no cadre data)."""
    seen: list[Any] = []

    def recording(rnd: Round, *, should_stop: Any = None, progress: Any = None) -> Solved:
        seen.append((rnd, should_stop()))
        return Solved(rnd, greedy(rnd))

    warm_up(recording)
    assert len(seen) == 1 and isinstance(seen[0][0], Round) and seen[0][1] is True
    with caplog.at_level(logging.WARNING):
        warm_up(failing_run)
    assert "warm-up solve failed: RuntimeError" in caplog.text
    assert "C01" not in caplog.text
