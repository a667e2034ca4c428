"""Replacements as jobs: 202 with the job (Location), a worker decides and stores them, a
waiting request gets the replacement or the refusal, retries with one key make one job, and
the worker keeps each approved plan prepared by plan version."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sqlalchemy import select

from matcher_service.jobs import load_runner, run_job
from matcher_service.replace_job import PlanCache
from matcher_service.tables import ReplacementRow
from tests.matcher_service.conftest import GREEDY, Api, running, sqlite_settings
from tests.matcher_service.replacing import replaced
from tests.matcher_service.test_api_lifecycle import _solved_plan


def _recall(posts: dict[str, str]) -> dict[str, Any]:
    return {"recall": [posts["A"]], "reasons": {posts["A"]: "调任"}, "effective": "2025-07-01"}


def test_a_replacement_is_a_job_a_worker_runs(api: Api) -> None:
    """202 with a queued replace job and its Location; nothing is stored until a worker ran
    it; then the job names the replacement plan, whose report and round are stored."""
    p1, posts = _solved_plan(api)
    r = api.client.post(f"/plans/{p1}/replace", json=_recall(posts), headers=api.h("planner"))
    assert r.status_code == 202, r.text
    job = r.json()
    assert r.headers["location"] == f"/jobs/{job['id']}"
    assert (job["kind"], job["source_plan_id"], job["state"]) == ("replace", p1, "queued")
    assert "payload" not in job  # the order (with the caller's key) stays inside
    assert api.app.state.store.list_jobs(source_plan_id=p1)[0].plan_id is None
    assert run_job(api.app.state.store, load_runner(GREEDY), job["id"]) == "succeeded"
    done = api.client.get(f"/jobs/{job['id']}", headers=api.h("viewer")).json()
    assert done["state"] == "succeeded" and done["progress"]["fraction"] == 1.0
    rep = api.client.get(f"/plans/{done['plan_id']}/replacement", headers=api.h("planner"))
    assert rep.status_code == 200 and rep.json()["source_plan_id"] == p1
    assert rep.json()["status"] == "optimal" and rep.json()["method"] == "augmenting-paths"


def test_waiting_answers_the_replacement_or_the_refusal(api: Api) -> None:
    """With ``wait`` the answer is the replacement (201, Location of its report); events the
    new round cannot take (an added cadre with a taken id) fail the job and come back 422,
    as they did in the request thread; unknown ids are 422 before any job is queued."""
    p1, posts = _solved_plan(api)
    ok = replaced(api, p1, _recall(posts))
    assert ok.status_code == 201, ok.text
    assert ok.headers["location"] == f"/plans/{ok.json()['plan_id']}/replacement"
    raw = json.loads((Path(__file__).parents[1] / "data/lifecycle/chain.json").read_text())
    twin = {**raw["cadres"][0]}
    bad = replaced(api, p1, {"add_cadres": [twin]})
    assert bad.status_code == 422, bad.text
    assert bad.headers["content-type"] == "application/problem+json"
    failed = [j for j in api.app.state.store.list_jobs(source_plan_id=p1) if j.state == "failed"]
    assert len(failed) == 1 and failed[0].error.startswith("invalid: ")
    before = len(api.app.state.store.list_jobs(source_plan_id=p1))
    unknown = api.client.post(
        f"/plans/{p1}/replace", json={"recall": ["NOPE"]}, headers=api.h("planner")
    )
    assert unknown.status_code == 422
    assert len(api.app.state.store.list_jobs(source_plan_id=p1)) == before


def test_a_retry_with_the_same_key_gets_the_queued_job(api: Api) -> None:
    """Two posts with one Idempotency-Key while the job waits: one job; without a key (or
    with another) a second job."""
    p1, posts = _solved_plan(api)
    h = api.h("planner")
    key = {"Idempotency-Key": "recall-A"}
    a = api.client.post(f"/plans/{p1}/replace", json=_recall(posts), headers=h | key).json()
    b = api.client.post(f"/plans/{p1}/replace", json=_recall(posts), headers=h | key).json()
    assert a["id"] == b["id"]
    c = api.client.post(f"/plans/{p1}/replace", json=_recall(posts), headers=h).json()
    assert c["id"] != a["id"]


def test_an_interrupted_replacement_job_is_rerun_as_ordered(api: Api) -> None:
    """A replacement job whose worker died is re-run as ordered (same plan, same key: the
    replacement is stored once); a finished one kept no events (they may name people), so
    its re-run is 409."""
    p1, posts = _solved_plan(api)
    h = api.h("planner") | {"Idempotency-Key": "rerun-me"}
    job = api.client.post(f"/plans/{p1}/replace", json=_recall(posts), headers=h).json()
    store = api.app.state.store
    token = store.claim_job(job["id"], 1, "gone", 30.0)
    assert store.interrupt(job["id"], token, "the worker died")
    again = api.client.post(f"/jobs/{job['id']}/rerun", headers=api.h("planner")).json()
    assert (again["kind"], again["source_plan_id"], again["rerun_of"]) == ("replace", p1, job["id"])
    assert run_job(store, load_runner(GREEDY), again["id"]) == "succeeded"
    done = store.get_job(again["id"])
    assert done.payload is None and done.plan_id is not None
    with store.session() as s:
        stored = s.scalars(select(ReplacementRow).where(ReplacementRow.source_plan_id == p1))
        assert [r.plan_id for r in stored] == [done.plan_id]
    refused = api.client.post(f"/jobs/{again['id']}/rerun", headers=api.h("planner"))
    assert refused.status_code == 409, refused.text


def test_the_worker_prepares_each_plan_version_once(tmp_path: Path) -> None:
    """Two recalls of one plan build its prepared plan once; another plan gets its own; the
    oldest is dropped beyond the cache's size."""
    with running(sqlite_settings(tmp_path)) as api:
        p1, _ = _solved_plan(api)
        p2, _ = _solved_plan(api)
        store = api.app.state.store
        plans = PlanCache(size=1)
        first = plans.get(store, store.get_plan(p1))
        assert plans.get(store, store.get_plan(p1)) is first
        other = plans.get(store, store.get_plan(p2))
        assert other is not first
        api.plans = plans  # type: ignore[attr-defined]  # the worker of replaced()
        held = [a.cadre_id for a in other.result.assignments if a.cadre_id]
        for cadre in held[:2]:
            r = replaced(api, p2, {"recall": [cadre]})
            assert r.status_code == 201, r.text
        assert plans.get(store, store.get_plan(p2)) is other  # not rebuilt by the recalls
        assert plans.get(store, store.get_plan(p1)) is not first  # dropped for p2 (size 1)
