"""Benchmark: the planner's page on a Datong-sized plan (1,381 compounds), in headless Chromium.

Run ``.venv/bin/python -m benchmarks.bench_page`` (``make bench`` runs it too; ``--detail``
lists every request of each view); prints a Markdown table. A real uvicorn with the SQLite
default and one worker serves the page; Datong rounds are created and solved through the API
first. Measured, ``runs`` times each, page and bare API calls alternating in the same run:

* **first plan view** — from pressing 登录 (sign in), the page's code already loaded, to the
  table's first page and the plan's markers drawn on the map: the page signs in, lists the
  rounds, reads the round, its district outlines, its plans, the plan, its GeoJSON and KPIs;
* **second view** — the same round opened again after another round was shown: every body
  the page holds is asked again with ``If-None-Match`` and should come back 304 (no body);
* **re-solve after a lock** — from pressing 锁定此安排 (lock) to the new plan drawn;
* beside each, the calls the view needs made by a plain HTTP client (httpx, gzip accepted,
  no browser, one after the other), so the ratio shows what the page itself adds.

Bytes are the response bodies as they travelled (after gzip), counted by the browser for the
page and by httpx for the bare calls; the page's own code and fonts (fetched once, before
sign-in) are reported apart. Timings are wall-clock on a shared machine, reported as medians
and ratios, never asserted.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from geodata.scenarios import generate
from matcher_service.auth import Role, create_key
from matcher_service.migrate import upgrade
from matcher_service.settings import DEFAULT_RUNNER
from matcher_service.store import Store
from tests.matcher_service import live
from tests.matcher_service.live import LiveServer

ROOT = Path(__file__).parents[1]
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]
MB = 1_000_000


@dataclass
class Traffic:
    """The requests a view made: path, status and body bytes on the wire."""

    rows: list[tuple[str, int, int]] = field(default_factory=list)

    @property
    def bytes(self) -> int:
        return sum(n for _, _, n in self.rows)

    @property
    def requests(self) -> int:
        return len(self.rows)

    def detail(self, title: str) -> str:
        lines = [f"  {title}: {self.requests} requests, {self.bytes / MB:.3f} MB"]
        lines += [f"    {status} {n:>10,} B  {path}" for path, status, n in self.rows]
        return "\n".join(lines)


def _api_view(client: httpx.Client, round_id: str, plan_id: str) -> tuple[float, Traffic]:
    """The calls a first plan view needs, bare: who am I, the rounds, the round, its outlines,
    its plans, the plan, the plan's GeoJSON and KPIs."""
    traffic = Traffic()
    paths = ["/me", "/rounds?limit=200", f"/rounds/{round_id}", f"/rounds/{round_id}/districts"]
    paths += [f"/rounds/{round_id}/plans", f"/plans/{plan_id}"]
    paths += [f"/plans/{plan_id}/export/geojson", f"/plans/{plan_id}/kpis"]
    start = time.perf_counter()
    for path in paths:
        res = client.get(path)
        res.raise_for_status()
        traffic.rows.append((path, res.status_code, res.num_bytes_downloaded))
    return time.perf_counter() - start, traffic


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


class Recorder:
    """Every request the page makes from now on, with its body size once it finished."""

    def __init__(self, page: Any, origin: str) -> None:
        self.origin = origin
        self.open: set[Any] = set()
        self.done: list[tuple[str, int, int]] = []
        page.on("request", lambda r: self.open.add(r))
        page.on("requestfinished", lambda r: self._finished(r))
        page.on("response", lambda r: self._not_modified(r))
        page.on("requestfailed", lambda r: self.open.discard(r))

    def _not_modified(self, response: Any) -> None:
        """A 304 has no body to finish (Chromium reports no end for it): counted here."""
        if response.status == 304 and response.request in self.open:
            self.open.discard(response.request)
            self.done.append((response.url.removeprefix(self.origin), 304, 0))

    def _finished(self, request: Any) -> None:
        if request not in self.open:
            return  # a 304, counted already
        self.open.discard(request)
        response = request.response()
        status = response.status if response else 0
        size = request.sizes()["responseBodySize"]
        self.done.append((request.url.removeprefix(self.origin), status, size))

    def take(self, page: Any) -> Traffic:
        """The requests finished since the last take, once none is in flight."""
        for _ in range(200):
            if not self.open:
                break
            page.wait_for_timeout(25)
        rows, self.done = self.done, []
        return Traffic(rows)


