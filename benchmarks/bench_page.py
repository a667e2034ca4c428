"""Benchmark: the planner's page on a Datong-sized plan (1,381 compounds), in headless Chromium.

Run ``.venv/bin/python -m benchmarks.bench_page`` (``make bench`` runs it too); prints a
Markdown table. A real uvicorn with the SQLite default and one worker serves the page; the
Datong round is created and solved through the API first. Measured, ``runs`` times each:

* **first plan view** — from pressing 登录 (sign in) with the round already solved to the
  table's first page and the map's markers drawn (the page fetches the round, its district
  outlines, the plan, its GeoJSON and KPIs);
* **re-solve after a lock** — from pressing 锁定此安排 (lock) to the new plan drawn: the lock
  writes a new round version, the solve runs in the worker and streams its progress, and the
  page draws the new plan;
* beside each, the same API calls made by a plain HTTP client (no browser), so the ratio shows
  what the page itself adds.

Timings are wall-clock on a shared machine, reported as medians and ratios, never asserted.
"""

from __future__ import annotations

import shutil
import statistics
import tempfile
import time
from typing import Any

import httpx

from geodata.scenarios import generate
from matcher_service.auth import Role, create_key
from matcher_service.migrate import upgrade
from matcher_service.settings import DEFAULT_RUNNER
from matcher_service.store import Store
from tests.matcher_service.live import LiveServer

FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]


def _api_view(client: httpx.Client, round_id: str, plan_id: str) -> float:
    start = time.perf_counter()
    client.get(f"/rounds/{round_id}").raise_for_status()
    client.get(f"/rounds/{round_id}/districts").raise_for_status()
    client.get(f"/rounds/{round_id}/plans").raise_for_status()
    for path in ("", "/export/geojson", "/kpis"):
        client.get(f"/plans/{plan_id}{path}").raise_for_status()
    return time.perf_counter() - start


def _solve(client: httpx.Client, round_id: str) -> str:
    job = client.post(f"/rounds/{round_id}/solve").json()
    while job["state"] not in ("succeeded", "failed", "cancelled", "interrupted"):
        time.sleep(0.05)
        job = client.get(f"/jobs/{job['id']}").json()
    return str(job["plan_id"])


def _api_resolve(client: httpx.Client, round_id: str) -> float:
    """What the page does on 改派此人并锁定 then 求解: the first post's best alternative locked
    to it, a solve, the new plan and its GeoJSON."""
    plan_id = client.get(f"/rounds/{round_id}/plans").json()["items"][-1]["id"]
    plan = client.get(f"/plans/{plan_id}").json()
    lock: dict[str, str] = {}
    for post in (a for a in plan["result"]["assignments"] if a["cadre"] and not a["locked"]):
        where = f"{post['community']}/{post['post_type']}/{post['slot']}"
        why = client.get(f"/plans/{plan_id}/why/{where}?k=3").json()
        others = [a["cadre_id"] for a in why["alternatives"] if a["cadre_id"] != post["cadre"]]
        if others:
            lock = {"cadre": others[0], "community": post["community"]}
            lock["post_type"] = post["post_type"]
            break
    start = time.perf_counter()
    client.put(f"/rounds/{round_id}/locks", json=lock).raise_for_status()
    new = _solve(client, round_id)
    client.get(f"/plans/{new}").raise_for_status()
    client.get(f"/plans/{new}/export/geojson").raise_for_status()
    return time.perf_counter() - start


def _page_run(browser: Any, url: str, key: str, round_id: str) -> tuple[float, float]:
    """Sign in, open the round, wait for the plan; then lock an alternative and re-solve."""
    page = browser.new_page(viewport={"width": 1500, "height": 1000})
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(url + "/")
    page.fill("#key", key)
    start = time.perf_counter()
    page.click("#sign-in-form button[type=submit]")
    page.click(f"#rounds [data-round='{round_id}']")
    page.wait_for_selector("#post-table tbody tr", timeout=120_000)
    page.wait_for_selector(".leaflet-overlay-pane canvas")
    view = time.perf_counter() - start
    rows = page.locator("#post-table tbody tr")
    for i in range(rows.count()):
        rows.nth(i).click()
        page.wait_for_selector("#detail:not([hidden]) h4")
        if page.locator("#detail button.take").count():
            break
    start = time.perf_counter()
    page.locator("#detail button.take").first.click()
    page.wait_for_selector("#notice:has-text('已锁定')")
    page.click("#solve")
    page.wait_for_selector("#plan-select option:nth-child(2)", state="attached", timeout=300_000)
    page.wait_for_selector("#post-table tbody tr")
    resolve = time.perf_counter() - start
    page.close()
    if errors:
        raise RuntimeError("; ".join(errors))
    return view, resolve


def main(runs: int = 3) -> None:
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium")
    if chromium is None:
        print("Chromium is not installed (make browser); the page benchmark is skipped.")
        return
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/bench.sqlite3"
        store = Store.connect(url)
        upgrade(store.engine)
        key = create_key(store, "bench", Role.PLANNER)
        store.close()
        server = LiveServer(url, DEFAULT_RUNNER).start()
        try:
            client = httpx.Client(base_url=server.url, headers={"X-API-Key": key}, timeout=300)
            body = generate("datong", 3).model_dump(mode="json")

            def fresh() -> str:
                """A new copy of the round, solved once (runs never share locks)."""
                rid = str(client.post("/rounds", json=body).json()["id"])
                _solve(client, rid)
                return rid

            fresh()  # the worker's first job warms it up
            api_views, api_locks, views, resolves = [], [], [], []
            for _ in range(runs):
                rid = fresh()
                plan_id = client.get(f"/rounds/{rid}/plans").json()["items"][-1]["id"]
                api_views.append(_api_view(client, rid, plan_id))
                api_locks.append(_api_resolve(client, rid))
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=chromium, args=FLAGS)
                for _ in range(runs):
                    rid = fresh()
                    view, resolve = _page_run(browser, server.url, key, rid)
                    views.append(view)
                    resolves.append(resolve)
                browser.close()
        finally:
            server.stop()
    view, resolve = statistics.median(views), statistics.median(resolves)
    api_view, api_lock = statistics.median(api_views), statistics.median(api_locks)
    print("\n### The planner's page, Datong (1,381 compounds), headless Chromium\n")
    print("| step | page (median s) | API calls alone (s) | page / API |")
    print("|---|---:|---:|---:|")
    print(f"| first plan view | {view:.2f} | {api_view:.2f} | {view / api_view:.1f}× |")
    print(f"| re-solve after a lock | {resolve:.2f} | {api_lock:.2f} | {resolve / api_lock:.1f}× |")
    print(f"\n{runs} runs each; API column: the same requests from httpx, no rendering.")


if __name__ == "__main__":
    main()
