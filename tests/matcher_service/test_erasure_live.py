"""Erasure means gone (issue 22, item 1), against two real server processes on one database:
after ``DELETE /rounds/{id}`` the round and everything derived from it (replacement round and
report, next round, plans, jobs, archive entries, audit reasons) are 404 at the other process
at once, and no erased name is left in any table — nor, on SQLite, in the database, WAL or
shared-memory file."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import MetaData, select

from matcher_service.jobs import load_runner, run_job
from matcher_service.store import Store
from tests.matcher_service.live import LiveServer
from tests.matcher_service.test_api_jobs_live import make_keys

CHAIN = Path(__file__).resolve().parents[1] / "data" / "lifecycle" / "chain.json"
ERASED = ["甄抹除", "Zhen-Erased-Two", "贾抹除三", "Erasedname Four"]  # the round's cadres
ADDED = "新来的抹除五"  # a cadre the replacement adds
REASON = "抹除理由：调任"  # a replacement reason
KEPT = "保留的王某"  # a cadre of another round, which stays


def _round(names: list[str], title: str) -> dict[str, Any]:
    raw = json.loads(CHAIN.read_text(encoding="utf-8"))
    raw["name"] = title
    for cadre, name in zip(raw["cadres"], names, strict=False):
        cadre["name"] = name
    return raw


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path}/data/matcher.sqlite3"
    return str(request.getfixturevalue("pg_schema_url"))


@pytest.fixture
def servers(url: str) -> Iterator[tuple[httpx.Client, httpx.Client, Store]]:
    """Two servers on one database (no workers: the test runs the solve itself)."""
    keys = make_keys(url)
    runner = "geodata.pipeline:run_round"
    a = LiveServer(url, runner, MATCHER_WORKERS="0", MATCHER_WARM_UP="0").start()
    try:
        b = LiveServer(url, runner, MATCHER_WORKERS="0", MATCHER_WARM_UP="0").start()
        try:
            store = Store.connect(url)
            with a.client(keys["admin"]) as ca, b.client(keys["admin"]) as cb:
                yield ca, cb, store
            store.close()
        finally:
            b.stop()
    finally:
        a.stop()


def _solve(client: httpx.Client, store: Store, rid: str) -> tuple[str, str]:
    job = client.post(f"/rounds/{rid}/solve").json()["id"]
    assert run_job(store, load_runner("geodata.pipeline:run_round"), job) == "succeeded"
    plan = store.get_job(job).plan_id
    assert plan is not None
    return job, plan


def _everywhere(store: Store) -> str:
    """Every row of every table, as one text."""
    meta = MetaData()
    meta.reflect(store.engine)
    with store.engine.connect() as conn:
        rows = [repr(tuple(r)) for t in meta.sorted_tables for r in conn.execute(select(t))]
    return "\n".join(rows)


def test_erasure_reaches_every_process_table_and_file(
    url: str, servers: tuple[httpx.Client, httpx.Client, Store]
) -> None:
    """Round → plan → approval → replacement (adding a cadre, with a reason) → its approval →
    next round; a second server reads them all (its caches full); after the first server
    erases the round, the second answers 404 for each, and no erased name is anywhere."""
    a, b, store = servers
    rid = a.post("/rounds", json=_round(ERASED, "抹除轮次")).json()["id"]
    job, p1 = _solve(a, store, rid)
    assert a.post(f"/plans/{p1}/approve", json={"start": "2025-01-01"}).status_code == 201
    holder = next(
        x["cadre"] for x in a.get(f"/plans/{p1}").json()["result"]["assignments"] if x["cadre"]
    )
    new = {"id": "K9", "name": ADDED, "political_status": "中共党员", "unit": "市委组织部"}
    new |= {"level": "city"}
    new |= {"home_district": "210702", "rank": "副县", "location": {"lon": 121.13, "lat": 41.13}}
    events = {"recall": [holder], "reasons": {holder: REASON}, "add_cadres": [new]}
    events["effective"] = "2025-07-01"
    r = a.post(f"/plans/{p1}/replace", json=events)
    assert r.status_code == 202, r.text  # a replacement job: run here, as the solve
    assert run_job(store, load_runner("geodata.pipeline:run_round"), r.json()["id"])
    done = a.get(f"/jobs/{r.json()['id']}").json()
    assert done["state"] == "succeeded", done
    rep = a.get(f"/plans/{done['plan_id']}/replacement").json()
    p2, r2 = rep["plan_id"], rep["round_id"]
    assert a.post(f"/plans/{p2}/approve", json={"start": "2025-07-01"}).status_code == 201
    r3 = a.post(f"/plans/{p2}/next-round", json={"release_before": "2027-03-01"}).json()
    other = a.post("/rounds", json=_round([KEPT], "保留轮次")).json()["id"]

    reads = [
        f"/plans/{p1}",
        f"/plans/{p2}",
        f"/jobs/{job}",
        f"/rounds/{rid}",
        f"/rounds/{r2}",
        f"/rounds/{r3['round_id']}",
        f"/plans/{p2}/replacement",
        f"/cadres/{holder}/file",
        "/cadres/K9/file",
    ]
    assert [b.get(p).status_code for p in reads] == [200] * len(reads)  # b caches them
    assert ADDED in _everywhere(store) and REASON in _everywhere(store)

    assert a.delete(f"/rounds/{rid}", params={"reason": "本人申请删除"}).status_code == 204
    assert [(p, b.get(p).status_code) for p in reads] == [(p, 404) for p in reads]
    assert b.get(f"/rounds/{other}").status_code == 200

    everything = _everywhere(store)
    for name in [*ERASED, ADDED, REASON]:
        assert name not in everything, name
    assert KEPT in everything  # the search does find what stays
    audit = a.get("/audit", params={"round_id": rid}).json()["items"]
    erasure = [e for e in audit if e["action"] == "rounds.delete"]
    assert erasure and erasure[0]["reason"] == "本人申请删除" and erasure[0]["status"] == 204

    if url.startswith("sqlite"):
        folder = Path(url.split("///", 1)[1]).parent
        files = sorted(folder.iterdir())
        assert any(f.name.endswith("-wal") for f in files)  # servers still hold the database
        for f in files:
            data = f.read_bytes()
            for name in [*ERASED, ADDED, REASON]:
                assert name.encode() not in data, (f.name, name)
        assert any(KEPT.encode() in f.read_bytes() for f in files)
