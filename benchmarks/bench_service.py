"""Benchmark: the HTTP service on the Jinzhou round, over a real uvicorn on 127.0.0.1.

Run ``.venv/bin/python -m benchmarks.bench_service`` (or ``main()``); prints Markdown tables.
``python -m benchmarks.bench_service --reads`` runs only the readers, SQLite beside PostgreSQL
beside PostgreSQL's old thread-pool head read, alternating (:func:`reads_compared`).

* **lifecycle** — create the round (POST /rounds, 247 communities, the full roster), solve it
  (POST /rounds/{id}/solve → 202), follow the job's server-sent events to the end, fetch the
  plan (GET /plans/{id}); ``runs`` times after one warm-up, p50 / p95 / max. Target: p95 ≤ 1 s.
  The job's own run time (worker: load, engine, store) is reported beside it.
* **readers** — ``readers`` connections read at once, each ``each`` times: the round body, the
  job and the plan; p50 / p95 per endpoint, as the client saw it and as the server measured it
  (its ``Server-Timing`` header: arrival to response start). Target: p95 ≤ 50 ms with 50
  readers. A second pass revalidates with ``If-None-Match`` (what a polling client does).

The load generator is a separate process (asyncio, one keep-alive HTTP/1.1 connection per
reader, no per-request client library work) so the client's own Python does not time-share a
GIL with the server; it still shares the machine's cores with the server and its workers.
* **recalls** — the Datong round solved, then ``POST /plans/{id}/replace`` recalling 1 and 8
  sitting cadres (after one warm-up call), request to response.

Each database in turn: a temporary SQLite file, then a fresh PostgreSQL schema on
127.0.0.1:5432 (skipped when unreachable), each with 2 worker processes; the
engine is the real one (:func:`geodata.pipeline.run_round`). Timings are wall-clock, never asserted.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from datetime import datetime
from multiprocessing import get_context
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx

from benchmarks.rounds import SCALES
from matcher_service.auth import Role, create_key
from matcher_service.migrate import upgrade
from matcher_service.store import Store

ROOT = Path(__file__).parents[1]
_PORT = re.compile(r"Uvicorn running on http://127\.0\.0\.1:(\d+)")


def _serve(
    db_url: str, workers: int, extra: dict[str, str] | None = None
) -> tuple[subprocess.Popen[str], str]:
    env = {**os.environ, "DATABASE_URL": db_url, "MATCHER_WORKERS": str(workers), **(extra or {})}
    env["PYTHONPATH"] = str(ROOT)
    cmd = [sys.executable, "-m", "uvicorn", "--factory", "service:create_app"]
    cmd += ["--host", "127.0.0.1", "--port", "0", "--no-access-log"]
    proc = subprocess.Popen(
        cmd, cwd=ROOT, env=env, stderr=subprocess.PIPE, text=True, start_new_session=True
    )
    assert proc.stderr is not None
    for line in proc.stderr:
        m = _PORT.search(line)
        if m:
            threading.Thread(target=proc.stderr.read, daemon=True).start()
            return proc, f"http://127.0.0.1:{m.group(1)}"
    raise RuntimeError("the server did not start")


def _wait(client: httpx.Client, job_id: str) -> dict[str, object]:
    last: dict[str, object] = {}
    with client.stream("GET", f"/jobs/{job_id}/events") as r:
        for line in r.iter_lines():
            if line.startswith("data: "):
                last = json.loads(line[6:])
    return last


def lifecycle(client: httpx.Client, body: bytes) -> tuple[float, dict[str, object]]:
    """Create → solve → wait → fetch plan; seconds taken and the final job (from its events)."""
    t = time.perf_counter()
    headers = {"Content-Type": "application/json"}
    rid = client.post("/rounds", content=body, headers=headers).json()["id"]
    job = client.post(f"/rounds/{rid}/solve").json()
    done = _wait(client, str(job["id"]))
    plan = client.get(f"/plans/{done['plan_id']}")
    plan.raise_for_status()
    return time.perf_counter() - t, done


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


Timings = dict[str, tuple[list[float], list[float]]]  # name -> (client s, server s)


async def _get(
    rd: asyncio.StreamReader, wr: asyncio.StreamWriter, request: bytes
) -> tuple[int, dict[str, str]]:
    """One GET on a kept-alive connection: status and headers; the body is read and dropped."""
    wr.write(request)
    head = (await rd.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
    headers = dict(h.split(": ", 1) for h in head[1:] if h)
    headers = {k.lower(): v for k, v in headers.items()}
    await rd.readexactly(int(headers.get("content-length", "0")))
    return int(head[0].split()[1]), headers


async def _readers(
    url: str, key: str, paths: dict[str, str], n: int, each: int, etag: bool
) -> Timings:
    parts = urlsplit(url)
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    times: Timings = {name: ([], []) for name in paths}
    go = asyncio.Event()

    def request(path: str, tag: str | None) -> bytes:
        extra = f"If-None-Match: {tag}\r\n" if tag else ""
        return (
            f"GET {path} HTTP/1.1\r\nHost: {host}\r\nAuthorization: Bearer {key}\r\n{extra}\r\n"
        ).encode()

    async def read(ready: asyncio.Event) -> None:
        rd, wr = await asyncio.open_connection(host, port)
        tags: dict[str, str | None] = {}
        for name, path in paths.items():  # connect and learn the ETags before the clock starts
            status, headers = await _get(rd, wr, request(path, None))
            assert status == 200, (path, status)
            tags[name] = headers.get("etag") if etag else None
        ready.set()
        await go.wait()
        for _ in range(each):
            for name, path in paths.items():
                t = time.perf_counter()
                status, headers = await _get(rd, wr, request(path, tags[name]))
                dt = time.perf_counter() - t
                assert status in (200, 304), (path, status)
                times[name][0].append(dt)
                if (
                    "server-timing" in headers
                ):  # absent on servers older than matcher_service.timing
                    times[name][1].append(float(headers["server-timing"].split("dur=")[1]) / 1000)
        wr.close()

    readies = [asyncio.Event() for _ in range(n)]
    tasks = [asyncio.create_task(read(r)) for r in readies]
    for r in readies:
        await r.wait()
    go.set()
    await asyncio.gather(*tasks)
    return times


def _readers_process(
    url: str, key: str, paths: dict[str, str], n: int, each: int, etag: bool
) -> Timings:
    import uvloop  # the server's loop too (uvicorn[standard]); keeps the client's share small

    return uvloop.run(_readers(url, key, paths, n, each, etag))


def readers(
    url: str, key: str, paths: dict[str, str], n: int, each: int, etag: bool = False
) -> Timings:
    """``n`` connections read every path ``each`` times, all starting together, from a
    separate process; client and server seconds per path."""
    with ProcessPoolExecutor(1, mp_context=get_context("spawn")) as ex:
        return ex.submit(_readers_process, url, key, paths, n, each, etag).result()


def _row(name: str, xs: list[float], unit: Callable[[float], str]) -> str:
    return (
        f"| {name} | {len(xs)} | {unit(statistics.median(xs))} | {unit(_pct(xs, 0.95))} "
        f"| {unit(max(xs))} |"
    )


@contextlib.contextmanager
def database(kind: str) -> Iterator[str | None]:
    """A fresh database URL of ``kind`` (a temporary SQLite file, or a PostgreSQL schema on
    127.0.0.1:5432 dropped afterwards); None when PostgreSQL cannot be reached."""
    if kind == "sqlite":
        with tempfile.TemporaryDirectory(prefix="bench-service-") as tmp:
            yield f"sqlite:///{tmp}/bench.sqlite3"
        return
    import psycopg

    schema = f"bench_{uuid.uuid4().hex[:10]}"
    for user in ("postgres", "root"):
        dsn = f"host=127.0.0.1 port=5432 dbname=test user={user}"
        try:
            with psycopg.connect(dsn, autocommit=True, connect_timeout=3) as conn:
                conn.execute(f'CREATE SCHEMA "{schema}"')
        except psycopg.OperationalError:
            continue
        try:
            yield f"postgresql+psycopg://{user}@127.0.0.1:5432/test?options=-csearch_path%3D{schema}"
        finally:
            with psycopg.connect(dsn, autocommit=True) as conn:
                conn.execute(f'DROP SCHEMA "{schema}" CASCADE')
        return
    yield None


def recalls(client: httpx.Client, body: bytes, leaving: tuple[int, ...]) -> dict[int, str]:
    """Solve the round once, then ``POST /plans/{id}/replace`` recalling the first n sitting
    cadres for each n in ``leaving``: seconds per call (one warm-up call first)."""
    rid = client.post("/rounds", content=body, headers={"Content-Type": "application/json"})
    job = client.post(f"/rounds/{rid.json()['id']}/solve").json()
    plan_id = str(_wait(client, str(job["id"]))["plan_id"])
    held = [a["cadre"] for a in client.get(f"/plans/{plan_id}").json()["result"]["assignments"]]
    held = [c for c in held if c]
    out: dict[int, str] = {}
    for n in (leaving[0], *leaving):  # the first call warms the parsed-round cache
        events = {"recall": held[:n], "effective": "2025-07-01"}
        t = time.perf_counter()
        r = client.post(f"/plans/{plan_id}/replace", json=events)
        took = f"{time.perf_counter() - t:.2f}"
        out[n] = took if r.status_code == 201 else f"{took} ({r.status_code}: {r.text[:120]})"
    return out


def main(
    runs: int = 20,
    n_readers: int = 50,
    each: int = 10,
    workers: int = 2,
    databases: tuple[str, ...] = ("sqlite", "postgresql"),
) -> None:
    """Each database in turn: lifecycle runs, 50 readers, 304 revalidation, recalls."""
    from geodata.scenarios import generate

    rnd = generate("jinzhou", 0)
    body = rnd.model_dump_json().encode()
    datong_scale = SCALES["datong"]  # the benchmark's Datong round (as benchmarks.run)
    datong = datong_scale.make(datong_scale.seed).model_dump_json().encode()
    ms: Callable[[float], str] = lambda s: f"{s * 1000:.1f} ms"  # noqa: E731
    print(
        f"Jinzhou round: {len(rnd.communities)} communities, {len(rnd.cadres)} cadres, "
        f"{len(body) / 1024:.0f} KiB of JSON; {workers} workers; load average "
        f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores at the start\n"
    )
    for kind in databases:
        with database(kind) as url_db:
            if url_db is None:
                print(f"\n### {kind}: not reachable, skipped\n")
                continue
            _one_database(kind, url_db, rnd, body, datong, runs, n_readers, each, workers, ms)


def _one_database(
    kind: str,
    url_db: str,
    rnd: Any,
    body: bytes,
    datong: bytes,
    runs: int,
    n_readers: int,
    each: int,
    workers: int,
    ms: Callable[[float], str],
) -> None:
    store = Store.connect(url_db)
    upgrade(store.engine)
    key = create_key(store, "bench", Role.PLANNER)
    store.close()
    proc, url = _serve(url_db, workers)
    try:
        with httpx.Client(
            base_url=url, headers={"Authorization": f"Bearer {key}"}, timeout=600
        ) as client:
            while client.get("/health").json()["status"] != "ok":
                time.sleep(0.2)
            lifecycle(client, body)  # warm-up
            times, runs_s, states = [], [], set()
            for _ in range(runs):
                dt, done = lifecycle(client, body)
                times.append(dt)
                runs_s.append(_seconds(done["started_at"], done["finished_at"]))
                states.add(str(done["state"]))
            job = client.get(f"/rounds/{client.get('/rounds').json()['items'][0]['id']}/jobs")
            last = job.json()["items"][-1]
            paths = {
                "GET /rounds/{id} (full round)": f"/rounds/{last['round_id']}",
                "GET /jobs/{id}": f"/jobs/{last['id']}",
                "GET /plans/{id}": f"/plans/{last['plan_id']}",
            }
            reads = readers(url, key, paths, n_readers, each)
            revalidated = readers(url, key, paths, n_readers, each, etag=True)
            recall = recalls(client, datong, (1, 8))
    finally:
        os.killpg(proc.pid, signal.SIGINT)
        proc.wait(30)
    print(f"\n### {kind} (load average {os.getloadavg()[0]:.1f} at the end)\n")
    print(f"job states {sorted(states)}\n")
    print("| lifecycle (create → solve → events → plan) | runs | p50 | p95 | max |")
    print("|---|---|---|---|---|")
    print(_row("over HTTP, real engine", times, ms))
    print(_row("of which the job ran (worker: engine and store)", runs_s, ms))
    for title, data in (("full bodies", reads), ("If-None-Match → 304", revalidated)):
        print(f"\n| {n_readers} concurrent readers, {title} | requests | p50 | p95 | max |")
        print("|---|---|---|---|---|")
        for name, (client_s, server_s) in data.items():
            print(_row(f"{name}, client", client_s, ms))
            if server_s:
                print(_row(f"{name}, server", server_s, ms))
    print("\n| Datong: POST /plans/{id}/replace (request to response) | seconds |")
    print("|---|---:|")
    for n, sec in recall.items():
        print(f"| {n} cadre(s) recalled | {sec} |")
    print(
        f"\nClient: one separate process, {n_readers} asyncio connections; it shares the "
        f"machine's {os.cpu_count()} cores with the server and the workers."
    )


def _seconds(start: object, end: object) -> float:
    return (datetime.fromisoformat(str(end)) - datetime.fromisoformat(str(start))).total_seconds()


#: The read comparison's servers: database, and how a PostgreSQL server reads round heads
#: (``loop``: batched on the event loop; ``threads``: the pooled read in a thread, the old path).
READ_VARIANTS = (("sqlite", "loop"), ("postgresql", "loop"), ("postgresql", "threads"))


def reads_compared(reps: int = 2, n_readers: int = 50, each: int = 10) -> None:
    """Only the readers, for each of :data:`READ_VARIANTS` in turn, ``reps`` times
    alternating (so load changes hit every variant alike): the round body (without and with
    its private fields), the job and the plan, server-side p50 / p95, and PostgreSQL's p95
    as a multiple of SQLite's in the same repetition. Issue 23's row: ``GET /rounds/{id}``
    on PostgreSQL, server side, p95 ≤ 2× SQLite's."""
    from geodata.scenarios import generate

    body = generate("jinzhou", 0).model_dump_json().encode()
    ms: Callable[[float], str] = lambda s: f"{s * 1000:.1f}"  # noqa: E731
    print(
        f"{n_readers} readers × {each} reads each; load average {os.getloadavg()[0]:.1f} on "
        f"{os.cpu_count()} cores at the start\n"
    )
    print("| rep | server | read | p50 ms | p95 ms | p95 / SQLite's | load |")
    print("|---|---|---|---:|---:|---:|---:|")
    for rep in range(1, reps + 1):
        sqlite_p95: dict[str, float] = {}
        for kind, heads in READ_VARIANTS:
            with database(kind) as url_db:
                if url_db is None:
                    print(f"| {rep} | {kind}: not reachable | | | | | |")
                    continue
                got = _read_variant(url_db, heads, body, n_readers, each)
            load = f"{os.getloadavg()[0]:.1f}"
            for name, (_, server_s) in got.items():
                p95 = _pct(server_s, 0.95)
                if kind == "sqlite":
                    sqlite_p95[name] = p95
                ratio = f"{p95 / sqlite_p95[name]:.1f}×" if sqlite_p95.get(name) else ""
                label = kind if kind == "sqlite" else f"{kind} ({heads})"
                print(
                    f"| {rep} | {label} | {name} | {ms(statistics.median(server_s))} "
                    f"| {ms(p95)} | {ratio} | {load} |"
                )