def _drawn(page: Any, plan_id: str) -> None:
    """Wait for the plan's table rows and its markers on the map, then for the next frame."""
    page.wait_for_selector(f"#map[data-plan='{plan_id}']", timeout=120_000)
    page.wait_for_selector("#post-table tbody tr")
    page.evaluate("() => new Promise((r) => requestAnimationFrame(() => r()))")


def _old_tree(rev: str, folder: Path) -> Path:
    """The project at git revision ``rev`` (tracked files), unpacked into ``folder``."""
    archive = subprocess.run(["git", "archive", rev], cwd=ROOT, check=True, capture_output=True)
    folder.mkdir(parents=True, exist_ok=True)
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive.stdout, check=True)
    return folder


def _old_server(tree: Path, url: str) -> LiveServer:
    """The service as it was at the old revision, on the same database (LiveServer runs from
    its module's ROOT; pointed at the old tree for the start)."""
    saved = live.ROOT
    live.ROOT = tree
    try:
        return LiveServer(url, DEFAULT_RUNNER).start()
    finally:
        live.ROOT = saved


def _page_views(
    browser: Any, url: str, key: str, rid: str, other: str, plan_id: str, other_plan: str
) -> tuple[float, Traffic, float, Traffic, Traffic]:
    """Sign in and open ``rid`` (first view); open ``other``; open ``rid`` again (second view)."""
    page = browser.new_page(viewport={"width": 1500, "height": 1000})
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    record = Recorder(page, url)
    page.goto(url + "/")
    page.wait_for_selector("#key")
    code = record.take(page)
    page.fill("#key", key)
    start = time.perf_counter()
    page.click("#sign-in-form button[type=submit]")
    page.click(f"#rounds [data-round='{rid}']")
    _drawn(page, plan_id)
    first = time.perf_counter() - start
    first_traffic = record.take(page)
    page.click(f"#rounds [data-round='{other}']")
    _drawn(page, other_plan)
    record.take(page)
    start = time.perf_counter()
    page.click(f"#rounds [data-round='{rid}']")
    _drawn(page, plan_id)
    second = time.perf_counter() - start
    second_traffic = record.take(page)
    page.close()
    if errors:
        raise RuntimeError("; ".join(errors))
    return first, first_traffic, second, second_traffic, code


def _page_resolve(browser: Any, url: str, key: str, round_id: str, plan_id: str) -> float:
    """Sign in, open the round, lock an alternative and re-solve."""
    page = browser.new_page(viewport={"width": 1500, "height": 1000})
    page.goto(url + "/")
    page.fill("#key", key)
    page.click("#sign-in-form button[type=submit]")
    page.click(f"#rounds [data-round='{round_id}']")
    _drawn(page, plan_id)
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
    return resolve


