"""Benchmark: parallel writers against a real uvicorn, on SQLite and on PostgreSQL.

Run ``.venv/bin/python -m benchmarks.bench_writers`` (``--trials N``); prints a Markdown table.
Each trial, from separate client threads at once: 20 blind ``PUT /rounds/{id}``, 8 ``PUT``s
that all send the same ``If-Match``, 6 ``PUT /rounds/{id}/locks`` for 6 cadres, and 40
``POST /rounds/{id}/solve`` with a queue limit of 16 (no workers, so jobs stay queued; they are
cancelled after the trial); ``--baseline DIR`` measures an older checkout (e.g. ``git archive``
of the commit before the fix) in the same run. Counted: answers by status, distinct versions,
locks kept, solves accepted; PUT latency percentiles. What must hold: no 5xx, 20 distinct
versions, exactly one If-Match winner, 6 of 6 locks, exactly 16 accepted. Timings are
wall-clock, never asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).parents[1]
TINY = ROOT / "tests" / "data" / "rounds" / "tiny.json"
_PORT = re.compile(r"Uvicorn running on http://127\.0\.0\.1:(\d+)")
PG = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


_SETUP = (
    "import sys; from matcher_service.store import Store; from matcher_service.migrate import "
    "upgrade; from matcher_service.auth import Role, create_key; s = Store.connect(sys.argv[1]); "
    "upgrade(s.engine); print(create_key(s, 'bench writers', Role.PLANNER))"
)


@contextmanager
def server(db_url: str, code: Path = ROOT) -> Iterator[tuple[str, str]]:
    """A live server without workers on ``db_url`` running the checkout at ``code`` (this one,
    or an older commit's to compare); (base URL, planner key)."""
    env = {**os.environ, "DATABASE_URL": db_url, "MATCHER_WORKERS": "0", "PYTHONPATH": str(code)}
    env |= {"MATCHER_QUEUE_LIMIT": "16", "MATCHER_WARM_UP": "0"}
    setup = [sys.executable, "-c", _SETUP, db_url]
    key = subprocess.run(setup, cwd=code, env=env, capture_output=True, text=True, check=True)
    key_text = key.stdout.strip().splitlines()[-1]
    cmd = [sys.executable, "-m", "uvicorn", "--factory", "service:create_app"]
    cmd += ["--host", "127.0.0.1", "--port", "0", "--no-access-log"]
    proc = subprocess.Popen(cmd, cwd=code, env=env, stderr=subprocess.PIPE, text=True)
    assert proc.stderr is not None
    try:
        for line in proc.stderr:
            if m := _PORT.search(line):
                threading.Thread(target=proc.stderr.read, daemon=True).start()
                yield f"http://127.0.0.1:{m.group(1)}", key_text
                return
        raise RuntimeError("the server did not start")
    finally:
        proc.terminate()
        proc.wait(30)


@contextmanager
def postgres_schema() -> Iterator[str]:
    import psycopg

    schema = f"bench_{uuid.uuid4().hex[:10]}"
    dsn = PG.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    try:
        yield f"{PG}?options=-csearch_path%3D{schema}"
    finally:
        with psycopg.connect(dsn, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA "{schema}" CASCADE')


def at_once(n: int, url: str, key: str, call: Callable[[httpx.Client, int], Any]) -> list[Any]:
    """``call(client, i)`` from ``n`` threads, each on its own connection, started together."""
    gate = threading.Barrier(n)

    def one(i: int) -> Any:
        with httpx.Client(base_url=url, headers={"Authorization": f"Bearer {key}"}) as c:
            c.get("/health")  # connect before the gate
            gate.wait()
            return call(c, i)

    with ThreadPoolExecutor(n) as ex:
        return list(ex.map(one, range(n)))


def timed_put(c: httpx.Client, path: str, body: dict[str, Any], **h: str) -> tuple[int, float, Any]:
    t = time.perf_counter()
    r = c.put(path, json=body, headers=h)
    dt = time.perf_counter() - t
    return r.status_code, dt, r.json().get("version") if r.status_code == 200 else None


def trial(url: str, key: str, raw: dict[str, Any]) -> dict[str, Any]:
    with httpx.Client(base_url=url, headers={"Authorization": f"Bearer {key}"}) as c:
        rid = c.post("/rounds", json=raw).json()["id"]
    blind = at_once(20, url, key, lambda c, i: timed_put(c, f"/rounds/{rid}", raw))
    head = 21
    guarded = at_once(
        8, url, key, lambda c, i: timed_put(c, f"/rounds/{rid}", raw, **{"If-Match": f'"{head}"'})
    )
    pairs = [("C01", "GT01"), ("C02", "GT01"), ("C03", "GT02"), ("C04", "LH01")]
    pairs += [("C05", "GT02"), ("C07", "GT02")]
    locks = at_once(
        6,
        url,
        key,
        lambda c, i: (
            c.put(
                f"/rounds/{rid}/locks", json={"cadre": pairs[i][0], "community": pairs[i][1]}
            ).status_code
        ),
    )
    solves = at_once(40, url, key, lambda c, i: c.post(f"/rounds/{rid}/solve"))
    with httpx.Client(base_url=url, headers={"Authorization": f"Bearer {key}"}) as c:
        kept = len(c.get(f"/rounds/{rid}/locks").json()["locks"])
        for r in solves:
            if r.status_code == 202:
                c.delete(f"/jobs/{r.json()['id']}")
    codes = [s for s, _, _ in blind] + [s for s, _, _ in guarded] + locks
    codes += [r.status_code for r in solves]
    return {
        "put_ok": sum(s == 200 for s, _, _ in blind),
        "versions": len({v for s, _, v in blind if s == 200}),
        "put_s": [t for _, t, _ in blind],
        "if_match": (sum(s == 200 for s, _, _ in guarded), sum(s == 412 for s, _, _ in guarded)),
        "locks": kept,
        "accepted": sum(r.status_code == 202 for r in solves),
        "5xx": sum(s >= 500 for s in codes),
    }


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main(trials: int = 5, baseline: Path | None = None) -> None:
    """Print the table; with ``baseline`` (an older checkout) its rows are measured too."""
    raw = json.loads(TINY.read_text(encoding="utf-8"))
    raw["cadres"].append({**raw["cadres"][2], "id": "C07", "name": "周七"})
    print(f"## Parallel writers ({trials} trials each; load average {os.getloadavg()[0]:.1f})\n")
    print(
        "| database | blind PUTs 200 | distinct versions | If-Match 200 / 412 | locks kept "
        "| solves accepted (limit 16, 40 sent) | 5xx | PUT p50 / p95 ms |"
    )
    print("|---|---|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory(prefix="bench-writers-") as tmp:
        cases = [("SQLite", None, ROOT), ("PostgreSQL", "pg", ROOT)]
        if baseline is not None:
            cases += [(f"{n}, {baseline.name}", d, baseline) for n, d, _ in cases]
        for name, db, code in cases:
            ctx = postgres_schema() if db else _sqlite(tmp, name)
            with ctx as db_url, server(db_url, code) as (url, key):
                runs = [trial(url, key, raw) for _ in range(trials)]
            put_s = [t for r in runs for t in r["put_s"]]
            print(
                f"| {name} | {_span(r['put_ok'] for r in runs)} of 20 "
                f"| {_span(r['versions'] for r in runs)} of 20 "
                f"| {_span(r['if_match'][0] for r in runs)} / "
                f"{_span(r['if_match'][1] for r in runs)} of 8 "
                f"| {_span(r['locks'] for r in runs)} of 6 "
                f"| {_span(r['accepted'] for r in runs)} | {sum(r['5xx'] for r in runs)} "
                f"| {_pct(put_s, 0.5) * 1000:.0f} / {_pct(put_s, 0.95) * 1000:.0f} |"
            )


@contextmanager
def _sqlite(folder: str, name: str) -> Iterator[str]:
    yield f"sqlite:///{folder}/{uuid.uuid4().hex[:8]}.sqlite3"


def _span(values: Any) -> str:
    vs = list(values)
    lo, hi = min(vs), max(vs)
    return f"{lo}" if lo == hi else f"{lo}–{hi}"


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=5)
    parser.add_argument(
        "--baseline", type=Path, default=None, help="an older checkout to measure beside this one"
    )
    args = parser.parse_args()
    main(args.trials, args.baseline)