def _read_variant(url_db: str, heads: str, body: bytes, n_readers: int, each: int) -> Timings:
    """One server (one worker, to solve once) on a fresh database: the readers' timings."""
    store = Store.connect(url_db)
    upgrade(store.engine)
    key = create_key(store, "bench", Role.PLANNER)
    store.close()
    proc, url = _serve(url_db, 1, {"MATCHER_ROUND_HEADS": heads})
    try:
        with httpx.Client(
            base_url=url, headers={"Authorization": f"Bearer {key}"}, timeout=600
        ) as client:
            while client.get("/health").json()["status"] != "ok":
                time.sleep(0.2)
            _, done = lifecycle(client, body)
            rid = client.get(f"/jobs/{done['id']}").json()["round_id"]
            paths = {
                "GET /rounds/{id}": f"/rounds/{rid}",
                "GET /rounds/{id}?include=private": f"/rounds/{rid}?include=private",
                "GET /jobs/{id}": f"/jobs/{done['id']}",
                "GET /plans/{id}": f"/plans/{done['plan_id']}",
            }
            return readers(url, key, paths, n_readers, each)
    finally:
        os.killpg(proc.pid, signal.SIGINT)
        proc.wait(30)


if __name__ == "__main__":
    if "--reads" in sys.argv[1:]:
        reads_compared()
    else:
        main()
