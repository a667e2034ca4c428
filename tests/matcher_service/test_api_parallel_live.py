"""Parallel clients against a real uvicorn, on SQLite and on PostgreSQL: lock edits, round
updates and solves at the queue bound lose nothing and break no bound; a change's audit row
survives a kill -9 that follows the answer."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest

from matcher_service.store import Store
from tests.matcher_service.conftest import pg_schema, tiny
from tests.matcher_service.live import LiveServer
from tests.matcher_service.test_api_jobs_live import make_keys

RUNNER = "tests.matcher_service.solve_doubles:greedy_run"
QUIET = {"MATCHER_WORKERS": "0", "MATCHER_QUEUE_LIMIT": "16", "MATCHER_WARM_UP": "0"}


@contextmanager
def database(kind: str, folder: Path) -> Iterator[str]:
    if kind == "sqlite":
        yield f"sqlite:///{folder}/parallel.sqlite3"
    else:
        with pg_schema() as url:
            yield url


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[LiveServer, str]]:
    """A live server without workers (solves stay queued) and a planner key."""
    with database(request.param, tmp_path_factory.mktemp("parallel")) as url:
        key = make_keys(url)["planner"]
        live = LiveServer(url, RUNNER, **QUIET).start()
        try:
            yield live, key
        finally:
            live.stop()


def at_once(
    n: int, live: LiveServer, key: str, call: Callable[[httpx.Client, int], Any]
) -> list[Any]:
    """``call(client, i)`` from ``n`` threads, each with its own connection."""

    def one(i: int) -> Any:
        with live.client(key) as client:
            return call(client, i)

    with ThreadPoolExecutor(n) as ex:
        return list(ex.map(one, range(n)))


def six_cadre_round() -> dict[str, Any]:
    raw = tiny()
    seventh = {**raw["cadres"][2], "id": "C07", "name": "周七"}
    raw["cadres"].append(seventh)
    return raw


def test_parallel_lock_edits_all_land(server: tuple[LiveServer, str]) -> None:
    """6 parallel PUT …/locks for 6 cadres: every answer 200 and all 6 locks kept."""
    live, key = server
    with live.client(key) as client:
        rid = client.post("/rounds", json=six_cadre_round()).json()["id"]
    pairs = [("C01", "GT01"), ("C02", "GT01"), ("C03", "GT02"), ("C04", "LH01")]
    pairs += [("C05", "GT02"), ("C07", "GT02")]

    def lock(client: httpx.Client, i: int) -> int:
        cadre, community = pairs[i]
        body = {"cadre": cadre, "community": community}
        return client.put(f"/rounds/{rid}/locks", json=body).status_code

    assert at_once(6, live, key, lock) == [200] * 6
    with live.client(key) as client:
        final = client.get(f"/rounds/{rid}/locks").json()
    assert sorted(lk["cadre"] for lk in final["locks"]) == sorted(c for c, _ in pairs)
    assert final["version"] == 7


def test_parallel_puts_each_add_a_version(server: tuple[LiveServer, str]) -> None:
    """20 parallel blind PUTs all succeed with versions 2..21; of 8 that all send
    If-Match "21", one wins and 7 get 412 with the new ETag."""
    live, key = server
    with live.client(key) as client:
        rid = client.post("/rounds", json=tiny()).json()["id"]

    def put(client: httpx.Client, i: int, **headers: str) -> httpx.Response:
        return client.put(f"/rounds/{rid}", json={**tiny(), "name": f"v{i}"}, headers=headers)

    blind = at_once(20, live, key, put)
    assert [r.status_code for r in blind] == [200] * 20
    assert sorted(r.json()["version"] for r in blind) == list(range(2, 22))
    guarded = at_once(8, live, key, lambda c, i: put(c, i, **{"If-Match": '"21"'}))
    codes = sorted(r.status_code for r in guarded)
    assert codes == [200] + [412] * 7
    refused = [r for r in guarded if r.status_code == 412]
    assert all(r.headers["etag"] == '"22"' for r in refused)
    assert refused[0].headers["content-type"] == "application/problem+json"


def test_parallel_solves_stop_at_the_queue_bound(server: tuple[LiveServer, str]) -> None:
    """40 parallel solves with a queue limit of 16: exactly 16 accepted, 24 refused (429)."""
    live, key = server
    with live.client(key) as client:
        rid = client.post("/rounds", json=tiny()).json()["id"]
    codes = at_once(40, live, key, lambda c, i: c.post(f"/rounds/{rid}/solve").status_code)
    assert (codes.count(202), codes.count(429)) == (16, 24)


@pytest.mark.parametrize("kind", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def test_audit_rows_survive_a_kill_right_after_creates(kind: str, tmp_path: Path) -> None:
    """10 creates answered, then kill -9 of the server: all 10 audit rows are in the database."""
    with database(kind, tmp_path) as url:
        key = make_keys(url)["planner"]
        live = LiveServer(url, RUNNER, **QUIET).start()
        try:
            with live.client(key) as client:
                made = [client.post("/rounds", json=tiny()).json()["id"] for _ in range(10)]
        finally:
            live.crash()
        store = Store.connect(url)
        try:
            rows = [r for r in store.list_audit() if r.action == "rounds.create"]
        finally:
            store.close()
        assert sorted(r.round_id for r in rows) == sorted(made)
        assert {r.status for r in rows} == {201}
