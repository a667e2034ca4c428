"""Benchmark: the HTTP service on the Jinzhou round, over a real uvicorn on 127.0.0.1.

Run ``.venv/bin/python -m benchmarks.bench_service`` (or ``main()``); prints Markdown tables.

* **lifecycle** — create the round (POST /rounds, 247 communities, the full roster), solve it
  (POST /rounds/{id}/solve → 202), follow the job's server-sent events to the end, fetch the
  plan (GET /plans/{id}); ``runs`` times after one warm-up, p50 / p95 / max. Target: p95 ≤ 1 s.
* **readers** — ``readers`` threads, each with its own connection, read at once: the round
  body, the job and the plan; p50 / p95 per endpoint. Target: p95 ≤ 50 ms with 50 readers.

The server runs with the SQLite default in a temporary folder and 2 worker processes; the
engine is the real one (:func:`pipeline.run_round`). Timings are wall-clock, never asserted.
"""

from __future__ import annotations

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
from collections.abc import Callable
from pathlib import Path

import httpx

from api.auth import Role, create_key
from api.migrate import upgrade
from api.store import Store

ROOT = Path(__file__).parents[1]
_PORT = re.compile(r"Uvicorn running on http://127\.0\.0\.1:(\d+)")


def _serve(db_url: str, workers: int) -> tuple[subprocess.Popen[str], str]:
    env = {**os.environ, "DATABASE_URL": db_url, "MATCHER_WORKERS": str(workers)}
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
    """Create → solve → wait → fetch plan; seconds taken and the final job."""
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


def readers(url: str, key: str, paths: dict[str, str], n: int, each: int) -> dict[str, list[float]]:
    """``n`` threads read every path ``each`` times, all starting together."""
    times: dict[str, list[float]] = {name: [] for name in paths}
    lock, go = threading.Lock(), threading.Barrier(n)

    def read() -> None:
        with httpx.Client(base_url=url, headers={"Authorization": f"Bearer {key}"}) as c:
            c.get("/health")  # connect before the clock starts
            go.wait()
            for _ in range(each):
                for name, path in paths.items():
                    t = time.perf_counter()
                    c.get(path).raise_for_status()
                    with lock:
                        times[name].append(time.perf_counter() - t)

    threads = [threading.Thread(target=read) for _ in range(n)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    return times


def _row(name: str, xs: list[float], unit: Callable[[float], str]) -> str:
    return (
        f"| {name} | {len(xs)} | {unit(statistics.median(xs))} | {unit(_pct(xs, 0.95))} "
        f"| {unit(max(xs))} |"
    )


def main(runs: int = 20, n_readers: int = 50, each: int = 10, workers: int = 2) -> None:
    from geodata.scenarios import generate

    rnd = generate("jinzhou", 0)
    body = rnd.model_dump_json().encode()
    with tempfile.TemporaryDirectory(prefix="bench-service-") as tmp:
        url_db = f"sqlite:///{tmp}/bench.sqlite3"
        store = Store.connect(url_db)
        upgrade(store.engine)
        key = create_key(store, "bench", Role.PLANNER)
        store.close()
        proc, url = _serve(url_db, workers)
        try:
            with httpx.Client(
                base_url=url, headers={"Authorization": f"Bearer {key}"}, timeout=300
            ) as client:
                lifecycle(client, body)  # warm-up: workers import the engine and geodata
                times, states = [], set()
                for _ in range(runs):
                    dt, done = lifecycle(client, body)
                    times.append(dt)
                    states.add(str(done["state"]))
                job = client.get(f"/rounds/{client.get('/rounds').json()['items'][0]['id']}/jobs")
                last = job.json()["items"][-1]
                paths = {
                    "GET /rounds/{id} (full round)": f"/rounds/{last['round_id']}",
                    "GET /jobs/{id}": f"/jobs/{last['id']}",
                    "GET /plans/{id}": f"/plans/{last['plan_id']}",
                }
                reads = readers(url, key, paths, n_readers, each)
        finally:
            os.killpg(proc.pid, signal.SIGINT)
            proc.wait(30)

    ms: Callable[[float], str] = lambda s: f"{s * 1000:.0f} ms"  # noqa: E731
    print(
        f"Jinzhou round: {len(rnd.communities)} communities, {len(rnd.cadres)} cadres, "
        f"{len(body) / 1024:.0f} KiB of JSON; {workers} workers; job states {sorted(states)}\n"
    )
    print("| lifecycle (create → solve → events → plan) | runs | p50 | p95 | max |")
    print("|---|---|---|---|---|")
    print(_row("over HTTP, real engine", times, ms))
    print(f"\n| {n_readers} concurrent readers | requests | p50 | p95 | max |")
    print("|---|---|---|---|---|")
    for name, xs in reads.items():
        print(_row(name, xs, ms))


if __name__ == "__main__":
    main()
