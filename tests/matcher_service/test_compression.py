"""Large bodies go out gzip-compressed once per version, with ETags and 304s, on both
databases; a plan's map is exported once; nothing of an erased round is served."""

from __future__ import annotations

import gzip
import json
from typing import Any

import pytest

import matcher_service.compression as compression
from matcher_service.jobs import run_job
from matcher_service.settings import ServiceSettings
from matcher_service.store import Store
from tests.matcher_service.conftest import GREEDY, Api, running, sqlite_settings
from tests.matcher_service.solve_doubles import greedy_run

GZIP = {"Accept-Encoding": "gzip"}
PLAIN = {"Accept-Encoding": "identity"}


@pytest.fixture(autouse=True)
def _compress_small_bodies(monkeypatch: Any) -> None:
    monkeypatch.setattr(compression, "MIN_BYTES", 64)  # the tiny round is a few kB


def _round_reads(api: Api) -> None:
    made = api.create()
    url, h = f"/rounds/{made['id']}", api.h("viewer")
    packed = api.client.get(url, headers={**h, **GZIP})
    assert packed.headers["content-encoding"] == "gzip"
    assert packed.headers["vary"] == "Accept-Encoding" and packed.headers["etag"] == '"1"'
    plain = api.client.get(url, headers={**h, **PLAIN})
    assert "content-encoding" not in plain.headers
    assert packed.json() == plain.json() == made
    held = len(api.app.state.cache)
    again = api.client.get(url, headers={**h, **GZIP})
    assert again.content == packed.content and len(api.app.state.cache) == held
    same = api.client.get(url, headers={**h, **GZIP, "If-None-Match": '"1"'})
    assert same.status_code == 304 and same.content == b""


def test_round_bodies_are_compressed_once_on_sqlite(tmp_path: Any) -> None:
    """SQLite: gzip when asked, identity otherwise, the same JSON; one compression per
    version (the cache does not grow on the second read); 304 for the current ETag."""
    with running(sqlite_settings(tmp_path)) as api:
        _round_reads(api)


def test_round_bodies_are_compressed_once_on_postgresql(pg_schema_url: str) -> None:
    """PostgreSQL: the same contract."""
    settings = ServiceSettings(database_url=pg_schema_url, runner=GREEDY, workers=0)
    with running(settings) as api:
        _round_reads(api)


def test_plan_map_is_exported_once_per_plan(tmp_path: Any) -> None:
    """The plan's GeoJSON carries an ETag, answers 304 to it, comes compressed and is
    built once; an erased round's map is 404 and its bodies leave memory."""
    with running(sqlite_settings(tmp_path)) as api:
        rid = api.create()["id"]
        job = api.client.post(f"/rounds/{rid}/solve", headers=api.h("planner")).json()
        store: Store = api.app.state.store
        assert run_job(store, greedy_run, job["id"]) == "succeeded"
        plan_id = api.client.get(f"/jobs/{job['id']}", headers=api.h("viewer")).json()["plan_id"]
        url, h = f"/plans/{plan_id}/export/geojson", api.h("viewer")
        first = api.client.get(url, headers={**h, **GZIP})
        assert first.status_code == 200 and first.headers["content-encoding"] == "gzip"
        assert json.loads(gzip.decompress(first.content) if first.content[:2] == b"\x1f\x8b"
                          else first.content)["type"] == "FeatureCollection"  # fmt: skip
        tag = first.headers["etag"]
        assert api.client.get(url, headers={**h, "If-None-Match": tag}).status_code == 304
        second = api.client.get(url, headers={**h, **GZIP})
        assert second.content == first.content and second.headers["etag"] == tag
        gone = api.client.delete(f"/rounds/{rid}", headers=api.h("admin"))
        assert gone.status_code == 204, gone.text
        assert api.client.get(url, headers={**h, "If-None-Match": tag}).status_code == 404
        cache = api.app.state.cache
        assert all(v.round_id != rid for v in cache._items.values())
