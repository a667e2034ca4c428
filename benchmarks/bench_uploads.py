"""Crafted uploads against a live server: how fast each is refused, what it costs in memory,
and whether ``/health`` stays quick meanwhile (issue 15, item 2).

``python -m benchmarks.bench_uploads`` starts, for each upload of
:mod:`benchmarks.upload_bombs`, a fresh ``uvicorn`` as ``make serve`` does (SQLite, no
workers), sends the file to ``POST /rounds/upload`` while another thread asks ``/health``
every 20 ms, and prints one Markdown row: status, answer time, the server's peak RSS before
and after (``VmHWM`` from /proc: a fresh server per upload, so the growth is that upload's),
and the slowest ``/health`` answer seen during the upload. Before it, the server reads a
valid workbook and JSON round once, so lazy imports and the key check are not counted.
"""

from __future__ import annotations

import tempfile
import threading
import time
from pathlib import Path

import httpx

from benchmarks.upload_bombs import BOMBS, TINY, tiny_workbook
from matcher_service.auth import Role, create_key
from matcher_service.migrate import upgrade
from matcher_service.store import Store
from tests.matcher_service.live import LiveServer

GREEDY = "tests.matcher_service.solve_doubles:greedy_run"


def peak_rss_mb(pid: int) -> float:
    """The process's peak resident set size (VmHWM), in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def measure(label: str, name: str, data: bytes, folder: Path) -> str:
    url = f"sqlite:///{folder}/bench.sqlite3"
    store = Store.connect(url)
    upgrade(store.engine)
    key = create_key(store, "bench", Role.PLANNER)
    store.close()
    server = LiveServer(url, GREEDY, MATCHER_WORKERS="0", MATCHER_WARM_UP="0").start()
    try:
        assert server.proc is not None
        with httpx.Client(base_url=server.url, timeout=120) as client:
            auth = {"Authorization": f"Bearer {key}"}
            for warm in (tiny_workbook(), TINY.read_bytes()):  # imports, key check: paid once
                kind = "tiny.xlsx" if warm[:2] == b"PK" else "tiny.json"
                client.post("/rounds/upload", files=[("files", (kind, warm))], headers=auth)
            before = peak_rss_mb(server.proc.pid)
            health: list[float] = []
            done = threading.Event()

            def poll() -> None:
                with httpx.Client(base_url=server.url, timeout=120) as c:
                    while not done.is_set():
                        t = time.perf_counter()
                        c.get("/health")
                        health.append(time.perf_counter() - t)
                        done.wait(0.02)

            poller = threading.Thread(target=poll)
            poller.start()
            t0 = time.perf_counter()
            r = client.post(
                "/rounds/upload",
                files=[("files", (name, data, "application/octet-stream"))],
                headers=auth,
            )
            elapsed = time.perf_counter() - t0
            done.set()
            poller.join()
            after = peak_rss_mb(server.proc.pid)
        slowest = f"{max(health) * 1000:,.0f}" if health else "– (answered first)"
        return (
            f"| {label} | {len(data) / 1024:,.0f} | {r.status_code} | {elapsed * 1000:,.0f} | "
            f"{before:,.0f} → {after:,.0f} (+{after - before:,.0f}) | {slowest} |"
        )
    finally:
        server.stop()


def main() -> None:
    print("| upload | size KB | status | answer ms | server peak RSS MB | slowest /health ms |")
    print("|---|---:|---:|---:|---|---:|")
    for label, make in BOMBS.items():
        name, data = make()
        with tempfile.TemporaryDirectory() as tmp:
            print(measure(label, name, data, Path(tmp)), flush=True)


if __name__ == "__main__":
    main()