def main(
    runs: int = 3, detail: bool = False, resolve: bool = True, against: str | None = None
) -> None:
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium")
    if chromium is None:
        print("Chromium is not installed (make browser); the page benchmark is skipped.")
        return
    load = os.getloadavg()
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/bench.sqlite3"
        store = Store.connect(url)
        upgrade(store.engine)
        key = create_key(store, "bench", Role.PLANNER)
        store.close()
        servers = {"this": LiveServer(url, DEFAULT_RUNNER).start()}
        try:
            if against:  # the old service (page and server) on the same database
                tree = _old_tree(against, Path(tmp) / "old")
                servers[against] = _old_server(tree, url)
            clients = {
                name: httpx.Client(base_url=srv.url, headers={"X-API-Key": key}, timeout=300)
                for name, srv in servers.items()
            }
            client = clients["this"]
            body = generate("datong", 3).model_dump(mode="json")

            def fresh() -> tuple[str, str]:
                """A new copy of the round, solved once (runs never share locks)."""
                rid = str(client.post("/rounds", json=body).json()["id"])
                return rid, _solve(client, rid)

            fresh()  # the worker's first job warms it up
            resolves: list[float] = []
            api_locks: list[float] = []
            got: dict[tuple[str, str], list[float]] = {}
            kinds = [(name, how) for name in servers for how in ("api", "page")]
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=chromium, args=FLAGS)
                for run in range(runs):
                    # each kind on fresh rounds, the order rotated so none always goes first
                    turn = run % len(kinds)
                    for name, how in kinds[turn:] + kinds[:turn]:
                        (rid, plan_id), (other, other_plan) = fresh(), fresh()
                        tag = f"run {run + 1}, {name}"
                        if how == "api":
                            took, traffic = _api_view(clients[name], rid, plan_id)
                            got.setdefault((name, "api"), []).append(took)
                            got.setdefault((name, "api_bytes"), []).append(traffic.bytes)
                            if detail:
                                print(traffic.detail(f"{tag}, bare API"))
                            continue
                        here = servers[name].url
                        views = _page_views(browser, here, key, rid, other, plan_id, other_plan)
                        first, t1, second, t2, code = views
                        for step, value in (
                            ("first", first),
                            ("second", second),
                            ("first_bytes", t1.bytes),
                            ("second_bytes", t2.bytes),
                            ("code_bytes", code.bytes),
                        ):
                            got.setdefault((name, step), []).append(value)
                        if detail:
                            print(code.detail(f"{tag}, the page's code"))
                            print(t1.detail(f"{tag}, first view"))
                            print(t2.detail(f"{tag}, second view"))
                    if resolve:
                        rid, plan_id = fresh()
                        api_locks.append(_api_resolve(client, rid))
                        rid, plan_id = fresh()
                        page_url = servers["this"].url
                        resolves.append(_page_resolve(browser, page_url, key, rid, plan_id))
                browser.close()
        finally:
            for srv in servers.values():
                srv.stop()
    _report(got, list(servers), runs, resolves, api_locks, load)


def _report(
    got: dict[tuple[str, str], list[float]],
    names: list[str],
    runs: int,
    resolves: list[float],
    api_locks: list[float],
    load: tuple[float, float, float],
) -> None:
    med = statistics.median
    print("\n### The planner's page, Datong (1,381 compounds), headless Chromium\n")
    print(
        "| step | service | page (median s) | API calls alone (s) | page / API | page MB | API MB |"
    )
    print("|---|---|---:|---:|---:|---:|---:|")
    for name in names:
        api, api_mb = med(got[(name, "api")]), med(got[(name, "api_bytes")]) / MB
        for step, title in (
            ("first", "first plan view (sign in → table and markers)"),
            ("second", "second view, same version"),
        ):
            took, mb = med(got[(name, step)]), med(got[(name, f"{step}_bytes")]) / MB
            print(
                f"| {title} | {name} | {took:.2f} | {api:.2f} | {took / api:.2f}× "
                f"| {mb:.3f} | {api_mb:.3f} |"
            )
    if resolves:
        resolved, api_lock = med(resolves), med(api_locks)
        print(
            f"| re-solve after a lock | this | {resolved:.2f} | {api_lock:.2f} "
            f"| {resolved / api_lock:.2f}× | | |"
        )
    code = ", ".join(f"{n} {med(got[(n, 'code_bytes')]) / MB:.2f} MB" for n in names)
    print(
        f"\n{runs} runs each, the kinds alternating, every view on freshly solved rounds; API "
        f"column: the same requests from httpx (gzip accepted), one after the other, no "
        f"rendering, against the same service. The page's code and fonts before sign-in (not "
        f"counted in the views): {code}. Load average at start {load[0]:.1f}, at end "
        f"{os.getloadavg()[0]:.1f}."
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--detail", action="store_true", help="list every request of each view")
    parser.add_argument("--no-resolve", action="store_true", help="skip the re-solve step")
    parser.add_argument(
        "--against", help="also the service (page and server) at this git revision, same run"
    )
    args = parser.parse_args()
    main(args.runs, args.detail, not args.no_resolve, args.against)
